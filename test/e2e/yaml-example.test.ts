// examples/yaml on the real engine through the YAML language host and the native plugin
// (pulumi-resource-dpod from the installed package), with two explicit provider instances: up, a clean
// drift check, drift reported and repaired, a rotation previewed as a change of clientSecret and applied
// (old secret refused, new accepted), no plaintext secret in the state, invalid input refused before any
// API call, and a destroy that leaves the tenant as it was.
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { repositoryRoot } from "../../scripts/lib/engine";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { driftedResources } from "../../scripts/lib/preview-output";
import { calledRoutes, requestCounts, resetRequestLog, tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setUsersConfig } from "../helpers/emulator-seed";
import { copyProgram, usePluginFromWorkspace } from "../helpers/e2e-workspace";
import { policyPackArgs, policyPackOutcome } from "../helpers/policy-pack";

describe("the YAML example, through the native plugin", () => {
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let appOwner: DpodClient;
  let spAdmin: DpodClient;
  let tenantId: string;
  let secrets: string[];
  let tenantBefore: string[];

  async function tenantObjects(): Promise<string[]> {
    const ids: string[] = [];
    for await (const group of appOwner.subscriberGroups.list()) ids.push(`group:${group.id}`);
    for await (const credential of appOwner.credentials.list()) ids.push(`credential:${credential.clientId}`);
    for await (const user of spAdmin.users.list({ tenantId })) ids.push(`user:${user.id}`);
    return ids.sort();
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    const { tenant, serviceProvider } = seedOf(emulator);
    tenantId = tenant.id;
    const tenantCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
    secrets = [tenantCredential.clientSecret, spCredential.clientSecret];
    const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
    appOwner = new DpodClient({ ...base, ...tenantCredential });
    spAdmin = new DpodClient({ ...base, ...spCredential });
    tenantBefore = await tenantObjects();

    const projectDir = copyProgram("yaml", path.join(repositoryRoot, "examples", "yaml"));
    usePluginFromWorkspace(projectDir);
    stack = await PulumiStack.create({ projectDir });
    await stack.setConfig("dpodApiUrl", emulator.url);
    await stack.setConfig("dpodTokenUrl", emulator.tokenUrl);
    await stack.setConfig("tenantClientId", tenantCredential.clientId);
    await stack.setConfig("tenantClientSecret", tenantCredential.clientSecret, { secret: true });
    await setUsersConfig(stack, spCredential, tenantId);
  });

  afterAll(async () => {
    stack?.dispose();
    await appOwner?.close();
    await spAdmin?.close();
    await emulator?.close();
  });

  it("creates the three objects with one call each, one token per provider instance", async () => {
    await resetRequestLog(emulator);
    const up = await stack.up();
    expect(up.code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 2,
      "POST /v1/subscriber_groups": 1,
      "POST /v1/users": 1,
      "GET /v1/credentials/clients": 1,
      "POST /v1/credentials/clients": 1,
      "PATCH /v1/credentials/clients/:id": 1, // the rename from its temporary name
    });
    const outputs = await stack.outputs();
    expect(outputs.ciClientSecret).toBe("[secret]");
    const user = await spAdmin.users.get(String(outputs.aliceUserId), { tenantId });
    expect(user.subscriberGroups).toEqual([outputs.opsGroupId]);
  });

  it("finds no drift on a clean stack, reading each object once", async () => {
    await resetRequestLog(emulator);
    expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 2,
      "GET /v1/subscriber_groups/:id": 1,
      "GET /v1/users/:id": 1,
      "GET /v1/credentials/clients/:id": 1,
    });
  });

  it("keeps every secret out of the state", async () => {
    const ciSecret = String((await stack.outputs({ showSecrets: true })).ciClientSecret);
    expect(ciSecret.length).toBeGreaterThan(8);
    const text = await stack.exportText();
    for (const value of [ciSecret, ...secrets]) expect(text).not.toContain(value);
  });

  it("reports a change made by hand as drift, and repairs it", async () => {
    const { opsGroupId } = await stack.outputs();
    await appOwner.subscriberGroups.update(String(opsGroupId), { description: "edited by hand" });
    const drift = await stack.preview(["--refresh", "--expect-no-changes"]);
    expect(drift.code).not.toBe(0);
    expect(driftedResources(drift.stdout)).toEqual(["ops"]);
    await resetRequestLog(emulator);
    expect((await stack.up(["--refresh"])).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toMatchObject({
      "PATCH /v1/subscriber_groups/:id": 1,
    });
    expect((await appOwner.subscriberGroups.get(String(opsGroupId))).description).toBe("Operations");
    // With the policy pack too: the example passes it with its defaults, without a finding.
    const policed = await stack.preview(policyPackArgs());
    expect({ code: policed.code, pack: policyPackOutcome(policed) }).toEqual({
      code: 0,
      pack: { ran: true, findings: [] },
    });
    expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
  });

  it("previews a rotation as a change of clientSecret caused by the trigger, then rotates", async () => {
    const before = await stack.outputs({ showSecrets: true });
    await stack.setConfig("rotation", "2027Q1");
    await resetRequestLog(emulator);
    const preview = await stack.preview(["--diff"]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/~ dpod:index:ClientCredential: \(update\)/);
    expect(preview.stdout).toMatch(/clientSecret/);
    expect(preview.stdout).toMatch(/quarter\s*: "2026Q4" => "2027Q1"/);
    expect((await requestCounts(emulator)).total).toBe(0);

    await resetRequestLog(emulator);
    expect((await stack.up()).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 1,
      "POST /v1/credentials/clients/:id/resetSecret": 1,
    });
    const after = await stack.outputs({ showSecrets: true });
    expect(after.ciClientId).toBe(before.ciClientId);
    expect(await tokenRequestStatus(emulator, String(before.ciClientId), String(before.ciClientSecret))).toBe(
      401,
    );
    expect(await tokenRequestStatus(emulator, String(after.ciClientId), String(after.ciClientSecret))).toBe(
      200,
    );
    expect(await stack.exportText()).not.toContain(String(after.ciClientSecret));
  });

  it("refuses invalid input at preview, naming the field, with no API call", async () => {
    await stack.setConfig("aliceUsername", "not-an-email");
    await resetRequestLog(emulator);
    const preview = await stack.preview();
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/username: must be an email address/);
    expect((await requestCounts(emulator)).total).toBe(0);
    await stack.run(["config", "rm", "aliceUsername"], { expectSuccess: true });
  });

  it("destroys everything, leaving the tenant as it was", async () => {
    expect((await stack.destroy()).code).toBe(0);
    expect(await tenantObjects()).toEqual(tenantBefore);
  });
});
