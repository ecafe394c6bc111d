// The product on the real engine against the emulator (issue "Done when"): create, drift detection and
// repair, rotation by trigger and by age, user triggers, secrets kept out of state, validation before any
// API call, exact API-call counts, and a destroy that leaves the tenant as it was.
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient, DpodNotFoundError } from "../../provider";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { driftedResources } from "../../scripts/lib/preview-output";
import { calledRoutes, requestCounts, resetRequestLog, tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection, setUsersConfig } from "../helpers/emulator-seed";
import { createProgram } from "../helpers/e2e-workspace";

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const serviceProviderAdmin: dpod.ConnectionArgs = {
  clientId: config.require("spClientId"),
  clientSecret: config.requireSecret("spClientSecret"),
};

const ops = new dpod.SubscriberGroup("ops", { name: "ops", description: "Operations" });
const alice = new dpod.User("alice", {
  username: config.get("aliceUsername") ?? "alice@example.com",
  givenName: "Alice",
  familyName: "Doe",
  accountRole: (config.get("aliceRole") ?? "dpod.tenant.appowner") as dpod.AccountRole,
  subscriberGroups: [ops.id],
  tenantId: config.require("tenantId"),
  password: config.requireSecret("alicePassword"),
  resetPasswordTrigger: config.get("resetPassword"),
  allowRecreate: config.getBoolean("allowRecreate"),
  connection: serviceProviderAdmin,
});
const ci = new dpod.ClientCredential("ci", {
  name: "ci-pipeline",
  role: "dpod.tenant.api_appowner",
  rotationTriggers: { round: config.get("rotation") ?? "1" },
  rotateAfterDays: 30,
});

