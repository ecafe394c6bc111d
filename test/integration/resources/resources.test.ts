/**
 * The resource handlers and the dynamic runtime against the in-process emulator (port 0): real HTTP,
 * real client, API calls counted from the emulator's request log.
 */
import { startEmulator, type EmulatorTenant } from "dpod-emulator";
import { DpodClient, type ConnectionSettings } from "../../../provider/client";
import { DynamicRuntime } from "../../../provider/dynamic";
import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import { ResourcePartialStateError } from "../../../provider/resources/common/errors";
import type { HandlerContext } from "../../../provider/resources/common/lifecycle";
import { subscriberGroupHandler } from "../../../provider/resources/subscriber-group/handler";
import { userHandler } from "../../../provider/resources/user/handler";
import { scratchJournalEnv } from "../../helpers/scratch-journal";
import { emulatorAdmin } from "../../../scripts/lib/emulator-process";
import { apiCallCounts, requestCounts, resetRequestLog } from "../../helpers/emulator-admin";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const PROVIDER = "exports.handler = function () {};";
let emulator: Emulator;
let sp: EmulatorTenant;
let child: EmulatorTenant;
const clients: DpodClient[] = [];

function credential(tenant: EmulatorTenant, role: string) {
  const found = tenant.credentials.find((c) => c.role === role);
  if (!found) throw new Error(`fixture tenant ${tenant.name} has no ${role} credential`);
  return found;
}

function settingsFor(tenant: EmulatorTenant, role: string): ConnectionSettings {
  const { clientId, clientSecret } = credential(tenant, role);
  return { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, clientId, clientSecret };
}

function context(settings: ConnectionSettings): HandlerContext & { warnings: string[] } {
  const client = new DpodClient(settings);
  clients.push(client);
  const warnings: string[] = [];
  return { client, now: () => new Date(), warn: (m) => warnings.push(m), warnings };
}

beforeAll(async () => {
  emulator = await startEmulator();
  const found = (kind: string) => emulator.tenants.find((t) => t.kind === kind);
  sp = found("service-provider")!;
  child = found("tenant")!;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emulator.close();
});

beforeEach(async () => {
  await emulatorAdmin(emulator, "DELETE", "faults");
  await resetRequestLog(emulator);
});

describe("SubscriberGroup against the emulator", () => {
  it("create 1, read 1, update 1, delete 1; then gone", async () => {
    const ctx = context(settingsFor(child, "dpod.tenant.api_appowner"));
    const { id, outs } = await subscriberGroupHandler.create(ctx, { name: "it-ops", __provider: PROVIDER });
    expect(outs).toMatchObject({ name: "it-ops", tenantId: child.id });
    const read = await subscriberGroupHandler.read(ctx, id, outs);
    expect(read.inputs).toEqual({ name: "it-ops" });
    const { outs: after } = await subscriberGroupHandler.update(ctx, id, outs, {
      name: "it-ops",
      description: "Ops",
    });
    expect(after.description).toBe("Ops");
    await subscriberGroupHandler.delete(ctx, id, after);
    expect(await apiCallCounts(emulator)).toEqual({
      "POST /v1/subscriber_groups": 1,
      "GET /v1/subscriber_groups/:id": 1,
      "PATCH /v1/subscriber_groups/:id": 1,
      "DELETE /v1/subscriber_groups/:id": 1,
    });
    expect(await subscriberGroupHandler.read(ctx, id, after)).toEqual({ id: "" });
    expect(ctx.warnings).toEqual([
      expect.stringContaining(`SubscriberGroup "it-ops" (${id}) no longer exists`),
    ]);
    await expect(subscriberGroupHandler.delete(ctx, id, after)).resolves.toBeUndefined();
  });

  it("sees a rename made outside the program", async () => {
    const ctx = context(settingsFor(child, "dpod.tenant.api_appowner"));
    const { id, outs } = await subscriberGroupHandler.create(ctx, { name: "it-drift" });
    await ctx.client.subscriberGroups.update(id, { name: "it-drift-renamed" });
    const read = await subscriberGroupHandler.read(ctx, id, outs);
    expect(read.inputs).toEqual({ name: "it-drift-renamed" });
    expect(
      subscriberGroupHandler.diff(id, read.props, { name: "it-drift" }, () => new Date()).changedKeys,
    ).toEqual(["name"]);
    await subscriberGroupHandler.delete(ctx, id, outs);
  });

  it("adopts the group when the create answer is lost, making no duplicate", async () => {
    const ctx = context(settingsFor(child, "dpod.tenant.api_appowner"));
    await emulatorAdmin(emulator, "POST", "faults", {
      route: "POST /v1/subscriber_groups",
      kind: "lost-response",
      count: 1,
    });
    const { id } = await subscriberGroupHandler.create(ctx, { name: "it-lost", description: "d" });
    const all = [];
    for await (const g of ctx.client.subscriberGroups.list()) if (g.name === "it-lost") all.push(g.id);
    expect(all).toEqual([id]);
    expect((await apiCallCounts(emulator))["POST /v1/subscriber_groups"]).toBe(1);
    await subscriberGroupHandler.delete(ctx, id, {});
  });
});

