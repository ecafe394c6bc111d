import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import { ResourcePartialStateError } from "../../../provider/resources/common/errors";
import { subscriberGroupHandler } from "../../../provider/resources/subscriber-group/handler";
import { userHandler } from "../../../provider/resources/user/handler";
import { CHILD_TENANT, FakeDpod, GROUP_A, PROVIDER, undefinedPaths } from "./fake-dpod";

const aliceInputs = {
  username: "alice@example.com",
  givenName: "Alice",
  familyName: "Doe",
  accountRole: "dpod.tenant.appowner",
  subscriberGroups: [GROUP_A],
  password: "initial-password-1",
  resetPasswordTrigger: "r1",
  __provider: PROVIDER,
};

async function expectPartial(promise: Promise<unknown>): Promise<ResourcePartialStateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResourcePartialStateError);
  return error as ResourcePartialStateError;
}

describe("SubscriberGroup lifecycle", () => {
  it("creates with one call, reads, updates only what changed, deletes", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await subscriberGroupHandler.create(ctx, { name: "ops", __provider: PROVIDER });
    expect(dpod.count()).toBe(1);
    expect(outs).toEqual({ name: "ops", tenantId: expect.any(String), createdAt: "2026-06-01T00:00:00Z" });

    await subscriberGroupHandler.update(ctx, id, outs, { name: "ops", description: "Operations" });
    expect(dpod.calls.at(-1)).toEqual({ op: "groups.update", args: [id, { description: "Operations" }] });

    const read = await subscriberGroupHandler.read(ctx, id, { ...outs, __provider: PROVIDER });
    expect(read).toEqual({
      id,
      props: expect.objectContaining({ name: "ops", description: "Operations" }),
      inputs: { name: "ops", description: "Operations" },
    });

    await subscriberGroupHandler.delete(ctx, id, outs);
    expect(dpod.groups.size).toBe(0);
    await subscriberGroupHandler.delete(ctx, id, outs); // 404 is success
    expect(dpod.count("groups.delete")).toBe(2);
  });

  it("makes no call when only the connection changed", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await subscriberGroupHandler.create(ctx, { name: "ops" });
    const connection = { apiUrl: "https://dpod.example" };
    const { outs: after } = await subscriberGroupHandler.update(ctx, id, outs, { name: "ops", connection });
    expect(dpod.count()).toBe(1);
    expect(after.connection).toEqual(connection);
  });

  it("reports a group deleted outside the program as gone, with a warning naming it", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await subscriberGroupHandler.create(ctx, { name: "ops" });
    dpod.groups.delete(id);
    expect(await subscriberGroupHandler.read(ctx, id, outs)).toEqual({ id: "" });
    expect(ctx.warnings).toEqual([expect.stringContaining(`SubscriberGroup "ops" (${id}) no longer exists`)]);
  });

  it("shows drift in the inputs read returns", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await subscriberGroupHandler.create(ctx, { name: "ops" });
    dpod.groups.get(id)!.name = "renamed";
    const read = await subscriberGroupHandler.read(ctx, id, outs);
    expect(read.inputs).toEqual({ name: "renamed" });
    expect(
      subscriberGroupHandler.diff(id, read.props, { name: "ops" }, () => new Date()).changedKeys,
    ).toEqual(["name"]);
  });

  it("adopts the group of a lost create answer when name and description match", async () => {
    const dpod = new FakeDpod();
    dpod.failNext("groups.create", "lost-response", true);
    const { id, outs } = await subscriberGroupHandler.create(dpod.context(), {
      name: "ops",
      description: "d",
    });
    expect(dpod.groups.size).toBe(1);
    expect(dpod.groups.has(id)).toBe(true);
    expect(outs.name).toBe("ops");
    expect(dpod.calls.map((c) => c.op)).toEqual(["groups.create", "groups.list", "groups.get"]);
  });

  it("also looks the group up when DPoD created it but answered with an unreadable body", async () => {
    const dpod = new FakeDpod();
    dpod.failNext("groups.create", "bad-body", true);
    const { id } = await subscriberGroupHandler.create(dpod.context(), { name: "ops" });
    expect([...dpod.groups.keys()]).toEqual([id]);
  });

  it("does not adopt a group whose description differs, and says why", async () => {
    const dpod = new FakeDpod();
    const { id } = await subscriberGroupHandler.create(dpod.context(), {
      name: "ops",
      description: "someone else's",
    });
    dpod.failNext("groups.create", "lost-response");
    await expect(
      subscriberGroupHandler.create(dpod.context(), { name: "ops", description: "d" }),
    ).rejects.toThrow(
      new RegExp(
        `may or may not have reached DPoD .*A group named "ops" exists \\(id ${id}\\), but it differs from ` +
          `the program in description.*Nothing was adopted`,
      ),
    );
  });

  it("does not adopt an identical group DPoD reports as created before the request", async () => {
    const dpod = new FakeDpod();
    dpod.dpodNow = "2026-05-31T23:57:00Z"; // three minutes before the request: beyond the clock skew allowed
    await subscriberGroupHandler.create(dpod.context(), { name: "ops", description: "d" });
    dpod.failNext("groups.create", "lost-response");
    const request = dpod.context(new Date("2026-06-01T00:00:00Z"));
    await expect(subscriberGroupHandler.create(request, { name: "ops", description: "d" })).rejects.toThrow(
      /DPoD reports it created at 2026-05-31T23:57:00Z, before this request, so it cannot be proven/,
    );
    dpod.dpodNow = "2026-05-31T23:59:00Z"; // within the skew: counts as this request's
    dpod.groups.clear();
    dpod.failNext("groups.create", "lost-response", true);
    await expect(
      subscriberGroupHandler.create(request, { name: "ops", description: "d" }),
    ).resolves.toMatchObject({
      outs: { name: "ops" },
    });
  });

  it("finds groups by name without regard to case, once per id, as DPoD enforces uniqueness", async () => {
    const dpod = new FakeDpod();
    dpod.repeatListItems = true;
    const { id } = await subscriberGroupHandler.create(dpod.context(), { name: "OPS" });
    const adopted = await subscriberGroupHandler.create(dpod.context(), { name: "ops", adopt: true });
    expect(adopted.id).toBe(id);
    expect(dpod.calls.at(-1)).toEqual({ op: "groups.update", args: [id, { name: "ops" }] });

    dpod.failNext("groups.create", "lost-response");
    await expect(subscriberGroupHandler.create(dpod.context(), { name: "Ops" })).rejects.toThrow(
      new RegExp(`exists \\(id ${id}\\), but it differs from the program in name`),
    );
  });

  it("keeps the may-have-reached-DPoD context when the lookup after a lost answer fails", async () => {
    const dpod = new FakeDpod();
    dpod.failNext("groups.create", "lost-response", true);
    dpod.failNext("groups.list", "server-error");
    await expect(subscriberGroupHandler.create(dpod.context(), { name: "ops" })).rejects.toThrow(
      /Creating SubscriberGroup "ops" may or may not have reached DPoD \(fake lost answer.*Looking it up afterwards failed too \(fake 500.*Check the tenant/,
    );
  });

  it("explains a 409 with the interrupted-run story; dpod:adoptIdentical takes over only an identical group", async () => {
    const dpod = new FakeDpod();
    const { id } = await subscriberGroupHandler.create(dpod.context(), { name: "ops", description: "d" });
    dpod.failNext("groups.create", "conflict");
    await expect(
      subscriberGroupHandler.create(dpod.context(), { name: "ops", description: "d" }),
    ).rejects.toThrow(
      /already exists in DPoD \(409: .*this stack has no record of it.*interrupted.*pulumi config set dpod:adoptIdentical true.*someone else/,
    );

    const policy = dpod.context(undefined, { adoptIdentical: true });
    dpod.failNext("groups.create", "conflict");
    const adopted = await subscriberGroupHandler.create(policy, { name: "ops", description: "d" });
    expect(adopted.id).toBe(id);
    expect(policy.warnings).toEqual([
      expect.stringContaining(`already existed in DPoD (id ${id}) identical`),
    ]);

    dpod.failNext("groups.create", "conflict");
    await expect(
      subscriberGroupHandler.create(policy, { name: "ops", description: "other" }),
    ).rejects.toThrow(
      new RegExp(
        `\\(id ${id}\\).*dpod:adoptIdentical is on, but it was not taken over: it differs from the program in description`,
      ),
    );
    expect(dpod.groups.get(id)?.description).toBe("d");
  });

  it("with adopt, takes over an existing group of that name, aligning its description with one PATCH", async () => {
    const dpod = new FakeDpod();
    const existing = await subscriberGroupHandler.create(dpod.context(), {
      name: "ops",
      description: "by hand",
    });
    dpod.calls.splice(0);
    const adopted = await subscriberGroupHandler.create(dpod.context(), {
      name: "ops",
      description: "Operations",
      adopt: true,
    });
    expect(adopted.id).toBe(existing.id);
    expect(adopted.outs.description).toBe("Operations");
    expect(dpod.groups.size).toBe(1);
    expect(dpod.calls.map((c) => c.op)).toEqual(["groups.list", "groups.get", "groups.update"]);
  });

  it("with adopt and no existing group, creates one; without adopt, refuses to touch the existing one", async () => {
    const dpod = new FakeDpod();
    await subscriberGroupHandler.create(dpod.context(), { name: "ops", adopt: true });
    expect(dpod.calls.map((c) => c.op)).toEqual(["groups.list", "groups.create"]);
    expect(
      subscriberGroupHandler.diff("id", { name: "ops" }, { name: "ops", adopt: false }, () => new Date()),
    ).toMatchObject({ changes: false });
  });

  it("says the object was not created when the lookup finds nothing", async () => {
    const dpod = new FakeDpod();
    dpod.failNext("groups.create", "lost-response");
    await expect(subscriberGroupHandler.create(dpod.context(), { name: "ops" })).rejects.toThrow(
      /No group named "ops" exists now, so it was most likely not created/,
    );
  });
});

describe("User lifecycle", () => {
  it("creates with one call, never stores the password, records triggers without running them", async () => {
    const dpod = new FakeDpod();
    const { outs } = await userHandler.create(dpod.context(), aliceInputs);
    expect(dpod.calls.map((c) => c.op)).toEqual(["users.create"]);
    expect(dpod.calls[0]!.args[0]).toMatchObject({ password: "initial-password-1" });
    expect(JSON.stringify(outs)).not.toContain("initial-password-1");
    expect(outs).not.toHaveProperty("password");
    expect(outs.resetPasswordTrigger).toBe("r1");
    expect(outs.temporaryPassword).toBeUndefined();
  });

  it("updates with one PATCH of the changed fields and runs each changed trigger once", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await userHandler.create(ctx, aliceInputs);
    const news = {
      ...aliceInputs,
      givenName: "Alicia",
      password: "changed-but-ignored",
      resetPasswordTrigger: "r2",
      resetMfaTrigger: "m1",
    };
    const { outs: after } = await userHandler.update(ctx, id, outs, news);
    expect(dpod.calls.slice(1).map((c) => [c.op, c.args[1]])).toEqual([
      ["users.update", { givenName: "Alicia" }],
      ["users.resetPassword", {}],
      ["users.resetMfaToken", {}],
    ]);
    expect(after).toMatchObject({ givenName: "Alicia", resetPasswordTrigger: "r2", resetMfaTrigger: "m1" });
    expect(after.temporaryPassword).toEqual(expect.stringMatching(/^fake-secret-/));
    expect(JSON.stringify(after)).not.toContain("changed-but-ignored");

    // Unchanged triggers do nothing; the temporary password stays available.
    const { outs: again } = await userHandler.update(ctx, id, after, news);
    expect(dpod.count()).toBe(4);
    expect(again.temporaryPassword).toBe(after.temporaryPassword);
  });

  it("records partial state when a trigger action fails after the PATCH", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await userHandler.create(ctx, aliceInputs);
    dpod.failNext("users.resetMfaToken", "server-error");
    const news = { ...aliceInputs, familyName: "Smith", resetPasswordTrigger: "r2", resetMfaTrigger: "m1" };
    const error = await expectPartial(userHandler.update(ctx, id, outs, news));
    expect(error.id).toBe(id);
    expect(error.properties).toMatchObject({
      familyName: "Smith",
      resetPasswordTrigger: "r2",
      __provider: PROVIDER,
    });
    expect(error.properties.resetMfaTrigger).toBeUndefined(); // not applied: the next up retries it
    expect(undefinedPaths(error.properties)).toEqual([]);
    expect(error.reasons).toEqual([expect.stringContaining("MFA token reset")]);
    expect(error.message).toContain(`User ${id} exists`);

    // The next up: diff sees the trigger again, and update retries only that action.
    expect(userHandler.diff(id, error.properties, news, () => new Date()).changedKeys).toEqual([
      "resetMfaTrigger",
    ]);
    await userHandler.update(ctx, id, error.properties, news);
    expect(dpod.calls.slice(-1).map((c) => c.op)).toEqual(["users.resetMfaToken"]);
  });

  it("passes the tenantId input as the tenant of every later call", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const inputs = { ...aliceInputs, tenantId: CHILD_TENANT };
    const { id, outs } = await userHandler.create(ctx, inputs);
    expect(outs).toMatchObject({ tenantId: CHILD_TENANT, targetTenantId: CHILD_TENANT });
    await userHandler.read(ctx, id, outs);
    await userHandler.update(ctx, id, outs, { ...inputs, sendVerificationTrigger: "v" });
    await userHandler.delete(ctx, id, outs);
    expect(dpod.calls.slice(1).map((c) => c.args.at(-1))).toEqual([
      { tenantId: CHILD_TENANT },
      { tenantId: CHILD_TENANT },
      { tenantId: CHILD_TENANT },
    ]);
  });

  it("rebuilds inputs on read, keeping triggers and leaving the password out", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await userHandler.create(ctx, aliceInputs);
    dpod.users.get(id)!.phoneNumber = "+1 555 0100";
    const read = await userHandler.read(ctx, id, { ...outs, __provider: PROVIDER });
    expect(read.inputs).toEqual({
      username: "alice@example.com",
      givenName: "Alice",
      familyName: "Doe",
      accountRole: "dpod.tenant.appowner",
      phoneNumber: "+1 555 0100",
      subscriberGroups: [GROUP_A],
      resetPasswordTrigger: "r1",
    });
    expect(userHandler.diff(id, read.props, aliceInputs, () => new Date()).changedKeys).toEqual([
      "phoneNumber",
    ]);
  });

  it("adopts a user of a lost create answer only on an exact match", async () => {
    const dpod = new FakeDpod();
    dpod.failNext("users.create", "lost-response", true);
    const { id } = await userHandler.create(dpod.context(), aliceInputs);
    expect([...dpod.users.keys()]).toEqual([id]);

    const other = new FakeDpod();
    await userHandler.create(other.context(), { ...aliceInputs, givenName: "Someone" });
    other.failNext("users.create", "lost-response");
    await expect(userHandler.create(other.context(), aliceInputs)).rejects.toThrow(
      /A user "alice@example.com" exists \(id .*\), but it differs from the program in givenName/,
    );
  });

  it("does not adopt an identical user that predates a lost create, nor when the lookup fails", async () => {
    const dpod = new FakeDpod();
    dpod.dpodNow = "2026-01-01T00:00:00Z";
    await userHandler.create(dpod.context(), aliceInputs);
    dpod.failNext("users.create", "lost-response");
    await expect(
      userHandler.create(dpod.context(new Date("2026-06-01T00:00:00Z")), aliceInputs),
    ).rejects.toThrow(/created at 2026-01-01T00:00:00Z, before this request/);
    dpod.failNext("users.create", "lost-response");
    dpod.failNext("users.list", "server-error");
    await expect(userHandler.create(dpod.context(), aliceInputs)).rejects.toThrow(
      /may or may not have reached DPoD.*Looking it up afterwards failed too/,
    );
  });

  it("with adopt, takes over an existing user whose role and groups match, sending no password", async () => {
    const dpod = new FakeDpod();
    const existing = await userHandler.create(dpod.context(), { ...aliceInputs, givenName: "Ali" });
    dpod.calls.splice(0);
    const adopted = await userHandler.create(dpod.context(), { ...aliceInputs, adopt: true });
    expect(adopted.id).toBe(existing.id);
    expect(adopted.outs.givenName).toBe("Alice");
    expect(dpod.calls.map((c) => c.op)).toEqual(["users.list", "users.get", "users.update"]);
    expect(JSON.stringify(dpod.calls)).not.toContain(aliceInputs.password);
  });

  it("with adopt, refuses a user whose role differs, before any change", async () => {
    const dpod = new FakeDpod();
    await userHandler.create(dpod.context(), {
      ...aliceInputs,
      accountRole: "dpod.tenant.admin",
      subscriberGroups: [],
    });
    dpod.calls.splice(0);
    await expect(userHandler.create(dpod.context(), { ...aliceInputs, adopt: true })).rejects.toThrow(
      /exists in DPoD with a different accountRole and subscriberGroups, which cannot change in place/,
    );
    expect(dpod.calls.map((c) => c.op)).toEqual(["users.list", "users.get"]);
  });

  it("explains a 409 on create without adopting, telling both stories", async () => {
    const dpod = new FakeDpod();
    dpod.failNext("users.create", "conflict");
    await expect(userHandler.create(dpod.context(), aliceInputs)).rejects.toThrow(
      /User "alice@example.com" already exists in DPoD \(409: .*If an earlier `pulumi up` of this stack was interrupted.*dpod:adoptIdentical.*If it belongs to someone else.*set `adopt: true`/,
    );
    expect(dpod.calls.map((c) => c.op)).toEqual(["users.create"]);
  });

  it("with dpod:adoptIdentical, takes over an identical user after a 409, with a warning and no write", async () => {
    const dpod = new FakeDpod();
    const { id } = await userHandler.create(dpod.context(), aliceInputs);
    const policy = dpod.context(undefined, { adoptIdentical: true });
    dpod.calls.splice(0);
    dpod.failNext("users.create", "conflict");
    const adopted = await userHandler.create(policy, { ...aliceInputs, username: "ALICE@example.com" });
    expect(adopted.id).toBe(id);
    expect(dpod.calls.map((c) => c.op)).toEqual(["users.create", "users.list", "users.get"]);
    expect(policy.warnings).toEqual([expect.stringMatching(/dpod:adoptIdentical is on/)]);
    expect(adopted.outs).not.toHaveProperty("password");

    dpod.failNext("users.create", "conflict");
    await expect(userHandler.create(policy, { ...aliceInputs, familyName: "Other" })).rejects.toThrow(
      /not taken over: it differs from the program in familyName/,
    );
  });
});

