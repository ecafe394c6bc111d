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

/** A handler context `hours` after DPoD's clock (the default context's "now"). */
function hoursLater(dpod: FakeDpod, hours: number, urn?: string) {
  return dpod.context(new Date(Date.parse(dpod.dpodNow) + hours * 60 * 60 * 1000), { urn });
}

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
      "credentials.get", // the current credential still exists
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
    const { outs: r2 } = await handler.update(hoursLater(dpod, 24), created.id, r1, third);
    expect(dpod.calls.slice(7).map((c) => [c.op, c.args[0]])).toEqual([
      ["credentials.get", r1.clientId],
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

describe("RotatingClientCredential: hand edits, retries and the grace floor", () => {
  const URN = "urn:pulumi:dev::tenant::dpod:index:RotatingClientCredential::deployer";
  const round = (n: number) => ({ ...inputs, rotationTriggers: { round: String(n) } });

  /** Created at DPoD's clock, then rotated once an hour later: slot b current, slot a previous. */
  async function rotatedOnce(dpod: FakeDpod) {
    const created = await handler.create(dpod.context(undefined, { urn: URN }), inputs);
    const { outs } = await handler.update(hoursLater(dpod, 1, URN), created.id, created.outs, round(2));
    return { id: created.id, first: created.outs, outs };
  }

  it("refuses a rotation that would reset the previous pair within 24 hours, in diff and update, before any call", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await rotatedOnce(dpod);
    const soon = hoursLater(dpod, 5, URN);
    expect(() => handler.diff(id, outs, round(3), soon.now)).toThrow(
      new RegExp(
        `previous credential ${String(outs.previousClientId)}.*4\\.0 hours ago.*minRotationIntervalHours \\(24\\)` +
          `.*Rotate after 2026-06-02T01:00:00.000Z.*0 allows any rotation.*deleted by hand, \`pulumi refresh\` first`,
      ),
    );
    const before = dpod.count();
    await expect(handler.update(soon, id, outs, round(3))).rejects.toThrow(/minRotationIntervalHours \(24\)/);
    expect(dpod.count()).toBe(before);
    // The program may lower the floor (0: none); the change is part of the diff.
    const allowed = { ...round(3), minRotationIntervalHours: 0 };
    expect(handler.diff(id, outs, allowed, soon.now).changedKeys).toEqual([
      "rotationTriggers",
      "clientSecret",
      "minRotationIntervalHours",
    ]);
    const { outs: r2 } = await handler.update(soon, id, outs, allowed);
    expect(r2).toMatchObject({ currentSlot: "a", minRotationIntervalHours: 0 });
    expect(handler.diff(id, r2, allowed, soon.now).changes).toBe(false);
    // Once the floor has passed, the default allows it.
    expect(handler.diff(id, outs, round(3), hoursLater(dpod, 25).now).changedKeys).toContain("clientSecret");
  });

  it("never refuses a rotation that creates into a free slot (no previous pair)", async () => {
    const dpod = new FakeDpod();
    const created = await handler.create(dpod.context(), inputs);
    expect(handler.diff(created.id, created.outs, round(2), dpod.context().now).changedKeys).toContain(
      "clientSecret",
    );
  });

  it("previous credential deleted by hand: the rotation creates a fresh one in its slot and says so", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await rotatedOnce(dpod);
    dpod.credentials.delete(String(outs.previousClientId));
    const ctx = hoursLater(dpod, 30, URN);
    const { outs: r2 } = await handler.update(ctx, id, outs, round(3));
    expect(ctx.warnings.join("\n")).toMatch(
      new RegExp(
        `previous credential ${String(outs.previousClientId)} no longer exists.*deployer-a is created`,
      ),
    );
    expect(r2).toMatchObject({
      currentSlot: "a",
      previousClientId: outs.clientId,
      previousClientSecret: outs.clientSecret,
    });
    expect(dpod.credentials.get(String(r2.clientId))?.name).toBe("deployer-a");
    expect(acceptedSecrets(dpod, [r2])).toEqual(new Set([r2.clientSecret, outs.clientSecret]));
    expect(dpod.credentials.size).toBe(2);
    // The next rotation resets as usual.
    const { outs: r3 } = await handler.update(hoursLater(dpod, 60, URN), id, r2, round(4));
    expect(r3).toMatchObject({ currentSlot: "b", clientId: outs.clientId, previousClientId: r2.clientId });
    expect(dpod.credentials.size).toBe(2);
  });

  it("current credential deleted by hand: refresh promotes the previous pair; the next rotation fills the freed slot", async () => {
    const dpod = new FakeDpod();
    const { id, first, outs } = await rotatedOnce(dpod);
    dpod.credentials.delete(String(outs.clientId));
    const ctx = hoursLater(dpod, 2, URN);
    const read = await handler.read(ctx, id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({
      currentSlot: "a",
      clientId: first.clientId,
      clientSecret: first.clientSecret,
      secretCreatedAt: first.secretCreatedAt,
    });
    expect(read.props).not.toHaveProperty("previousClientId");
    expect(read.inputs).toMatchObject({ name: "deployer" });
    expect(ctx.warnings.join("\n")).toMatch(/current credential .* no longer exists.*becomes current/);
    const props = read.props as Record<string, unknown>;
    // No previous pair: the next rotation cuts nobody off, so the floor does not apply.
    expect(handler.diff(id, props, round(3), ctx.now).changedKeys).toContain("clientSecret");
    const { outs: r2 } = await handler.update(ctx, id, props, round(3));
    expect(r2).toMatchObject({ currentSlot: "b", previousClientId: first.clientId });
    expect(dpod.credentials.get(String(r2.clientId))?.name).toBe("deployer-b");
    expect(acceptedSecrets(dpod, [r2])).toEqual(new Set([r2.clientSecret, first.clientSecret]));
    expect(dpod.credentials.size).toBe(2);
  });

  it("current credential deleted by hand, no refresh: the rotation promotes the previous pair and keeps its secret", async () => {
    const dpod = new FakeDpod();
    const { id, first, outs } = await rotatedOnce(dpod);
    dpod.credentials.delete(String(outs.clientId));
    const ctx = hoursLater(dpod, 30, URN);
    const { outs: r2 } = await handler.update(ctx, id, outs, round(3));
    expect(dpod.count("credentials.resetSecret")).toBe(0); // the working previous secret is not cut off
    expect(r2).toMatchObject({
      currentSlot: "b",
      previousClientId: first.clientId,
      previousClientSecret: first.clientSecret,
    });
    expect(acceptedSecrets(dpod, [r2])).toEqual(new Set([r2.clientSecret, first.clientSecret]));
    expect(dpod.credentials.size).toBe(2);
    expect(ctx.warnings.join("\n")).toMatch(/becomes current/);
  });

  it("both credentials deleted by hand: refresh drops the pair; a rotation without refresh starts a new one", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await rotatedOnce(dpod);
    dpod.credentials.clear();
    expect(await handler.read(hoursLater(dpod, 2), id, outs)).toEqual({ id: "" });
    const { outs: fresh } = await handler.update(hoursLater(dpod, 30, URN), id, outs, round(3));
    expect(fresh).not.toHaveProperty("previousClientId");
    expect(acceptedSecrets(dpod, [fresh])).toEqual(new Set([fresh.clientSecret]));
    expect(dpod.credentials.size).toBe(1);
  });

  it("a run killed after the reset: the next run performs the same rotation once (one slot change)", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await rotatedOnce(dpod);
    const ctx = hoursLater(dpod, 30, URN);
    await handler.update(ctx, id, outs, round(3)); // killed before the engine recorded it: result lost
    const { outs: r2 } = await handler.update(ctx, id, outs, round(3));
    expect(r2).toMatchObject({
      currentSlot: "a",
      clientId: outs.previousClientId,
      previousClientId: outs.clientId,
    });
    expect(acceptedSecrets(dpod, [r2])).toEqual(new Set([r2.clientSecret, outs.clientSecret]));
    expect(handler.diff(id, r2, round(3), ctx.now).changes).toBe(false);
    expect(dpod.credentials.size).toBe(2);
  });

  it("a run killed between the slot create and its rename: the next run takes that credential over, no orphan", async () => {
    const dpod = new FakeDpod();
    const created = await handler.create(dpod.context(undefined, { urn: URN }), inputs);
    dpod.failNext("credentials.update", "server-error"); // the rename of slot b fails
    const ctx = hoursLater(dpod, 1, URN);
    await expect(handler.update(ctx, created.id, created.outs, round(2))).rejects.toThrow(
      /deployer-b.*temporary name.*takes it over/s,
    );
    expect(dpod.credentials.size).toBe(2);
    const { outs } = await handler.update(ctx, created.id, created.outs, round(2));
    expect(outs).toMatchObject({ currentSlot: "b", previousClientId: created.outs.clientId });
    expect(dpod.count("credentials.create")).toBe(2); // slot a, then slot b once
    expect(dpod.credentials.size).toBe(2);
    expect(dpod.credentials.get(String(outs.clientId))?.name).toBe("deployer-b");
    expect(acceptedSecrets(dpod, [outs])).toEqual(new Set([outs.clientSecret, created.outs.clientSecret]));
  });

  it("a run killed after the slot's rename: the next run names the credential it cannot prove", async () => {
    const dpod = new FakeDpod();
    const created = await handler.create(dpod.context(undefined, { urn: URN }), inputs);
    const ctx = hoursLater(dpod, 1, URN);
    const { outs: lost } = await handler.update(ctx, created.id, created.outs, round(2)); // never recorded
    const { outs } = await handler.update(ctx, created.id, created.outs, round(2));
    expect(ctx.warnings.join("\n")).toContain(String(lost.clientId));
    expect(outs.clientId).not.toBe(lost.clientId);
  });

  it("refuses an import (no recorded current client id) before any call, saying why", async () => {
    const dpod = new FakeDpod();
    await expect(handler.read(dpod.context(), "some-id", {})).rejects.toThrow(
      /cannot be imported: DPoD never reveals a credential's secret.*ClientCredential/,
    );
    expect(dpod.count()).toBe(0);
  });
});
