// Every example under examples/ runs here, as a user would run it, against the emulator: copied into the
// program workspace (pulumi-dpod installed from its tarball), configured, brought up, checked, destroyed.
import * as path from "node:path";
import { startEmulator, type RunningEmulator, type EmulatorTenant } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { repositoryRoot } from "../../scripts/lib/engine";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { driftedResources } from "../../scripts/lib/preview-output";
import { tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection, setUsersConfig } from "../helpers/emulator-seed";
import { markedShellBlock } from "../helpers/doc-steps";
import { copyProgram } from "../helpers/e2e-workspace";
import { policyPackArgs, policyPackOutcome } from "../helpers/policy-pack";

const examplesDir = path.join(repositoryRoot, "examples");

describe("examples", () => {
  let emulator: RunningEmulator;
  let tenant: EmulatorTenant;
  let serviceProvider: EmulatorTenant;

  const credential = credentialOf;

  /** A stack of the example, configured with the child tenant's api_appowner credential as the default. */
  async function exampleStack(name: string, options: { backendOf?: PulumiStack } = {}): Promise<PulumiStack> {
    const stack = await PulumiStack.create({
      projectDir: copyProgram(name, path.join(examplesDir, name)),
      ...options,
    });
    await setDefaultConnection(stack, emulator, credential(tenant, "dpod.tenant.api_appowner"));
    return stack;
  }

  function clientFor(owner: EmulatorTenant, role: string): DpodClient {
    return new DpodClient({ apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, ...credential(owner, role) });
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    ({ tenant, serviceProvider } = seedOf(emulator));
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("quickstart: creates, shows no drift, destroys", async () => {
    const stack = await exampleStack("quickstart");
    try {
      const sp = credential(serviceProvider, "dpod.tenant.api_spadmin");
      await setUsersConfig(stack, sp, tenant.id);
      expect((await stack.up()).code).toBe(0);
      const outputs = await stack.outputs();
      expect(outputs.ciClientSecret).toBe("[secret]");
      expect(typeof outputs.aliceUserId).toBe("string");
      // With the policy pack too: the example passes it with its defaults, without a finding.
      const clean = await stack.preview(["--refresh", "--expect-no-changes", ...policyPackArgs()]);
      expect({ code: clean.code, pack: policyPackOutcome(clean) }).toEqual({
        code: 0,
        pack: { ran: true, findings: [] },
      });
      expect((await stack.destroy()).code).toBe(0);
    } finally {
      stack.dispose();
    }
  });

  it("tenant-quickstart: the tenant's api_appowner credential alone manages a group and a bound credential", async () => {
    // exampleStack configures nothing but the child tenant's api_appowner credential.
    const stack = await exampleStack("tenant-quickstart");
    const appOwner = clientFor(tenant, "dpod.tenant.api_appowner");
    try {
      const created = await stack.up(policyPackArgs());
      expect({
        code: created.code,
        pack: policyPackOutcome(created),
        failure: created.code === 0 ? "" : `${created.stdout}\n${created.stderr}`,
      }).toEqual({ code: 0, pack: { ran: true, findings: [] }, failure: "" });
      expect((await stack.outputs()).ciClientSecret).toBe("[secret]");
      const first = await stack.outputs({ showSecrets: true });
      const record = await appOwner.credentials.get(String(first.ciClientId));
      expect({
        role: record.role,
        subscriberGroups: record.subscriberGroups,
        tenantId: record.tenantId,
      }).toEqual({
        role: "dpod.tenant.api_appowner",
        subscriberGroups: [first.paymentsGroupId],
        tenantId: tenant.id,
      });
      expect(await tokenRequestStatus(emulator, String(first.ciClientId), String(first.ciClientSecret))).toBe(
        200,
      );
      expect(await stack.exportText()).not.toContain(String(first.ciClientSecret));

      // The README's rotation step: same client id, a new secret, the old one refused.
      await stack.setConfig("rotation", "2027Q1");
      expect((await stack.up()).code).toBe(0);
      const second = await stack.outputs({ showSecrets: true });
      expect(second.ciClientId).toBe(first.ciClientId);
      expect(second.ciClientSecret).not.toBe(first.ciClientSecret);
      expect(await tokenRequestStatus(emulator, String(first.ciClientId), String(first.ciClientSecret))).toBe(
        401,
      );

      expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
      expect((await stack.destroy()).code).toBe(0);
      await expect(appOwner.subscriberGroups.get(String(first.paymentsGroupId))).rejects.toThrow();
    } finally {
      await appOwner.close();
      stack.dispose();
    }
  });

  it("secret-rotation: a changed trigger rotates, and the consumer stack picks the new secret up", async () => {
    const producer = await exampleStack("secret-rotation");
    const consumer = await PulumiStack.create({
      projectDir: copyProgram(
        "secret-rotation-consumer",
        path.join(examplesDir, "secret-rotation", "consumer"),
      ),
      backendOf: producer,
      stackName: "consumer",
    });
    try {
      await consumer.setConfig("rotationStack", `organization/dpod-secret-rotation/${producer.stackName}`);
      const created = await producer.up(policyPackArgs());
      expect({ code: created.code, pack: policyPackOutcome(created) }).toEqual({
        code: 0,
        pack: { ran: true, findings: [] },
      });
      const first = await producer.outputs({ showSecrets: true });
      expect((await consumer.up()).code).toBe(0);
      expect((await consumer.outputs({ showSecrets: true })).clientSecret).toBe(first.deployerClientSecret);
      expect((await consumer.outputs()).clientSecret).toBe("[secret]");

      await producer.setConfig("rotation", "2026-12-01");
      expect((await producer.up()).code).toBe(0);
      const second = await producer.outputs({ showSecrets: true });
      expect(second.deployerClientId).toBe(first.deployerClientId);
      expect(second.deployerClientSecret).not.toBe(first.deployerClientSecret);
      expect(
        await tokenRequestStatus(
          emulator,
          String(first.deployerClientId),
          String(first.deployerClientSecret),
        ),
      ).toBe(401);

      expect((await consumer.up()).code).toBe(0);
      const picked = await consumer.outputs({ showSecrets: true });
      expect(picked.clientSecret).toBe(second.deployerClientSecret);
      expect(await tokenRequestStatus(emulator, String(picked.clientId), String(picked.clientSecret))).toBe(
        200,
      );

      // The README's rotation-by-age steps, run as written in the producer's directory: the preview shows
      // the update and the up resets the secret once, the fixed clock being 91 days past its creation.
      const ageSteps = markedShellBlock(
        path.join(examplesDir, "secret-rotation", "README.md"),
        "age-rotation-steps:",
      );
      const byAge = await producer.exec("bash", ["-euo", "pipefail", "-c", ageSteps]);
      expect({ code: byAge.code, stderr: byAge.code === 0 ? "" : byAge.stderr }).toEqual({
        code: 0,
        stderr: "",
      });
      expect(driftedResources(byAge.stdout)).toEqual(["deployer"]);
      const third = await producer.outputs({ showSecrets: true });
      expect(third.deployerClientSecret).not.toBe(second.deployerClientSecret);
      expect(
        await tokenRequestStatus(
          emulator,
          String(first.deployerClientId),
          String(second.deployerClientSecret),
        ),
      ).toBe(401);
      // Outside the steps, no fixed clock is left behind: a preview shows nothing more to rotate.
      expect((await producer.preview(["--expect-no-changes"])).code).toBe(0);

      expect((await consumer.destroy()).code).toBe(0);
      expect((await producer.destroy()).code).toBe(0);
    } finally {
      consumer.dispose();
      producer.dispose();
    }
  });

  it("drift-detection: the CI script passes on a clean tenant and fails after a change by hand", async () => {
    const stack = await exampleStack("drift-detection");
    const appOwner = clientFor(tenant, "dpod.tenant.api_appowner");
    try {
      const created = await stack.up(policyPackArgs());
      expect({ code: created.code, pack: policyPackOutcome(created) }).toEqual({
        code: 0,
        pack: { ran: true, findings: [] },
      });
      const script = path.join(stack.projectDir, "drift-check.sh");
      const clean = await stack.exec(script, []);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain("the tenant matches the program");

      const { paymentsGroupId } = await stack.outputs();
      await appOwner.subscriberGroups.update(String(paymentsGroupId), { description: "edited in the UI" });
      const drifted = await stack.exec(script, []);
      expect(drifted.code).not.toBe(0);
      expect(drifted.stderr).toContain("DRIFT");
      expect(driftedResources(drifted.stdout)).toEqual(["payments"]);
      expect(drifted.stdout).toContain("description");

      expect((await stack.destroy()).code).toBe(0);
    } finally {
      await appOwner.close();
      stack.dispose();
    }
  });

  it("multi-tenant: a service-provider and a tenant credential side by side, per-resource connections", async () => {
    const stack = await PulumiStack.create({
      projectDir: copyProgram("multi-tenant", path.join(examplesDir, "multi-tenant")),
    });
    const spAdmin = clientFor(serviceProvider, "dpod.tenant.api_spadmin");
    try {
      const sp = credential(serviceProvider, "dpod.tenant.api_spadmin");
      const appOwner = credential(tenant, "dpod.tenant.api_appowner");
      await stack.setConfig("apiUrl", emulator.url);
      await stack.setConfig("tokenUrl", emulator.tokenUrl);
      await stack.setConfig("spClientId", sp.clientId);
      await stack.setConfig("spClientSecret", sp.clientSecret, { secret: true });
      await stack.setConfig("tenantClientId", appOwner.clientId);
      await stack.setConfig("tenantClientSecret", appOwner.clientSecret, { secret: true });
      await stack.setConfig("tenantId", tenant.id);

      expect((await stack.up()).code).toBe(0);
      const outputs = await stack.outputs();
      const operator = await spAdmin.users.get(String(outputs.spOperatorId));
      expect(operator.tenantId).toBe(serviceProvider.id);
      const analyst = await spAdmin.users.get(String(outputs.analystId), { tenantId: tenant.id });
      expect(analyst.tenantId).toBe(tenant.id);
      const text = await stack.exportText();
      expect(text).not.toContain(sp.clientSecret);
      expect(text).not.toContain(appOwner.clientSecret);
      const clean = await stack.preview(["--refresh", "--expect-no-changes", ...policyPackArgs()]);
      expect({ code: clean.code, pack: policyPackOutcome(clean) }).toEqual({
        code: 0,
        pack: { ran: true, findings: [] },
      });

      // The helpdesk flow: a new trigger value resets the password once; the temporary one is a secret.
      await stack.setConfig("resetTenantAdminPassword", "TICKET-1042");
      await stack.setConfig("resetTenantAdminMfa", "TICKET-1042");
      expect((await stack.up()).code).toBe(0);
      expect((await stack.outputs()).tenantAdminTemporaryPassword).toBe("[secret]");
      const temporaryPassword = String(
        (await stack.outputs({ showSecrets: true })).tenantAdminTemporaryPassword,
      );
      expect(temporaryPassword.length).toBeGreaterThan(7);
      expect(await stack.exportText()).not.toContain(temporaryPassword);
      expect((await stack.preview(["--expect-no-changes"])).code).toBe(0);

      expect((await stack.destroy()).code).toBe(0);
    } finally {
      await spAdmin.close();
      stack.dispose();
    }
  });
});