export const opsGroupId = ops.id;
export const aliceUserId = alice.id;
export const aliceTemporaryPassword = alice.temporaryPassword;
export const ciClientId = ci.clientId;
export const ciClientSecret = ci.clientSecret;
`;

const alicePassword = "Correct-Horse-Battery-42";

describe("users, subscriber groups and client credentials on the real engine", () => {
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let appOwner: DpodClient;
  let spAdmin: DpodClient;
  let tenantId: string;
  let providerSecrets: string[];
  let tenantBefore: string[];

  async function tenantObjects(): Promise<string[]> {
    const ids: string[] = [];
    for await (const group of appOwner.subscriberGroups.list()) ids.push(`group:${group.id}:${group.name}`);
    for await (const credential of appOwner.credentials.list()) ids.push(`credential:${credential.clientId}`);
    for await (const user of spAdmin.users.list({ tenantId })) ids.push(`user:${user.id}:${user.username}`);
    return ids.sort();
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    const { tenant, serviceProvider } = seedOf(emulator);
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
    tenantId = tenant.id;
    providerSecrets = [appOwnerCredential.clientSecret, spCredential.clientSecret];
    const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
    appOwner = new DpodClient({ ...base, ...appOwnerCredential });
    spAdmin = new DpodClient({ ...base, ...spCredential });
    tenantBefore = await tenantObjects();

    stack = await PulumiStack.create({
      projectDir: createProgram("resources", {
        "Pulumi.yaml": "name: dpod-resources\nruntime: nodejs\n",
        "index.ts": program,
      }),
    });
    await setDefaultConnection(stack, emulator, appOwnerCredential);
    await setUsersConfig(stack, spCredential, tenantId);
    await stack.setConfig("alicePassword", alicePassword, { secret: true });
  });

  afterAll(async () => {
    stack?.dispose();
    await appOwner?.close();
    await spAdmin?.close();
    await emulator?.close();
  });

  it("creates all three kinds with one API call each (and a list and a rename for the credential), one token per credential", async () => {
    await resetRequestLog(emulator);
    const up = await stack.up();
    expect(up.code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 2,
      "POST /v1/subscriber_groups": 1,
      "POST /v1/users": 1,
      // The list finds this resource's leftovers under a temporary name, and names same-name credentials.
      "GET /v1/credentials/clients": 1,
      "POST /v1/credentials/clients": 1,
      "PATCH /v1/credentials/clients/:id": 1, // the rename from its temporary name
    });
    const outputs = await stack.outputs();
    const group = await appOwner.subscriberGroups.get(String(outputs.opsGroupId));
    expect(group).toMatchObject({ name: "ops", description: "Operations" });
    const user = await spAdmin.users.get(String(outputs.aliceUserId), { tenantId });
    expect(user).toMatchObject({ username: "alice@example.com", subscriberGroups: [group.id] });
    expect(outputs.ciClientSecret).toBe("[secret]");
  });

  it("finds no drift on a clean stack, reading each object once", async () => {
    await resetRequestLog(emulator);
    const preview = await stack.preview(["--refresh", "--expect-no-changes"]);
    expect(preview.code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 2,
      "GET /v1/subscriber_groups/:id": 1,
      "GET /v1/users/:id": 1,
      "GET /v1/credentials/clients/:id": 1,
    });
  });

  it("keeps every secret out of the state, and each __provider a short require of its kind's module", async () => {
    const secret = String((await stack.outputs({ showSecrets: true })).ciClientSecret);
    expect(secret.length).toBeGreaterThan(8);
    const text = await stack.exportText();
    for (const value of [secret, alicePassword, ...providerSecrets]) expect(text).not.toContain(value);
    const resources = (await stack.exportState()).deployment.resources ?? [];
    const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/dpod:"));
    expect(dynamic.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/dpod:ClientCredential",
      "pulumi-nodejs:dynamic/dpod:SubscriberGroup",
      "pulumi-nodejs:dynamic/dpod:User",
    ]);
    // The engine rewrites the state after every step, so this text is paid per resource per step: it is a
    // require of the installed package's module for the kind, never the methods' source.
    const moduleOf: Record<string, string> = {
      ClientCredential: "client-credential",
      SubscriberGroup: "subscriber-group",
      User: "user",
    };
    for (const resource of dynamic) {
      const text = String(resource.inputs?.__provider);
      const kind = resource.type.split(":").at(-1)!;
      expect(text).toContain(`require("pulumi-dpod/dist/provider/dynamic-providers/${moduleOf[kind]}.js")`);
      expect(text).not.toContain("dynamicRuntime");
      expect(text.length).toBeLessThan(600);
      expect(resource.outputs?.__provider).toBe(text);
    }
  });

  it("fails a preview on invalid input, naming the property, with no API call", async () => {
    await stack.setConfig("aliceUsername", "not-an-email");
    await resetRequestLog(emulator);
    const preview = await stack.preview();
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/username: must be an email address/);
    expect((await requestCounts(emulator)).total).toBe(0);
    await stack.run(["config", "rm", "aliceUsername"], { expectSuccess: true });
  });

  it("reads the request concurrency (DPOD_MAX_CONCURRENCY) at call time, refusing a bad value before any API call", async () => {
    stack.setEnv("DPOD_MAX_CONCURRENCY", "lots");
    try {
      await resetRequestLog(emulator);
      const refresh = await stack.refresh();
      expect(refresh.code).not.toBe(0);
      expect(refresh.stdout + refresh.stderr).toMatch(
        /dpod:maxConcurrency \(environment variable DPOD_MAX_CONCURRENCY\): must be a whole number/,
      );
      expect((await requestCounts(emulator)).total).toBe(0);
      stack.setEnv("DPOD_MAX_CONCURRENCY", "2");
      expect((await stack.refresh()).code).toBe(0);
    } finally {
      stack.setEnv("DPOD_MAX_CONCURRENCY", undefined);
    }
  });

  it("reports out-of-band changes as drift, exactly on the changed objects, and repairs them", async () => {
    const outputs = await stack.outputs();
    await appOwner.subscriberGroups.update(String(outputs.opsGroupId), { name: "ops-renamed" });
    await spAdmin.users.update(String(outputs.aliceUserId), { phoneNumber: "+1 555 0100" }, { tenantId });
    await appOwner.credentials.delete(String(outputs.ciClientId));

    const drift = await stack.preview(["--refresh", "--expect-no-changes"]);
    expect(drift.code).not.toBe(0);
    expect(driftedResources(drift.stdout)).toEqual(["alice", "ci", "ops"]);
    expect(drift.stdout + drift.stderr).toMatch(/ci.*(deleted|not found|no longer exists)/i);

    await resetRequestLog(emulator);
    const repair = await stack.up(["--refresh"]);
    expect(repair.code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 2,
      "GET /v1/subscriber_groups/:id": 1,
      "GET /v1/users/:id": 1,
      "GET /v1/credentials/clients/:id": 1,
      "PATCH /v1/subscriber_groups/:id": 1,
      "PATCH /v1/users/:id": 1,
      "GET /v1/credentials/clients": 1,
      "POST /v1/credentials/clients": 1,
      "PATCH /v1/credentials/clients/:id": 1, // the rename from its temporary name
    });
    expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
    expect((await appOwner.subscriberGroups.get(String(outputs.opsGroupId))).name).toBe("ops");
    const user = await spAdmin.users.get(String(outputs.aliceUserId), { tenantId });
    expect(user.phoneNumber ?? "").toBe("");
    await expect(appOwner.credentials.get(String(outputs.ciClientId))).rejects.toBeInstanceOf(
      DpodNotFoundError,
    );
  });

  it("rotates the client secret once when a rotation trigger changes", async () => {
    const before = await stack.outputs({ showSecrets: true });
    const clientId = String(before.ciClientId);
    const oldSecret = String(before.ciClientSecret);
    expect(await tokenRequestStatus(emulator, clientId, oldSecret)).toBe(200);

    await stack.setConfig("rotation", "2");
    await resetRequestLog(emulator);
    expect((await stack.up()).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 1,
      "POST /v1/credentials/clients/:id/resetSecret": 1,
    });
    const after = await stack.outputs({ showSecrets: true });
    expect(after.ciClientId).toBe(clientId);
    const newSecret = String(after.ciClientSecret);
    expect(newSecret).not.toBe(oldSecret);
    expect(await tokenRequestStatus(emulator, clientId, oldSecret)).toBe(401);
    expect(await tokenRequestStatus(emulator, clientId, newSecret)).toBe(200);
    expect(await stack.exportText()).not.toContain(newSecret);

    // The same trigger value again: nothing to do.
    await resetRequestLog(emulator);
    expect((await stack.preview(["--expect-no-changes"])).code).toBe(0);
    expect((await requestCounts(emulator)).total).toBe(0);
  });

  it("rotates a secret older than rotateAfterDays on a scheduled up, with no code change", async () => {
    const oldSecret = String((await stack.outputs({ showSecrets: true })).ciClientSecret);
    const in31Days = new Date(Date.now() + 31 * 24 * 3600 * 1000).toISOString();
    stack.setEnv("DPOD_PROVIDER_NOW", in31Days);
    try {
      // Without the testing switch, a stray DPOD_PROVIDER_NOW cannot skew rotation: ignored, with a warning.
      const ignored = await stack.preview(["--expect-no-changes"]);
      expect(ignored.code).toBe(0);
      expect(ignored.stdout + ignored.stderr).toMatch(/DPOD_PROVIDER_NOW is set but ignored/);

      stack.setEnv("DPOD_ENABLE_TEST_CLOCK", "true");
      const preview = await stack.preview(["--expect-no-changes"]);
      expect(preview.code).not.toBe(0);
      expect(driftedResources(preview.stdout)).toEqual(["ci"]);

      await resetRequestLog(emulator);
      expect((await stack.up()).code).toBe(0);
      expect(calledRoutes(await requestCounts(emulator))).toMatchObject({
        "POST /v1/credentials/clients/:id/resetSecret": 1,
      });
      expect(String((await stack.outputs({ showSecrets: true })).ciClientSecret)).not.toBe(oldSecret);
      expect((await stack.preview(["--expect-no-changes"])).code).toBe(0);
    } finally {
      stack.setEnv("DPOD_PROVIDER_NOW", undefined);
      stack.setEnv("DPOD_ENABLE_TEST_CLOCK", undefined);
    }
  });

  it("resets a user's password through a trigger, exposing the temporary password only as a secret", async () => {
    await stack.setConfig("resetPassword", "first");
    await resetRequestLog(emulator);
    expect((await stack.up()).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 1,
      "PATCH /v1/users/:id/resetPassword": 1,
    });
    expect((await stack.outputs()).aliceTemporaryPassword).toBe("[secret]");
    const temporaryPassword = String((await stack.outputs({ showSecrets: true })).aliceTemporaryPassword);
    expect(temporaryPassword.length).toBeGreaterThan(7);
    expect(await stack.exportText()).not.toContain(temporaryPassword);

    await resetRequestLog(emulator);
    expect((await stack.up()).code).toBe(0);
    expect((await requestCounts(emulator)).total).toBe(0);
  });

  it("refuses to recreate a person's account on an accountRole change unless the program opts in", async () => {
    const before = String((await stack.outputs()).aliceUserId);
    await stack.setConfig("aliceRole", "dpod.tenant.admin");
    await resetRequestLog(emulator);
    const preview = await stack.preview();
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(
      /User "alice@example.com" \(id [0-9a-f-]+\): changing accountRole \(dpod.tenant.appowner in the stack, dpod.tenant.admin in the program\) cannot be done in place.*allowRecreate: true/s,
    );
    expect((await stack.up()).code).not.toBe(0);
    expect((await requestCounts(emulator)).total).toBe(0);
    expect((await spAdmin.users.get(before, { tenantId })).accountRole).toBe("dpod.tenant.appowner");

    await stack.setConfig("allowRecreate", "true");
    await resetRequestLog(emulator);
    expect((await stack.up()).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 1,
      "DELETE /v1/users/:id": 1,
      "POST /v1/users": 1,
    });
    const after = String((await stack.outputs()).aliceUserId);
    expect(after).not.toBe(before);
    expect((await spAdmin.users.get(after, { tenantId })).accountRole).toBe("dpod.tenant.admin");
    await expect(spAdmin.users.get(before, { tenantId })).rejects.toBeInstanceOf(DpodNotFoundError);
  });

  it("destroys everything with one call each, leaving the tenant as it was", async () => {
    await resetRequestLog(emulator);
    expect((await stack.destroy()).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 2,
      "DELETE /v1/subscriber_groups/:id": 1,
      "DELETE /v1/users/:id": 1,
      "DELETE /v1/credentials/clients/:id": 1,
    });
    expect(await tenantObjects()).toEqual(tenantBefore);
  });
});
