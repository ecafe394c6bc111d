// `pulumi import` through the native plugin, installed the documented way (`pulumi plugin install ...
// --file` of a directory made by scripts/native-plugin/plugin-dir.sh): one user imported by id, then a
// mixed batch (a user of a child tenant, a group, a credential) from an import file. The YAML program that
// declares the same objects then previews with no changes; the credential's secret stays unknown (and
// is not reset) until a rotation trigger is set.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection } from "../helpers/emulator-seed";
import { createProgram, nativePluginDir } from "../helpers/e2e-workspace";

/**
 * The program: the default provider (stack config dpod:*) is the service provider's api_spadmin
 * credential, which manages the child tenant's users; the explicit provider `tenantAdmin` is the child
 * tenant's api_appowner credential, for its group and client credential. With `providerOnly`, the program
 * declares just that provider instance (what exists before anything is imported).
 */
function program(tenantId: string, providerOnly = false): string {
  const provider = `name: dpod-import
runtime: yaml
config:
  tenantClientId:
    type: string
  tenantClientSecret:
    type: string
    secret: true
resources:
  tenantAdmin:
    type: pulumi:providers:dpod
    properties:
      apiUrl: \${dpod:apiUrl}
      tokenUrl: \${dpod:tokenUrl}
      clientId: \${tenantClientId}
      clientSecret: \${tenantClientSecret}
`;
  if (providerOnly) return provider;
  return `${provider}  ops:
    type: dpod:index:SubscriberGroup
    properties:
      name: ops
      description: Operations
    options:
      provider: \${tenantAdmin}
  deployer:
    type: dpod:index:ClientCredential
    properties:
      name: deployer
      role: dpod.tenant.api_appowner
    options:
      provider: \${tenantAdmin}
  bob:
    type: dpod:index:User
    properties:
      username: bob@example.com
      givenName: Bob
      familyName: Builder
      accountRole: dpod.tenant.admin
      tenantId: ${tenantId}
  carol:
    type: dpod:index:User
    properties:
      username: carol@example.com
      givenName: Carol
      familyName: Child
      accountRole: dpod.tenant.admin
      tenantId: ${tenantId}
`;
}

describe("pulumi import through the native plugin", () => {
  let emulator: RunningEmulator;
  let stack: PulumiStack;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    stack?.dispose();
    await emulator?.close();
  });

  it("imports existing objects by id and from a file; the program then previews with no changes", async () => {
    const { tenant, serviceProvider } = seedOf(emulator);
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
    const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
    const appOwner = new DpodClient({ ...base, ...appOwnerCredential });
    const spAdmin = new DpodClient({ ...base, ...spCredential });
    const ops = await appOwner.subscriberGroups.create({ name: "ops", description: "Operations" });
    const deployer = await appOwner.credentials.create({
      name: "deployer",
      role: "dpod.tenant.api_appowner",
    });
    const bob = await spAdmin.users.create({
      username: "bob@example.com",
      givenName: "Bob",
      familyName: "Builder",
      accountRole: "dpod.tenant.admin",
      tenantId: tenant.id,
    });
    const carol = await spAdmin.users.create({
      username: "carol@example.com",
      givenName: "Carol",
      familyName: "Child",
      accountRole: "dpod.tenant.admin",
      tenantId: tenant.id,
    });
    await appOwner.close();
    await spAdmin.close();

    // The documented install: a plugin directory, then `pulumi plugin install ... --file`.
    const pluginDir = nativePluginDir();
    stack = await PulumiStack.create({
      projectDir: createProgram("native-import", { "Pulumi.yaml": program(tenant.id, true) }),
    });
    const installed = await stack.run([
      "plugin",
      "install",
      "resource",
      "dpod",
      "0.1.0",
      "--file",
      pluginDir,
    ]);
    expect(installed.code).toBe(0);
    await setDefaultConnection(stack, emulator, spCredential);
    await stack.setConfig("tenantClientId", appOwnerCredential.clientId);
    await stack.setConfig("tenantClientSecret", appOwnerCredential.clientSecret, { secret: true });
    expect((await stack.up()).code).toBe(0); // creates the provider instance only
    const importFlags = ["--yes", "--skip-preview", "--generate-code=false", "--protect=false"];

    // One user by id: a child tenant's user is named "<tenantId>/<userId>".
    await resetRequestLog(emulator);
    const single = await stack.run([
      "import",
      "dpod:index:User",
      "bob",
      `${tenant.id}/${bob.id}`,
      ...importFlags,
    ]);
    expect(single.code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toEqual({
      "POST /oauth/v1/token": 1,
      "GET /v1/users/:id": 1,
    });

    // A mixed batch from a file; the group and the credential through the explicit provider instance.
    const providerUrn = ((await stack.exportState()).deployment.resources ?? []).find(
      (r) => r.type === "pulumi:providers:dpod",
    )?.urn;
    expect(providerUrn).toBeDefined();
    const importFile = path.join(stack.projectDir, "import.json");
    writeFileSync(
      importFile,
      JSON.stringify({
        nameTable: { tenantAdmin: providerUrn },
        resources: [
          { type: "dpod:index:User", name: "carol", id: `${tenant.id}/${carol.id}` },
          { type: "dpod:index:SubscriberGroup", name: "ops", id: ops.id, provider: "tenantAdmin" },
          {
            type: "dpod:index:ClientCredential",
            name: "deployer",
            id: deployer.clientId,
            provider: "tenantAdmin",
          },
        ],
      }),
    );
    const batch = await stack.run(["import", "--file", importFile, ...importFlags]);
    expect(batch.code).toBe(0);

    const resources = (await stack.exportState()).deployment.resources ?? [];
    const imported = Object.fromEntries(
      resources.filter((r) => r.type.startsWith("dpod:index:")).map((r) => [r.urn.split("::").pop(), r]),
    );
    expect(Object.keys(imported).sort()).toEqual(["bob", "carol", "deployer", "ops"]);
    expect(imported.bob?.id).toBe(bob.id);
    expect(imported.carol?.id).toBe(carol.id);
    expect(imported.ops?.id).toBe(ops.id);
    expect(imported.deployer?.id).toBe(deployer.clientId);
    expect(imported.deployer?.outputs).toMatchObject({ secretUnknown: true });
    expect(imported.deployer?.outputs).not.toHaveProperty("clientSecret");

    // The program that declares them now previews with no change, and no secret is reset.
    writeFileSync(path.join(stack.projectDir, "Pulumi.yaml"), program(tenant.id));
    await resetRequestLog(emulator);
    const preview = await stack.preview(["--expect-no-changes"]);
    expect(preview.code).toBe(0);
    expect((await requestCounts(emulator)).byRoute["POST /v1/credentials/clients/:id/resetSecret"] ?? 0).toBe(
      0,
    );
    expect((await stack.destroy()).code).toBe(0);
  });
});
