// The adopt-tenant example on the real engine (issue #15, "Done when"): a tenant seeded with 50 users,
// 10 groups (users in several groups) and 5 credentials; the program `pulumi-dpod adopt` writes goes up
// with the adoption reads only and no write, `preview --refresh --expect-no-changes` passes, a second run
// of the command writes identical files, it refuses to overwrite the program without --force, regenerated
// with --names-from after new objects appeared (one colliding with an adopted name) it renames nothing (the
// preview only adds), and destroy (retainOnDelete) leaves the tenant as it was.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { repositoryRoot } from "../../scripts/lib/engine";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection } from "../helpers/emulator-seed";
import { copyProgram, e2eWorkspaceDir } from "../helpers/e2e-workspace";
import { policyPackArgs, policyPackOutcome } from "../helpers/policy-pack";

const exampleDir = path.join(repositoryRoot, "examples", "adopt-tenant");
const run = promisify(execFile);

describe("adopt-tenant example", () => {
  let emulator: RunningEmulator;
  let appOwner: DpodClient;
  let spAdmin: DpodClient;
  let tenantId: string;

  /** Every object of the child tenant, with the fields adoption must leave untouched. */
  async function tenantObjects(): Promise<string[]> {
    const all: string[] = [];
    for await (const g of appOwner.subscriberGroups.list()) all.push(JSON.stringify(["group", g]));
    for await (const c of appOwner.credentials.list()) all.push(JSON.stringify(["credential", c]));
    for await (const u of spAdmin.users.list({ tenantId })) all.push(JSON.stringify(["user", u]));
    return all.sort();
  }

  /** 10 groups (two with odd names), 50 users in one to three groups each, and 5 credentials. */
  async function seedTenant(serviceIds: string[]): Promise<void> {
    const groups: string[] = [];
    for (let i = 0; i < 10; i++) {
      const name =
        i === 3 ? "Ops (EU) / night" : i === 7 ? "Zoë's team" : `team-${String(i).padStart(2, "0")}`;
      const group = await appOwner.subscriberGroups.create({
        name,
        description: i % 2 === 0 ? `Group number ${i}` : undefined,
      });
      groups.push(group.id);
    }
    for (let i = 0; i < 50; i++) {
      const admin = i % 10 === 0;
      const memberOf = [groups[i % 10]!, groups[(i * 3 + 1) % 10]!, groups[(i * 7 + 2) % 10]!].slice(
        0,
        1 + (i % 3),
      );
      await spAdmin.users.create({
        username: `user${String(i).padStart(2, "0")}@example.com`,
        givenName: `Given${i}`,
        familyName: i === 5 ? "O'Brien" : `Family${i}`,
        phoneNumber: i % 4 === 0 ? `+1 555 01${String(i).padStart(2, "0")}` : undefined,
        accountRole: admin ? "dpod.tenant.admin" : "dpod.tenant.appowner",
        subscriberGroups: admin ? undefined : [...new Set(memberOf)],
        tenantId,
      });
    }
    await appOwner.credentials.create({ name: "ci", role: "dpod.tenant.api_appowner" });
    await appOwner.credentials.create({
      name: "payments-app",
      role: "dpod.tenant.api_appowner",
      subscriberGroups: [groups[0]!, groups[3]!],
    });
    await appOwner.credentials.create({
      name: "reporting",
      role: "dpod.tenant.api_appowner",
      subscriberGroups: [groups[7]!],
    });
    await appOwner.credentials.create({
      name: "backup-service",
      role: "dpod.tenant.api_service",
      serviceIds,
    });
    await appOwner.credentials.create({
      name: "ci",
      role: "dpod.tenant.api_appowner",
      subscriberGroups: [groups[1]!],
    });
  }

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await appOwner?.close();
    await spAdmin?.close();
    await emulator?.close();
  });

  it("generates a program that adopts everything with reads only, twice identically", async () => {
    const { tenant, serviceProvider } = seedOf(emulator);
    tenantId = tenant.id;
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const serviceCredential = credentialOf(tenant, "dpod.tenant.api_service");
    const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
    const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
    appOwner = new DpodClient({ ...base, ...appOwnerCredential });
    spAdmin = new DpodClient({ ...base, ...spCredential });
    await seedTenant((await appOwner.credentials.get(serviceCredential.clientId)).serviceIds ?? []);
    const before = await tenantObjects();

    const stack = await PulumiStack.create({ projectDir: copyProgram("adopt-tenant", exampleDir) });
    // The README's command, run from the project directory with the package's own bin.
    const generate = async (out: string, importFile: string, extra: string[] = []) => {
      const started = Date.now();
      const result = await run(
        path.join(e2eWorkspaceDir(), "node_modules", ".bin", "pulumi-dpod"),
        [
          "adopt",
          "--tenant-id",
          tenant.id,
          "--users-client-id",
          spCredential.clientId,
          "--retain-on-delete",
        ].concat(["--out", out, "--import-file", importFile], extra),
        {
          cwd: stack.projectDir,
          env: {
            PATH: process.env.PATH,
            DPOD_API_URL: emulator.url,
            DPOD_TOKEN_URL: emulator.tokenUrl,
            DPOD_CLIENT_ID: appOwnerCredential.clientId,
            DPOD_CLIENT_SECRET: appOwnerCredential.clientSecret,
            DPOD_USERS_CLIENT_SECRET: spCredential.clientSecret,
          },
        },
      );
      const elapsedMs = Date.now() - started;
      const read = (file: string) => readFileSync(path.join(stack.projectDir, file), "utf8");
      return { program: read(out), importFile: read(importFile), stderr: result.stderr, elapsedMs };
    };
    try {
      await resetRequestLog(emulator);
      const first = await generate("index.ts", "import.json");
      process.stderr.write(`[adopt-tenant] generator: ${first.elapsedMs} ms wall; ${first.stderr}`);
      const generatorCalls = calledRoutes(await requestCounts(emulator));
      expect(
        Object.keys(generatorCalls).every((route) => route.startsWith("GET ") || route.includes("token")),
      ).toBe(true);
      for (const secret of [appOwnerCredential.clientSecret, spCredential.clientSecret]) {
        expect(first.program + first.importFile + first.stderr).not.toContain(secret);
      }

      const imported = JSON.parse(first.importFile) as { resources: Array<{ type: string; id: string }> };
      const count = (type: string) =>
        imported.resources.filter((r) => r.type === `dpod:index:${type}`).length;
      // The seed plus the fixtures: the tenant's primary admin and api_service credential; the
      // api_appowner credential the command runs as is left out.
      expect([count("SubscriberGroup"), count("User"), count("ClientCredential")]).toEqual([10, 51, 6]);
      expect(imported.resources.map((r) => r.id)).not.toContain(appOwnerCredential.clientId);
      expect(first.program).toContain(`  name: "Zoë's team",`);

      await setDefaultConnection(stack, emulator, appOwnerCredential);
      await stack.setConfig("usersClientId", spCredential.clientId);
      await stack.setConfig("usersClientSecret", spCredential.clientSecret, { secret: true });
      // A credential's adoption reads every credential of its name and role by id (names are not unique).
      const tenantCredentials: Array<{ clientId: string; name?: string; role?: string }> = [];
      for await (const c of appOwner.credentials.list()) tenantCredentials.push(c);
      const declaredIds = imported.resources
        .filter((r) => r.type === "dpod:index:ClientCredential")
        .map((r) => r.id);
      const declared = tenantCredentials.filter((c) => declaredIds.includes(c.clientId));
      const sameNameReads = declared
        .map((d) => tenantCredentials.filter((c) => c.name === d.name && c.role === d.role).length)
        .reduce((sum, n) => sum + n, 0);
      expect(sameNameReads).toBeGreaterThanOrEqual(6);
      await resetRequestLog(emulator);
      expect((await stack.up()).code).toBe(0);
      // The adoption reads, one list per declaration (each page of 100 is one call) and a GET of each
      // candidate found (compared as GET answers it: a list item may leave fields out), and nothing else.
      expect(calledRoutes(await requestCounts(emulator))).toEqual({
        "POST /oauth/v1/token": 2,
        "GET /v1/subscriber_groups": 10,
        "GET /v1/subscriber_groups/:id": 10,
        "GET /v1/users": 51,
        "GET /v1/users/:id": 51,
        "GET /v1/credentials/clients": 6,
        "GET /v1/credentials/clients/:id": sameNameReads,
      });
      expect(await tenantObjects()).toEqual(before);

      const state = await stack.exportState();
      const credentials = (state.deployment.resources ?? []).filter((r) =>
        r.type.endsWith("dpod:ClientCredential"),
      );
      expect(credentials).toHaveLength(6);
      for (const c of credentials) {
        expect(c.outputs?.secretUnknown).toBe(true);
        expect(c.outputs).not.toHaveProperty("clientSecret");
      }

      await resetRequestLog(emulator);
      expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
      const refreshCalls = calledRoutes(await requestCounts(emulator));
      expect(
        Object.keys(refreshCalls).filter((route) => !route.startsWith("GET ") && !route.includes("token")),
      ).toEqual([]);

      // The policy pack refuses the generated program until its credentials rotate (the example's README).
      await resetRequestLog(emulator);
      const policed = await stack.preview(policyPackArgs());
      expect(policed.code).not.toBe(0);
      expect(policyPackOutcome(policed).findings).toContain("mandatory dpod-credential-rotation");
      expect(calledRoutes(await requestCounts(emulator))).toEqual({});

      const second = await generate("index.again.ts", "import.again.json");
      expect(second.program).toBe(first.program);
      expect(second.importFile).toBe(first.importFile);

      // Regenerating over the adopted program: refused without --force (exit code 2, file untouched).
      await expect(generate("index.ts", "import.next.json")).rejects.toMatchObject({ code: 2 });
      expect(readFileSync(path.join(stack.projectDir, "index.ts"), "utf8")).toBe(first.program);
      // New objects appear, one named like an adopted group; with the previous import file, every adopted
      // object keeps its name, so the preview only adds the new ones: no delete, no replace.
      const added = [
        await appOwner.subscriberGroups.create({ name: "Team 00" }),
        await appOwner.subscriberGroups.create({ name: "team 10" }),
      ];
      const third = await generate("index.ts", "import.json", ["--names-from", "import.json", "--force"]);
      const named = (file: string) =>
        (JSON.parse(file) as { resources: Array<{ name: string; id: string }> }).resources.map(
          (r) => `${r.name} ${r.id}`,
        );
      expect(named(third.importFile)).toEqual(expect.arrayContaining(named(first.importFile)));
      expect(named(third.importFile)).toHaveLength(named(first.importFile).length + 2);
      const preview = await stack.preview(["--json"]);
      expect(preview.code).toBe(0);
      const summary = (JSON.parse(preview.stdout) as { changeSummary: Record<string, number> }).changeSummary;
      expect(summary).toEqual({ create: 2, same: expect.any(Number) });
      for (const group of added) await appOwner.subscriberGroups.delete(group.id);

      expect((await stack.destroy()).code).toBe(0);
      expect(await tenantObjects()).toEqual(before);
    } finally {
      stack.dispose();
    }
  });
});
