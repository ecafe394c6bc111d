// The data-functions example runs here as a user would run it, against the emulator: the tenant's
// api_appowner credential as the stack's default connection, the service provider's api_spadmin credential
// (for users) and a user token (for getCurrentUser) as program config. Its exports are compared with what
// the emulator holds.
import * as path from "node:path";
import { startEmulator, type RunningEmulator, type EmulatorTenant } from "dpod-emulator";
import { repositoryRoot } from "../../scripts/lib/engine";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { userToken } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection, setUsersConfig } from "../helpers/emulator-seed";
import { copyProgram } from "../helpers/e2e-workspace";
import { policyPackArgs, policyPackOutcome } from "../helpers/policy-pack";

const exampleDir = path.join(repositoryRoot, "examples", "data-functions");

describe("data-functions example", () => {
  let emulator: RunningEmulator;
  let tenant: EmulatorTenant;
  let serviceProvider: EmulatorTenant;

  const credential = credentialOf;

  beforeAll(async () => {
    emulator = await startEmulator();
    ({ tenant, serviceProvider } = seedOf(emulator));
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("reads groups, credentials and users, exports them, shows no drift and destroys", async () => {
    const stack = await PulumiStack.create({ projectDir: copyProgram("data-functions", exampleDir) });
    try {
      const appOwner = credential(tenant, "dpod.tenant.api_appowner");
      const sp = credential(serviceProvider, "dpod.tenant.api_spadmin");
      const adminToken = await userToken(emulator, tenant.primaryAdmin.id);
      await setDefaultConnection(stack, emulator, appOwner);
      await setUsersConfig(stack, sp, tenant.id);
      await stack.setConfig("adminUsername", tenant.primaryAdmin.username);
      await stack.setConfig("userAccessToken", adminToken, { secret: true });

      // The first preview runs the functions whose arguments are known, and none that wait for an id.
      const preview = await stack.preview();
      expect(preview.code).toBe(0);

      const up = await stack.up();
      expect(up.code).toBe(0);

      const outputs = await stack.outputs();
      // Read with the stack config's credential: plain values.
      expect(outputs.reportingGroupName).toBe("reporting");
      expect(outputs.reportGroupNames).toEqual(["reporting"]);
      expect(outputs.serviceCredentialNames).toEqual([`${tenant.name}-api-service`]);
      const details = outputs.exporterDetails as Record<string, unknown>;
      expect(details).toMatchObject({
        name: "reporting-exporter",
        role: "dpod.tenant.api_appowner",
        tenantId: tenant.id,
        serviceIds: [],
      });
      expect(typeof details.clientId).toBe("string");
      expect(details).not.toHaveProperty("clientSecret");
      // Read through a connection holding a secret: the results hold no credential and stay plain.
      expect(outputs.primaryAdminId).toBe(tenant.primaryAdmin.id);
      expect(outputs.primaryAdminRole).toBe("dpod.tenant.admin");
      expect(outputs.tenantAdminUsernames).toEqual([tenant.primaryAdmin.username]);
      expect(typeof outputs.currentUsername).toBe("string");
      // ... while the connection's own secrets never reach the state in plain text.
      const state = await stack.exportText();
      expect(state).not.toContain(sp.clientSecret);
      expect(state).not.toContain(adminToken);

      const revealed = await stack.outputs({ showSecrets: true });
      expect(revealed.primaryAdminId).toBe(tenant.primaryAdmin.id);
      expect(revealed.primaryAdminRole).toBe("dpod.tenant.admin");
      expect(revealed.tenantAdminUsernames).toEqual([tenant.primaryAdmin.username]);
      expect(revealed.currentUsername).toBe(tenant.primaryAdmin.username);
      const group = (await stack.exportState()).deployment.resources?.find((r) =>
        r.urn.endsWith("::reporting"),
      );
      expect((revealed.exporterDetails as Record<string, unknown>).subscriberGroups).toEqual([group?.id]);

      const text = await stack.exportText();
      expect(text).not.toContain(sp.clientSecret);
      expect(text).not.toContain(appOwner.clientSecret);
      expect(text).not.toContain(adminToken);

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
});
