// The zero-downtime-rotation example on the real engine (issue #15, "Done when"): rotating twice, the
// previous secret keeps working after the first rotation, and after the second the oldest is refused
// and the two newest are accepted; a third rotation comes by age (rotateAfterDays). Also: the exact API calls of each step, both secrets kept out of the
// state in plaintext, the consumer stack delivering the current pair, and a destroy that removes both.
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { repositoryRoot } from "../../scripts/lib/engine";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog, tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection } from "../helpers/emulator-seed";
import { copyProgram } from "../helpers/e2e-workspace";
import { policyPackArgs, policyPackOutcome } from "../helpers/policy-pack";

const exampleDir = path.join(repositoryRoot, "examples", "zero-downtime-rotation");

describe("zero-downtime-rotation example", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("keeps the previous secret working for one rotation, and delivers the pair to a consumer", async () => {
    const { tenant } = seedOf(emulator);
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const appOwner = new DpodClient({
      apiUrl: emulator.url,
      tokenUrl: emulator.tokenUrl,
      ...appOwnerCredential,
    });
    const producer = await PulumiStack.create({
      projectDir: copyProgram("zero-downtime-rotation", exampleDir),
    });
    const consumer = await PulumiStack.create({
      projectDir: copyProgram("zero-downtime-consumer", path.join(exampleDir, "consumer")),
      backendOf: producer,
      stackName: "consumer",
    });
    const accepted = async (pair: { id: unknown; secret: unknown }) =>
      tokenRequestStatus(emulator, String(pair.id), String(pair.secret));
    try {
      await setDefaultConnection(producer, emulator, appOwnerCredential);
      await consumer.setConfig(
        "rotationStack",
        `organization/dpod-zero-downtime-rotation/${producer.stackName}`,
      );
      const credentialsBefore = await countCredentials(appOwner);

      await resetRequestLog(emulator);
      expect((await producer.up()).code).toBe(0);
      expect(calledRoutes(await requestCounts(emulator))).toEqual({
        "POST /oauth/v1/token": 1,
        "GET /v1/credentials/clients": 1,
        "POST /v1/credentials/clients": 1,
        "PATCH /v1/credentials/clients/:id": 1, // the rename from its temporary name
      });
      const created = await producer.outputs({ showSecrets: true });
      expect(created.previousClientId).toBeUndefined();
      const first = { id: created.clientId, secret: created.clientSecret };
      expect(await accepted(first)).toBe(200);
      expect((await appOwner.credentials.get(String(first.id))).name).toBe("deployer-a");

      await producer.setConfig("rotation", "2026-12-01");
      await resetRequestLog(emulator);
      expect((await producer.up()).code).toBe(0);
      expect(calledRoutes(await requestCounts(emulator))).toEqual({
        "POST /oauth/v1/token": 1,
        "GET /v1/credentials/clients/:id": 1, // the current credential still exists
        "GET /v1/credentials/clients": 1,
        "POST /v1/credentials/clients": 1,
        "PATCH /v1/credentials/clients/:id": 1, // the rename from its temporary name
      });
      const once = await producer.outputs({ showSecrets: true });
      const second = { id: once.clientId, secret: once.clientSecret };
      expect(second.id).not.toBe(first.id);
      expect({ id: once.previousClientId, secret: once.previousClientSecret }).toEqual(first);
      expect(await accepted(second)).toBe(200);
      expect(await accepted(first)).toBe(200); // the previous secret still works

      expect((await consumer.up()).code).toBe(0);
      const delivered = await consumer.outputs({ showSecrets: true });
      expect({ id: delivered.clientId, secret: delivered.clientSecret }).toEqual(second);
      expect((await consumer.outputs()).clientSecret).toBe("[secret]");

      // A second rotation minutes later would reset the pair the consumer just received: refused at
      // preview (default grace floor, 24 hours), with no API call, until the program allows it.
      await producer.setConfig("rotation", "2027-01-01");
      await resetRequestLog(emulator);
      const early = await producer.preview();
      expect(early.code).not.toBe(0);
      expect(early.stdout + early.stderr).toMatch(/less than minRotationIntervalHours \(24\)/);
      expect(calledRoutes(await requestCounts(emulator))).toEqual({});
      await producer.setConfig("minRotationIntervalHours", "0");
      expect((await producer.up()).code).toBe(0);
      expect(calledRoutes(await requestCounts(emulator))).toEqual({
        "POST /oauth/v1/token": 1,
        "GET /v1/credentials/clients/:id": 1,
        "POST /v1/credentials/clients/:id/resetSecret": 1,
      });
      const twice = await producer.outputs({ showSecrets: true });
      const third = { id: twice.clientId, secret: twice.clientSecret };
      expect(third.id).toBe(first.id);
      expect({ id: twice.previousClientId, secret: twice.previousClientSecret }).toEqual(second);
      expect(await accepted(first)).toBe(401); // the oldest is refused
      expect(await accepted(second)).toBe(200); // the two newest are accepted
      expect(await accepted(third)).toBe(200);
      expect(await countCredentials(appOwner)).toBe(credentialsBefore + 2);

      // By age (rotateAfterDays: 30), with no code change: 31 days on, a scheduled `up` rotates again.
      producer.setEnv("DPOD_PROVIDER_NOW", new Date(Date.now() + 31 * 24 * 3600 * 1000).toISOString());
      producer.setEnv("DPOD_ENABLE_TEST_CLOCK", "true");
      let fourth: { id: unknown; secret: unknown };
      try {
        await resetRequestLog(emulator);
        expect((await producer.up()).code).toBe(0);
        expect(calledRoutes(await requestCounts(emulator))).toEqual({
          "POST /oauth/v1/token": 1,
          "GET /v1/credentials/clients/:id": 1,
          "POST /v1/credentials/clients/:id/resetSecret": 1,
        });
        const aged = await producer.outputs({ showSecrets: true });
        fourth = { id: aged.clientId, secret: aged.clientSecret };
        expect(fourth.id).toBe(second.id);
        expect({ id: aged.previousClientId, secret: aged.previousClientSecret }).toEqual(third);
      } finally {
        producer.setEnv("DPOD_PROVIDER_NOW", undefined);
        producer.setEnv("DPOD_ENABLE_TEST_CLOCK", undefined);
      }
      expect(await accepted(second)).toBe(401);
      expect(await accepted(third)).toBe(200);
      expect(await accepted(fourth)).toBe(200);

      // Secrets stay Pulumi secrets: masked in outputs, never plaintext in the state.
      const masked = await producer.outputs();
      expect(masked.clientSecret).toBe("[secret]");
      expect(masked.previousClientSecret).toBe("[secret]");
      const state = await producer.exportText();
      const secrets = [first, second, third, fourth].map((pair) => pair.secret);
      for (const secret of [...secrets, appOwnerCredential.clientSecret]) {
        expect(state).not.toContain(String(secret));
      }
      // With the policy pack too: the example passes it with its defaults, without a finding.
      const clean = await producer.preview(["--refresh", "--expect-no-changes", ...policyPackArgs()]);
      expect({ code: clean.code, pack: policyPackOutcome(clean) }).toEqual({
        code: 0,
        pack: { ran: true, findings: [] },
      });

      expect((await consumer.destroy()).code).toBe(0);
      expect((await producer.destroy()).code).toBe(0);
      expect(await countCredentials(appOwner)).toBe(credentialsBefore);
    } finally {
      await appOwner.close();
      consumer.dispose();
      producer.dispose();
    }
  });
});

async function countCredentials(client: DpodClient): Promise<number> {
  let count = 0;
  for await (const credential of client.credentials.list()) if (credential.clientId) count += 1;
  return count;
}
