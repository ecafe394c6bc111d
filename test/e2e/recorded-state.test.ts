// Compatibility of stored state: every state recorded by a release (test/fixtures/recorded-state/<version>,
// written by `npm run record:state-fixture`) must keep working with the current package. Each fixture is
// imported into a fresh stack next to the emulator state it was recorded against, then refreshed (no
// drift), updated (a rename, a user PATCH and a secret rotation) and destroyed (the tenant emptied of it).
import { copyFileSync, cpSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient, DpodNotFoundError } from "../../provider";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { FIXTURE_STACK, FIXTURES_DIR } from "../../scripts/record-state-fixture";
import { calledRoutes, requestCounts, resetRequestLog, tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf } from "../helpers/emulator-seed";
import { createProgram, workspaceScratchDir } from "../helpers/e2e-workspace";

const releases = readdirSync(FIXTURES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

it("has the state of at least one release to check", () => {
  expect(releases.length).toBeGreaterThan(0);
});

describe.each(releases)("the state recorded by release %s", (release) => {
  const fixture = path.join(FIXTURES_DIR, release);
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let appOwner: DpodClient;

  beforeAll(async () => {
    const scratch = workspaceScratchDir(`recorded-${release}-emulator`);
    const emulatorState = path.join(scratch, "emulator-state.json");
    copyFileSync(path.join(fixture, "emulator-state.json"), emulatorState);
    emulator = await startEmulator({ statePath: emulatorState });
    const credential = credentialOf(seedOf(emulator).tenant, "dpod.tenant.api_appowner");
    appOwner = new DpodClient({ apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, ...credential });

    const projectDir = createProgram(`recorded-${release}`, {});
    cpSync(path.join(fixture, "program"), projectDir, { recursive: true });
    stack = await PulumiStack.create({
      projectDir,
      stackName: FIXTURE_STACK,
      env: {
        DPOD_API_URL: emulator.url,
        DPOD_TOKEN_URL: emulator.tokenUrl,
        DPOD_CLIENT_ID: credential.clientId,
        DPOD_CLIENT_SECRET: credential.clientSecret,
      },
    });
    const imported = await stack.run(["stack", "import", "--file", path.join(fixture, "stack.json")]);
    expect(imported.code).toBe(0);
  });

  afterAll(async () => {
    stack?.dispose();
    await appOwner?.close();
    await emulator?.close();
  });

  it("refreshes with no drift and previews no change", async () => {
    expect((await stack.refresh(["--expect-no-changes"])).code).toBe(0);
    expect((await stack.preview(["--expect-no-changes"])).code).toBe(0);
  });

  it("updates in place and rotates the recorded credential's secret", async () => {
    const before = await stack.outputs({ showSecrets: true });
    const clientId = String(before.ciClientId);
    expect(await tokenRequestStatus(emulator, clientId, String(before.ciClientSecret))).toBe(200);
    await stack.setConfig("opsDescription", "Operations, renamed by a later release");
    await stack.setConfig("aliceGivenName", "Alicia");
    await stack.setConfig("rotation", "2");
    await resetRequestLog(emulator);
    expect((await stack.up()).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 2,
      "PATCH /v1/subscriber_groups/:id": 1,
      "PATCH /v1/users/:id": 1,
      "POST /v1/credentials/clients/:id/resetSecret": 1,
    });
    const after = await stack.outputs({ showSecrets: true });
    expect(after.ciClientId).toBe(clientId);
    expect(await tokenRequestStatus(emulator, clientId, String(before.ciClientSecret))).toBe(401);
    expect(await tokenRequestStatus(emulator, clientId, String(after.ciClientSecret))).toBe(200);
    expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
  });

  it("destroys every recorded object", async () => {
    const outputs = await stack.outputs();
    expect((await stack.destroy()).code).toBe(0);
    await expect(appOwner.subscriberGroups.get(String(outputs.opsGroupId))).rejects.toBeInstanceOf(
      DpodNotFoundError,
    );
    await expect(appOwner.credentials.get(String(outputs.ciClientId))).rejects.toBeInstanceOf(
      DpodNotFoundError,
    );
  });
});
