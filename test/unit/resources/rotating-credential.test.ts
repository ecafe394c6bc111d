// RotatingClientCredential: two credentials used in turn. Each rotation makes the older one current with
// a fresh secret, so the pair that was current keeps working until the next rotation.
import { rotatingClientCredentialHandler as handler } from "../../../provider/resources/rotating-client-credential/handler";
import { ResourcePartialStateError } from "../../../provider/resources/common/errors";
import { FakeDpod, GROUP_A, GROUP_B, PROVIDER, undefinedPaths } from "./fake-dpod";

const inputs = {
  name: "deployer",
  role: "dpod.tenant.api_appowner",
  subscriberGroups: [GROUP_A],
  rotationTriggers: { round: "1" },
  __provider: PROVIDER,
};

/** The secrets DPoD accepts now, by client id (the fake keeps only the latest per credential). */
function acceptedSecrets(dpod: FakeDpod, outs: Record<string, unknown>[]): Set<string> {
  const latest = new Map<string, string>();
  for (const bag of outs) {
    for (const [id, secret] of [
      [bag.clientId, bag.clientSecret],
      [bag.previousClientId, bag.previousClientSecret],
    ]) {
      if (typeof id === "string" && typeof secret === "string" && dpod.credentials.has(id)) {
        latest.set(id, secret);
      }
    }
  }
  return new Set(latest.values());
}

