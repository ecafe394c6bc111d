// The import file `pulumi-dpod adopt --import-file` writes, used as documented with the native plugin:
// `pulumi import --file` in a YAML project whose default provider is the tenant's api_appowner credential
// takes over the tenant's groups and credentials under the generator's names, with reads only, and
// records the credentials without a secret (nothing is reset).
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection } from "../helpers/emulator-seed";
import { createProgram, e2eWorkspaceDir, nativePluginDir } from "../helpers/e2e-workspace";

const run = promisify(execFile);

describe("the adopt command's import file with the native plugin", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("imports the tenant's groups and credentials under the generator's names", async () => {
    const { tenant } = seedOf(emulator);
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const appOwner = new DpodClient({
      apiUrl: emulator.url,
      tokenUrl: emulator.tokenUrl,
      ...appOwnerCredential,
    });
    const ops = await appOwner.subscriberGroups.create({ name: "Ops (EU)", description: "Operations" });
    await appOwner.subscriberGroups.create({ name: "payments" });
    await appOwner.credentials.create({
      name: "ci",
      role: "dpod.tenant.api_appowner",
      subscriberGroups: [ops.id],
    });
    await appOwner.close();

    const pluginDir = nativePluginDir();
    const stack = await PulumiStack.create({
      projectDir: createProgram("adopt-import", {
        "Pulumi.yaml": "name: dpod-adopt-import\nruntime: yaml\n",
      }),
    });
    try {
      expect(
        (await stack.run(["plugin", "install", "resource", "dpod", "0.1.0", "--file", pluginDir])).code,
      ).toBe(0);
      await setDefaultConnection(stack, emulator, appOwnerCredential);

      await run(
        path.join(e2eWorkspaceDir(), "node_modules", ".bin", "pulumi-dpod"),
        ["adopt", "--kinds", "groups,credentials", "--out", "index.ts", "--import-file", "import.json"],
        {
          cwd: stack.projectDir,
          env: {
            PATH: process.env.PATH,
            DPOD_API_URL: emulator.url,
            DPOD_TOKEN_URL: emulator.tokenUrl,
            DPOD_CLIENT_ID: appOwnerCredential.clientId,
            DPOD_CLIENT_SECRET: appOwnerCredential.clientSecret,
          },
        },
      );

      await resetRequestLog(emulator);
      const imported = await stack.run([
        "import",
        "--file",
        path.join(stack.projectDir, "import.json"),
        "--yes",
        "--generate-code=false",
        "--protect=false",
      ]);
      expect(imported.code).toBe(0);
      // Reads only, no write: the import's preview and update each read every object (by id, or from one
      // paged list when reads of a kind arrive together), and nothing is created, changed or reset.
      const routes = calledRoutes(await requestCounts(emulator));
      expect(
        Object.keys(routes).filter((r) => !r.startsWith("GET ") && r !== "POST /oauth/v1/token"),
      ).toEqual([]);
      expect(Object.keys(routes).length).toBeGreaterThan(1);
      const resources = ((await stack.exportState()).deployment.resources ?? []).filter((r) =>
        r.type.startsWith("dpod:index:"),
      );
      const byName = Object.fromEntries(resources.map((r) => [r.urn.split("::").pop(), r]));
      expect(Object.keys(byName).sort()).toEqual(["child-tenant-api-service", "ci", "ops-eu", "payments"]);
      expect(byName["ops-eu"]?.id).toBe(ops.id);
      for (const name of ["ci", "child-tenant-api-service"]) {
        expect(byName[name]?.outputs).toMatchObject({ secretUnknown: true });
        expect(byName[name]?.outputs).not.toHaveProperty("clientSecret");
      }
    } finally {
      stack.dispose();
    }
  });
});
