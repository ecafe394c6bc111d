// ClientCredential `adopt: true`: takes over the one identical credential without a write, records it
// without a secret, and never resets that secret (which its holders use) until a rotation trigger changes.
import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import { FakeDpod, GROUP_A, GROUP_B, PROVIDER } from "./fake-dpod";

const inputs = {
  name: "billing",
  role: "dpod.tenant.api_appowner",
  subscriberGroups: [GROUP_A],
  adopt: true,
  __provider: PROVIDER,
};

async function handMade(dpod: FakeDpod, subscriberGroups = [GROUP_A]) {
  return dpod.api.credentials.create({ name: "billing", role: "dpod.tenant.api_appowner", subscriberGroups });
}

describe("ClientCredential adopt", () => {
  it("takes over the identical credential with one list call, recording no secret", async () => {
    const dpod = new FakeDpod();
    const existing = await handMade(dpod);
    dpod.calls.length = 0;
    const ctx = dpod.context();
    const { id, outs } = await clientCredentialHandler.create(ctx, inputs);
    expect(id).toBe(existing.clientId);
    // One list, then a GET of the same-name candidate: a list item may leave out the lists compared.
    expect(dpod.calls.map((c) => c.op)).toEqual(["credentials.list", "credentials.get"]);
    expect(outs).not.toHaveProperty("clientSecret");
    expect(outs).not.toHaveProperty("secretCreatedAt");
    expect(outs).toMatchObject({ clientId: id, secretUnknown: true, subscriberGroups: [GROUP_A] });
    expect(JSON.stringify(outs)).not.toContain(existing.clientSecret);
  });

  it("never rotates an adopted credential: not on the next up, not by age, only by a new trigger", async () => {
    const dpod = new FakeDpod();
    await handMade(dpod);
    const ctx = dpod.context();
    const { id, outs } = await clientCredentialHandler.create(ctx, inputs);
    expect(clientCredentialHandler.diff(id, outs, inputs, ctx.now).changes).toBe(false);
    const withAge = { ...inputs, rotateAfterDays: 1 };
    const years = dpod.context(new Date("2030-01-01T00:00:00Z"));
    expect(clientCredentialHandler.diff(id, outs, withAge, years.now).changedKeys).toEqual([
      "rotateAfterDays",
    ]);
    const { outs: aged } = await clientCredentialHandler.update(years, id, outs, withAge);
    expect(dpod.count("credentials.resetSecret")).toBe(0);
    expect(aged.secretUnknown).toBe(true);

    // Refresh keeps the mark: the stack still does not know the secret.
    const read = await clientCredentialHandler.read(ctx, id, aged);
    expect(read.props).toMatchObject({ secretUnknown: true });

    const rotate = { ...withAge, rotationTriggers: { into: "known" } };
    expect(clientCredentialHandler.diff(id, read.props, rotate, ctx.now).changedKeys).toEqual([
      "rotationTriggers",
      "clientSecret",
    ]);
    const { outs: known } = await clientCredentialHandler.update(ctx, id, read.props, rotate);
    expect(dpod.count("credentials.resetSecret")).toBe(1);
    expect(known.clientSecret).toEqual(expect.stringMatching(/^fake-secret-/));
    expect(known).not.toHaveProperty("secretUnknown");
    expect(clientCredentialHandler.diff(id, known, rotate, ctx.now).changes).toBe(false);
  });

  it("refuses, before any write, when several credentials are identical, naming them", async () => {
    const dpod = new FakeDpod();
    const first = await handMade(dpod);
    const second = await handMade(dpod);
    const error = clientCredentialHandler.create(dpod.context(), inputs);
    await expect(error).rejects.toThrow(/ambiguous/);
    await expect(clientCredentialHandler.create(dpod.context(), inputs)).rejects.toThrow(
      new RegExp(`${first.clientId}, ${second.clientId}`),
    );
    expect(dpod.count("credentials.create")).toBe(2); // the two made by hand
  });

  it("refuses when same-name credentials all differ in groups, and creates when none has the name", async () => {
    const dpod = new FakeDpod();
    await handMade(dpod, [GROUP_B]);
    await expect(clientCredentialHandler.create(dpod.context(), inputs)).rejects.toThrow(
      /differ from the program in serviceIds or subscriberGroups/,
    );
    expect(dpod.count("credentials.create")).toBe(1);

    const fresh = new FakeDpod();
    const { outs } = await clientCredentialHandler.create(fresh.context(), inputs);
    expect(fresh.calls.map((c) => c.op)).toEqual([
      "credentials.list",
      "credentials.create",
      "credentials.update",
    ]);
    expect(outs.clientSecret).toEqual(expect.stringMatching(/^fake-secret-/));
    expect(outs).not.toHaveProperty("secretUnknown");
  });

  it("obtains a secret at create when the answer lacked one, unlike an adoption (not secretUnknown)", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const create = dpod.api.credentials.create;
    dpod.api.credentials.create = async (body) => ({ ...(await create(body)), clientSecret: undefined });
    const { id, outs } = await clientCredentialHandler.create(ctx, { ...inputs, adopt: undefined });
    expect(outs.clientSecret).toEqual(expect.stringMatching(/^fake-secret-/));
    expect(outs).not.toHaveProperty("secretUnknown");
    expect(clientCredentialHandler.diff(id, outs, inputs, ctx.now).changes).toBe(false);
  });
});