describe("RotatingClientCredential lifecycle", () => {
  it("creates one credential (slot a) with a list and a POST; no previous pair yet", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await handler.create(ctx, inputs);
    expect(dpod.calls.map((c) => c.op)).toEqual([
      "credentials.list",
      "credentials.create",
      "credentials.update",
    ]);
    expect(dpod.calls[1]?.args[0]).toMatchObject({
      name: expect.stringMatching(/^pulumi-dpod-creating-/),
      subscriberGroups: [GROUP_A],
    });
    expect(dpod.calls[2]?.args[1]).toEqual({ name: "deployer-a" });
    expect(outs).toMatchObject({
      currentSlot: "a",
      clientId: expect.any(String),
      clientSecret: expect.stringMatching(/^fake-secret-/),
      secretCreatedAt: "2026-06-01T00:00:00.000Z",
      rotationTriggers: { round: "1" },
    });
    expect(outs).not.toHaveProperty("previousClientId");
    expect(id).not.toBe(outs.clientId);
    expect(handler.diff(id, outs, inputs, ctx.now).changes).toBe(false);
    expect(undefinedPaths(outs)).toEqual([]);
  });

  it("first rotation creates slot b, second resets slot a; the previous pair survives one rotation", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const created = await handler.create(ctx, inputs);
    const second = { ...inputs, rotationTriggers: { round: "2" } };
    expect(handler.diff(created.id, created.outs, second, ctx.now).changedKeys).toEqual([
      "rotationTriggers",
      "clientSecret",
    ]);
    const { outs: r1 } = await handler.update(ctx, created.id, created.outs, second);
    expect(dpod.calls.slice(3).map((c) => c.op)).toEqual([
      "credentials.list",
      "credentials.create",
      "credentials.update",
    ]);
    expect(r1).toMatchObject({
      currentSlot: "b",
      previousClientId: created.outs.clientId,
      previousClientSecret: created.outs.clientSecret,
      previousSecretCreatedAt: created.outs.secretCreatedAt,
    });
    expect(r1.clientId).not.toBe(created.outs.clientId);
    expect(acceptedSecrets(dpod, [created.outs, r1])).toEqual(
      new Set([r1.clientSecret, created.outs.clientSecret]),
    );

    const third = { ...inputs, rotationTriggers: { round: "3" } };
    const { outs: r2 } = await handler.update(ctx, created.id, r1, third);
    expect(dpod.calls.slice(6).map((c) => [c.op, c.args[0]])).toEqual([
      ["credentials.resetSecret", created.outs.clientId],
    ]);
    expect(r2).toMatchObject({
      currentSlot: "a",
      clientId: created.outs.clientId,
      previousClientId: r1.clientId,
      previousClientSecret: r1.clientSecret,
    });
    // The oldest secret (slot a's first) no longer works; the two newest do.
    expect(acceptedSecrets(dpod, [r1, r2])).toEqual(new Set([r2.clientSecret, r1.clientSecret]));
    expect(r2.clientSecret).not.toBe(created.outs.clientSecret);
    expect(dpod.credentials.size).toBe(2);
    expect(handler.diff(created.id, r2, third, ctx.now).changes).toBe(false);
  });

  it("rotates by age with rotateAfterDays, counting from the current secret", async () => {
    const dpod = new FakeDpod();
    const withAge = { ...inputs, rotateAfterDays: 30 };
    const { id, outs } = await handler.create(dpod.context(new Date("2026-01-01T00:00:00Z")), withAge);
    const soon = dpod.context(new Date("2026-01-20T00:00:00Z"));
    expect(handler.diff(id, outs, withAge, soon.now).changes).toBe(false);
    const later = dpod.context(new Date("2026-02-15T00:00:00Z"));
    expect(handler.diff(id, outs, withAge, later.now).changedKeys).toEqual(["clientSecret"]);
    const { outs: after } = await handler.update(later, id, outs, withAge);
    expect(after).toMatchObject({ currentSlot: "b", secretCreatedAt: "2026-02-15T00:00:00.000Z" });
    expect(handler.diff(id, after, withAge, later.now).changes).toBe(false);
  });

  it("renames both credentials with their slot suffix, without rotating", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const created = await handler.create(ctx, inputs);
    const { outs: r1 } = await handler.update(ctx, created.id, created.outs, {
      ...inputs,
      rotationTriggers: { round: "2" },
    });
    const renamed = { ...inputs, name: "ci", rotationTriggers: { round: "2" } };
    const before = dpod.count();
    const { outs } = await handler.update(ctx, created.id, r1, renamed);
    expect(dpod.calls.slice(before).map((c) => [c.op, c.args[1]])).toEqual([
      ["credentials.update", { name: "ci-b" }],
      ["credentials.update", { name: "ci-a" }],
    ]);
    expect(outs).toMatchObject({ name: "ci", clientSecret: r1.clientSecret });
    const read = await handler.read(ctx, created.id, outs);
    expect(read.inputs).toMatchObject({ name: "ci" });
  });

  it("on refresh forgets a previous credential deleted by hand, and reports the pair gone with the current", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const created = await handler.create(ctx, inputs);
    const { outs: r1 } = await handler.update(ctx, created.id, created.outs, {
      ...inputs,
      rotationTriggers: { round: "2" },
    });
    dpod.credentials.delete(String(r1.previousClientId));
    const read = await handler.read(ctx, created.id, r1);
    expect(read.id).toBe(created.id);
    expect(read.props).not.toHaveProperty("previousClientId");
    expect(read.props).not.toHaveProperty("previousClientSecret");
    expect(ctx.warnings[0]).toContain("no longer exists");

    dpod.credentials.delete(String(r1.clientId));
    expect(await handler.read(ctx, created.id, r1)).toEqual({ id: "" });
  });

  it("refuses a change of groups without allowRecreate, naming the field", () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const state = {
      name: "deployer",
      role: "dpod.tenant.api_appowner",
      serviceIds: [],
      subscriberGroups: [GROUP_A],
      currentSlot: "a",
      clientId: "c",
      clientSecret: "s",
      secretCreatedAt: "2026-06-01T00:00:00.000Z",
      rotationTriggers: { round: "1" },
    };
    const moved = { ...inputs, subscriberGroups: [GROUP_B] };
    expect(() => handler.diff("pair", state, moved, ctx.now)).toThrow(/subscriberGroups.*allowRecreate/);
    expect(handler.diff("pair", state, { ...moved, allowRecreate: true }, ctx.now).replaces).toEqual([
      "subscriberGroups",
    ]);
  });

  it("keeps the old state and triggers when a rotation fails, and its error names no secret", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const created = await handler.create(ctx, inputs);
    dpod.failNext("credentials.create", "server-error");
    const news = { ...inputs, rotationTriggers: { round: "2" } };
    const error = await handler.update(ctx, created.id, created.outs, news).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourcePartialStateError);
    const partial = error as ResourcePartialStateError;
    expect(partial.properties).toMatchObject({
      clientId: created.outs.clientId,
      clientSecret: created.outs.clientSecret,
      rotationTriggers: { round: "1" },
    });
    expect(partial.message).not.toContain(String(created.outs.clientSecret));
    expect(handler.diff(created.id, partial.properties, news, ctx.now).changedKeys).toEqual([
      "rotationTriggers",
      "clientSecret",
    ]);
  });

  it("deletes both credentials; a 404 is done", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const created = await handler.create(ctx, inputs);
    const { outs } = await handler.update(ctx, created.id, created.outs, {
      ...inputs,
      rotationTriggers: { round: "2" },
    });
    dpod.credentials.delete(String(outs.previousClientId));
    await handler.delete(ctx, created.id, outs);
    expect(dpod.credentials.size).toBe(0);
    expect(dpod.count("credentials.delete")).toBe(2);
  });

  it("checks inputs before any call: name length (two characters for the slot) and no adopt", () => {
    const tooLong = handler.check({}, { ...inputs, name: "x".repeat(63) });
    expect(tooLong.failures).toEqual([
      { property: "name", reason: expect.stringMatching(/^name: must be 1 to 62/) },
    ]);
    const adopt = handler.check({}, { ...inputs, adopt: true });
    expect(adopt.failures.map((f) => f.property)).toEqual(["adopt"]);
    const service = handler.check({}, { ...inputs, role: "api_service" });
    expect(service.failures.map((f) => f.property)).toEqual(["serviceIds"]);
  });
});
