// Create recovery on the real engine, while another team's credential of the same name and role exists
// (dev and staging stacks of one program sharing a tenant): a create request lost before DPoD acts must
// never take that credential over or reset its secret; a create whose answer is lost after DPoD acted is
// still completed by taking over the credential under the attempt's temporary name.
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient, type ClientCredential } from "../../provider";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog, tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection } from "../helpers/emulator-seed";
import { createProgram } from "../helpers/e2e-workspace";

const program = `
import * as dpod from "pulumi-dpod";

const ci = new dpod.ClientCredential("ci", { name: "deploy-bot", role: "dpod.tenant.api_appowner" });
export const ciClientId = ci.clientId;
export const ciClientSecret = ci.clientSecret;
`;

describe("create recovery next to someone else's same-name credential", () => {
  let emulator: RunningEmulator;
  let appOwner: DpodClient;
  let stack: PulumiStack;
  let foreign: ClientCredential;

  async function addFault(kind: "lost-request" | "lost-response"): Promise<void> {
    const response = await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      headers: { "x-emulator-admin-key": emulator.adminKey, "content-type": "application/json" },
      body: JSON.stringify({ route: "POST /v1/credentials/clients", kind, count: 1 }),
    });
    expect(response.status).toBe(201);
  }

  async function namedDeployBot(): Promise<string[]> {
    const ids: string[] = [];
    for await (const credential of appOwner.credentials.list()) {
      if (credential.name === "deploy-bot") ids.push(credential.clientId);
    }
    return ids.sort();
  }

  async function foreignSecretWorks(): Promise<boolean> {
    return (await tokenRequestStatus(emulator, foreign.clientId, String(foreign.clientSecret))) === 200;
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    const { tenant } = seedOf(emulator);
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    appOwner = new DpodClient({ apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, ...appOwnerCredential });
    foreign = await appOwner.credentials.create({ name: "deploy-bot", role: "dpod.tenant.api_appowner" });
    stack = await PulumiStack.create({
      projectDir: createProgram("create-recovery", {
        "Pulumi.yaml": "name: dpod-create-recovery\nruntime: nodejs\n",
        "index.ts": program,
      }),
    });
    await setDefaultConnection(stack, emulator, appOwnerCredential);
  });

  afterAll(async () => {
    stack?.dispose();
    await appOwner?.close();
    await emulator?.close();
  });

  it("a create lost before DPoD acts fails, naming the foreign credential, which keeps working", async () => {
    await addFault("lost-request");
    await resetRequestLog(emulator);
    const up = await stack.up();
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/may or may not have reached DPoD/);
    expect(up.stdout + up.stderr).toMatch(/No credential carries this attempt's temporary name/);
    expect(up.stdout + up.stderr).toContain(`already exist in DPoD (${foreign.clientId})`);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 1,
      "GET /v1/credentials/clients": 2,
      "POST /v1/credentials/clients": 1,
    });
    expect(await foreignSecretWorks()).toBe(true);
    expect(await namedDeployBot()).toEqual([foreign.clientId]);
    expect(await stack.exportText()).not.toContain(foreign.clientId);

    // The next run creates the stack's own credential; the look-alike is named in a warning, untouched.
    const retry = await stack.up();
    expect(retry.code).toBe(0);
    expect(retry.stdout + retry.stderr).toContain(`already exist in DPoD (${foreign.clientId})`);
    const ownId = String((await stack.outputs()).ciClientId);
    expect(ownId).not.toBe(foreign.clientId);
    expect(await namedDeployBot()).toEqual([foreign.clientId, ownId].sort());
    expect(await foreignSecretWorks()).toBe(true);

    expect((await stack.destroy()).code).toBe(0);
    expect(await namedDeployBot()).toEqual([foreign.clientId]);
    expect(await foreignSecretWorks()).toBe(true);
  });

  it("a create whose answer is lost after DPoD acted takes over its own credential, without a duplicate", async () => {
    await addFault("lost-response");
    await resetRequestLog(emulator);
    expect((await stack.up()).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 1,
      "GET /v1/credentials/clients": 2,
      "POST /v1/credentials/clients": 1,
      "GET /v1/credentials/clients/:id": 1, // the credential under the attempt's temporary name, read by id
      "POST /v1/credentials/clients/:id/resetSecret": 1,
      "PATCH /v1/credentials/clients/:id": 1,
    });
    const outputs = await stack.outputs({ showSecrets: true });
    const ownId = String(outputs.ciClientId);
    expect(ownId).not.toBe(foreign.clientId);
    expect(await namedDeployBot()).toEqual([foreign.clientId, ownId].sort());
    expect(await tokenRequestStatus(emulator, ownId, String(outputs.ciClientSecret))).toBe(200);
    expect(await foreignSecretWorks()).toBe(true);

    expect((await stack.destroy()).code).toBe(0);
    expect(await namedDeployBot()).toEqual([foreign.clientId]);
  });
});