describe("User against the emulator", () => {
  it("manages an application owner of a child tenant with an api_spadmin credential", async () => {
    const groups = context(settingsFor(child, "dpod.tenant.api_appowner"));
    const group = await subscriberGroupHandler.create(groups, { name: "it-owners" });
    const ctx = context(settingsFor(sp, "dpod.tenant.api_spadmin"));
    await resetRequestLog(emulator);

    const inputs = {
      username: "it-owner@example.com",
      givenName: "Ann",
      familyName: "Owner",
      accountRole: "dpod.tenant.appowner",
      subscriberGroups: [group.id],
      tenantId: child.id,
      password: "Initial-passw0rd",
      resetPasswordTrigger: "a",
      __provider: PROVIDER,
    };
    const { id, outs } = await userHandler.create(ctx, inputs);
    expect(outs).toMatchObject({
      tenantId: child.id,
      targetTenantId: child.id,
      subscriberGroups: [group.id],
    });
    expect(JSON.stringify(outs)).not.toContain("Initial-passw0rd");

    // Drift: a phone number set outside the program shows up in refresh and is repaired by one PATCH.
    await ctx.client.users.update(id, { phoneNumber: "+1 555 0100" }, { tenantId: child.id });
    const read = await userHandler.read(ctx, id, outs);
    expect(read.inputs).toMatchObject({ phoneNumber: "+1 555 0100" });
    expect(userHandler.diff(id, read.props, inputs, () => new Date()).changedKeys).toEqual(["phoneNumber"]);
    await resetRequestLog(emulator);
    const news = { ...inputs, resetPasswordTrigger: "b", resetMfaTrigger: "1" };
    const { outs: after } = await userHandler.update(ctx, id, read.props, news);
    expect(after.phoneNumber).toBeUndefined();
    expect(after.temporaryPassword).toEqual(expect.any(String));
    expect(await apiCallCounts(emulator)).toEqual({
      "PATCH /v1/users/:id": 1,
      "PATCH /v1/users/:id/resetPassword": 1,
      "POST /v1/users/:id/resetMfaToken": 1,
    });
    expect(userHandler.diff(id, after, news, () => new Date()).changes).toBe(false);

    await userHandler.delete(ctx, id, after);
    await subscriberGroupHandler.delete(groups, group.id, group.outs);
  });

  it("records partial state when DPoD refuses a trigger action, and names it", async () => {
    const ctx = context(settingsFor(sp, "dpod.tenant.api_spadmin"));
    const inputs = {
      username: "it-sp@example.com",
      givenName: "S",
      familyName: "P",
      accountRole: "dpod.tenant.spadmin",
    };
    const { id, outs } = await userHandler.create(ctx, inputs);
    // sendVerification is not granted to api_* credentials (docs/dpod-api-notes.md#which-role-may-call-what): 403.
    const error = await userHandler
      .update(ctx, id, outs, { ...inputs, sendVerificationTrigger: "now", __provider: PROVIDER })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ResourcePartialStateError);
    const partial = error as ResourcePartialStateError;
    expect(partial.properties).toMatchObject({ username: "it-sp@example.com", __provider: PROVIDER });
    expect(partial.properties).not.toHaveProperty("sendVerificationTrigger");
    expect(partial.reasons[0]).toMatch(/verification email/);
    await userHandler.delete(ctx, id, outs);
  });

  it("adopts the user when the create answer is lost", async () => {
    const ctx = context(settingsFor(sp, "dpod.tenant.api_spadmin"));
    await emulatorAdmin(emulator, "POST", "faults", {
      route: "POST /v1/users",
      kind: "lost-response",
      count: 1,
    });
    const inputs = {
      username: "it-lost@example.com",
      givenName: "L",
      familyName: "R",
      accountRole: "dpod.tenant.spadmin",
    };
    const { id, outs } = await userHandler.create(ctx, inputs);
    expect(outs.username).toBe("it-lost@example.com");
    expect((await apiCallCounts(emulator))["POST /v1/users"]).toBe(1);
    await userHandler.delete(ctx, id, outs);
  });
});