describe("ClientCredential lifecycle", () => {
  const ciInputs = {
    name: "ci",
    role: "dpod.tenant.api_appowner",
    rotationTriggers: { quarter: "2026Q4" },
    rotateAfterDays: 30,
    __provider: PROVIDER,
  };

  it("creates with a list and one POST and keeps the secret and its date", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await clientCredentialHandler.create(ctx, ciInputs);
    expect(dpod.calls.map((c) => c.op)).toEqual([
      "credentials.list",
      "credentials.create",
      "credentials.update",
    ]);
    expect(ctx.warnings).toEqual([]);
    expect(outs).toMatchObject({
      clientId: id,
      clientSecret: expect.stringMatching(/^fake-secret-/),
      secretCreatedAt: "2026-06-01T00:00:00.000Z",
      rotationTriggers: { quarter: "2026Q4" },
      serviceIds: [],
      subscriberGroups: [],
    });
  });

  it("rotates once when the triggers change, with one call", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await clientCredentialHandler.create(ctx, ciInputs);
    const news = { ...ciInputs, rotationTriggers: { quarter: "2027Q1" } };
    const { outs: after } = await clientCredentialHandler.update(ctx, id, outs, news);
    expect(dpod.calls.slice(3).map((c) => c.op)).toEqual(["credentials.resetSecret"]);
    expect(after.clientSecret).not.toBe(outs.clientSecret);
    expect(after.rotationTriggers).toEqual({ quarter: "2027Q1" });
    expect(clientCredentialHandler.diff(id, after, news, ctx.now).changes).toBe(false);
  });

  it("renames with one PATCH and no rotation", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await clientCredentialHandler.create(ctx, ciInputs);
    const { outs: after } = await clientCredentialHandler.update(ctx, id, outs, {
      ...ciInputs,
      name: "ci-2",
    });
    expect(dpod.calls.slice(3).map((c) => [c.op, c.args[1]])).toEqual([
      ["credentials.update", { name: "ci-2" }],
    ]);
    expect(after.clientSecret).toBe(outs.clientSecret);
  });

  it("rotates when the secret is older than rotateAfterDays", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await clientCredentialHandler.create(
      dpod.context(new Date("2026-01-01T00:00:00Z")),
      ciInputs,
    );
    const later = dpod.context(new Date("2026-02-15T00:00:00Z"));
    expect(clientCredentialHandler.diff(id, outs, ciInputs, later.now).changedKeys).toEqual(["clientSecret"]);
    const { outs: after } = await clientCredentialHandler.update(later, id, outs, ciInputs);
    expect(dpod.count("credentials.resetSecret")).toBe(1);
    expect(after.secretCreatedAt).toBe("2026-02-15T00:00:00.000Z");
    expect(clientCredentialHandler.diff(id, after, ciInputs, later.now).changes).toBe(false);
  });

  it("keeps the secret on read, which DPoD never returns", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await clientCredentialHandler.create(ctx, ciInputs);
    const read = await clientCredentialHandler.read(ctx, id, outs);
    expect(read.props?.clientSecret).toBe(outs.clientSecret);
    expect(read.inputs).toEqual({
      name: "ci",
      role: "dpod.tenant.api_appowner",
      rotationTriggers: { quarter: "2026Q4" },
      rotateAfterDays: 30,
    });
  });

  it("takes over the credential of a lost create answer by its temporary name, resets its secret, renames it", async () => {
    const dpod = new FakeDpod();
    dpod.failNext("credentials.create", "lost-response", true);
    const { id, outs } = await clientCredentialHandler.create(dpod.context(), ciInputs);
    expect(dpod.calls.map((c) => c.op)).toEqual([
      "credentials.list",
      "credentials.create",
      "credentials.list",
      "credentials.get",
      "credentials.resetSecret",
      "credentials.update",
    ]);
    expect(dpod.credentials.size).toBe(1);
    expect(dpod.credentials.get(id)?.name).toBe("ci");
    expect(outs.clientSecret).toBe("fake-secret-2"); // the reset's, not the lost answer's
    expect(id).toBe(outs.clientId);
  });

  it("leaves the credential under its temporary name when the takeover's reset fails; the next create finishes", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context(undefined, { urn: "urn:pulumi:dev::p::dpod:ClientCredential::ci" });
    dpod.failNext("credentials.create", "lost-response", true);
    dpod.failNext("credentials.resetSecret", "server-error");
    const error = await clientCredentialHandler.create(ctx, ciInputs).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ResourcePartialStateError); // nothing recorded without a secret
    const [left] = [...dpod.credentials.values()];
    expect(String(error)).toContain(`credential ${left?.clientId} under its temporary name ${left?.name}`);
    expect(String(error)).toContain("The next `pulumi up` of this stack takes it over");

    const { id, outs } = await clientCredentialHandler.create(ctx, ciInputs);
    expect(id).toBe(left?.clientId);
    expect(dpod.credentials.size).toBe(1);
    expect(outs).toMatchObject({ name: "ci", clientSecret: expect.stringMatching(/^fake-secret-/) });
  });

  it("resets the secret before the rename when the create answer carried none", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const create = dpod.api.credentials.create;
    dpod.api.credentials.create = async (body) => ({ ...(await create(body)), clientSecret: undefined });
    const { id, outs } = await clientCredentialHandler.create(ctx, ciInputs);
    expect(dpod.calls.map((c) => [c.op, c.args[0]])).toEqual([
      ["credentials.list", undefined],
      [
        "credentials.create",
        expect.objectContaining({ name: expect.stringMatching(/^pulumi-dpod-creating-/) }),
      ],
      ["credentials.resetSecret", id],
      ["credentials.update", id],
    ]);
    expect(outs).toMatchObject({ name: "ci", clientSecret: expect.stringMatching(/^fake-secret-/) });
    expect(clientCredentialHandler.diff(id, outs, ciInputs, ctx.now).changes).toBe(false);
  });

  it("keeps the old triggers when a rotation fails, so the next up rotates again", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await clientCredentialHandler.create(ctx, ciInputs);
    dpod.failNext("credentials.resetSecret", "server-error");
    const news = { ...ciInputs, name: "ci-2", rotationTriggers: { quarter: "2027Q1" } };
    const error = await expectPartial(clientCredentialHandler.update(ctx, id, outs, news));
    expect(error.properties).toMatchObject({ name: "ci-2", rotationTriggers: { quarter: "2026Q4" } });
    expect(error.properties.clientSecret).toBe(outs.clientSecret);
    expect(clientCredentialHandler.diff(id, error.properties, news, ctx.now).changedKeys).toEqual([
      "rotationTriggers",
      "clientSecret",
    ]);
  });

  it("imports a credential without its secret, and resets it only when a trigger changes", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id } = await clientCredentialHandler.create(ctx, ciInputs);
    const imported = await clientCredentialHandler.read(ctx, id, {}); // an import read carries no state
    expect(imported.props).toMatchObject({ clientId: id, secretUnknown: true });
    expect(imported.props).not.toHaveProperty("clientSecret");
    const declared = { name: "ci", role: "dpod.tenant.api_appowner" };
    expect(clientCredentialHandler.diff(id, imported.props, declared, ctx.now).changes).toBe(false);
    const refreshed = await clientCredentialHandler.read(ctx, id, imported.props);
    expect(refreshed.props?.secretUnknown).toBe(true);

    const rotate = { ...declared, rotationTriggers: { round: "1" } };
    expect(clientCredentialHandler.diff(id, imported.props, rotate, ctx.now).changedKeys).toEqual([
      "rotationTriggers",
      "clientSecret",
    ]);
    const { outs } = await clientCredentialHandler.update(ctx, id, imported.props, rotate);
    expect(outs.clientSecret).toEqual(expect.stringMatching(/^fake-secret-/));
    expect(outs).not.toHaveProperty("secretUnknown");
  });

  it("treats a 404 on delete as done and a 404 on read as gone", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const { id, outs } = await clientCredentialHandler.create(ctx, ciInputs);
    dpod.credentials.delete(id);
    await expect(clientCredentialHandler.delete(ctx, id, outs)).resolves.toBeUndefined();
    expect(await clientCredentialHandler.read(ctx, id, outs)).toEqual({ id: "" });
    expect(ctx.warnings[0]).toContain(`ClientCredential "ci" (${id})`);
  });
});