describe("ClientCredential against the emulator", () => {
  it("rotates on a trigger: the old secret stops working, the new one works", async () => {
    const ctx = context(settingsFor(child, "dpod.tenant.api_appowner"));
    const inputs = { name: "it-ci", role: "dpod.tenant.api_appowner", rotationTriggers: { q: "1" } };
    const { id, outs } = await clientCredentialHandler.create(ctx, inputs);
    const oldSecret = String(outs.clientSecret);
    await resetRequestLog(emulator);
    const { outs: after } = await clientCredentialHandler.update(ctx, id, outs, {
      ...inputs,
      rotationTriggers: { q: "2" },
    });
    expect(await apiCallCounts(emulator)).toEqual({ "POST /v1/credentials/clients/:id/resetSecret": 1 });
    const newSecret = String(after.clientSecret);
    expect(newSecret).not.toBe(oldSecret);

    const token = (secret: string) =>
      fetch(emulator.tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: id, client_secret: secret }),
      }).then((r) => r.status);
    expect(await token(oldSecret)).toBe(401);
    expect(await token(newSecret)).toBe(200);
    await clientCredentialHandler.delete(ctx, id, after);
  });

  it("adopts the credential of a lost create answer and obtains a working secret", async () => {
    const ctx = context(settingsFor(child, "dpod.tenant.api_appowner"));
    await emulatorAdmin(emulator, "POST", "faults", {
      route: "POST /v1/credentials/clients",
      kind: "lost-response",
      count: 1,
    });
    const inputs = { name: "it-lost-ci", role: "dpod.tenant.api_appowner" };
    const { id, outs } = await clientCredentialHandler.create(ctx, inputs);
    expect(outs.clientSecret).toEqual(expect.any(String));
    expect(await apiCallCounts(emulator)).toMatchObject({
      "POST /v1/credentials/clients": 1,
      "GET /v1/credentials/clients": 2, // the list before the POST, and the lookup after it
      "POST /v1/credentials/clients/:id/resetSecret": 1,
      "PATCH /v1/credentials/clients/:id": 1, // the rename from its temporary name
    });
    expect(outs.name).toBe("it-lost-ci");
    await clientCredentialHandler.delete(ctx, id, outs);
  });

  it("never takes over a same-name credential when the create request is lost before DPoD acts", async () => {
    const ctx = context(settingsFor(child, "dpod.tenant.api_appowner"));
    const inputs = { name: "it-shared-name", role: "dpod.tenant.api_appowner" };
    const foreign = await ctx.client.credentials.create(inputs);
    await resetRequestLog(emulator);
    await emulatorAdmin(emulator, "POST", "faults", {
      route: "POST /v1/credentials/clients",
      kind: "lost-request",
      count: 1,
    });
    await expect(clientCredentialHandler.create(ctx, inputs)).rejects.toThrow(
      /may or may not have reached DPoD.*No credential carries this attempt's temporary name/,
    );
    expect(await apiCallCounts(emulator)).toEqual({
      "GET /v1/credentials/clients": 2,
      "POST /v1/credentials/clients": 1,
    });
    const token = await fetch(emulator.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: foreign.clientId,
        client_secret: String(foreign.clientSecret),
      }),
    });
    expect(token.status).toBe(200);
    const named: string[] = [];
    for await (const c of ctx.client.credentials.list()) if (c.name === inputs.name) named.push(c.clientId);
    expect(named).toEqual([foreign.clientId]);
    await ctx.client.credentials.delete(foreign.clientId);
  });

  it("reports a credential deleted outside the program as gone", async () => {
    const ctx = context(settingsFor(child, "dpod.tenant.api_appowner"));
    const { id, outs } = await clientCredentialHandler.create(ctx, {
      name: "it-gone",
      role: "dpod.tenant.api_appowner",
    });
    await ctx.client.credentials.delete(id);
    expect(await clientCredentialHandler.read(ctx, id, outs)).toEqual({ id: "" });
    expect(ctx.warnings[0]).toContain('ClientCredential "it-gone"');
  });
});

describe("DynamicRuntime against the emulator", () => {
  it("uses the environment, then a resource's own connection, with one token per credential", async () => {
    const { clientId, clientSecret } = credential(child, "dpod.tenant.api_appowner");
    const env = {
      DPOD_API_URL: emulator.url,
      DPOD_TOKEN_URL: emulator.tokenUrl,
      DPOD_CLIENT_ID: clientId,
      DPOD_CLIENT_SECRET: clientSecret,
      ...scratchJournalEnv(),
    };
    const runtime = new DynamicRuntime(env, undefined, () => undefined);
    const a = await runtime.create("SubscriberGroup", { name: "rt-a", __provider: PROVIDER });
    const b = await runtime.create("SubscriberGroup", { name: "rt-b", __provider: PROVIDER });
    const sp1 = settingsFor(sp, "dpod.tenant.api_spadmin");
    const connection = { clientId: sp1.clientId, clientSecret: sp1.clientSecret };
    const user = await runtime.create("User", {
      username: "rt-user@example.com",
      givenName: "R",
      familyName: "T",
      accountRole: "dpod.tenant.spadmin",
      connection,
      __provider: PROVIDER,
    });
    expect(user.outs?.connection).toEqual(connection);
    await runtime.delete("User", user.id, { ...user.outs, __provider: PROVIDER });
    await runtime.delete("SubscriberGroup", a.id, a.outs);
    await runtime.delete("SubscriberGroup", b.id, b.outs);
    const report = await requestCounts(emulator);
    const tokenRequests = Object.entries(report.byRoute)
      .filter(([route]) => route.includes("/oauth/"))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(tokenRequests).toBeLessThanOrEqual(2);
  });
});