describe("what the engine receives converts to a protobuf Struct", () => {
  // The dynamic-provider runtime converts outputs and partial-state properties with Struct.fromJavaScript,
  // which throws on undefined (pulumi/pulumi#2205).
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

  it("for create, update, read and partial state of every resource", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context();
    const user = await userHandler.create(ctx, aliceInputs);
    const updated = await userHandler.update(ctx, user.id, user.outs, {
      ...aliceInputs,
      resetPasswordTrigger: "r9",
    });
    const read = await userHandler.read(ctx, user.id, updated.outs);
    const credential = await clientCredentialHandler.create(ctx, { name: "ci", role: "api_appowner" });
    const group = await subscriberGroupHandler.create(ctx, { name: "ops" });
    dpod.failNext("credentials.resetSecret", "server-error");
    const partial = await expectPartial(
      clientCredentialHandler.update(ctx, credential.id, credential.outs, {
        name: "ci",
        role: "api_appowner",
        rotationTriggers: { a: "1" },
        __provider: PROVIDER,
      }),
    );
    for (const bag of [
      user.outs,
      updated.outs,
      read.props,
      read.inputs,
      credential.outs,
      group.outs,
      partial.properties,
    ]) {
      expect(() => Struct.fromJavaScript(bag)).not.toThrow();
    }
  });
});
