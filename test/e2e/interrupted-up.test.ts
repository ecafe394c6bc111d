// An interrupted `pulumi up` on the real engine: the CLI and everything it started are killed with SIGKILL
// part-way through creating 60 users and groups (a CI runner lost). The documented, non-interactive
// recovery (docs/troubleshooting.md, "An interrupted pulumi up") must converge: exactly the declared
// objects, no duplicates, nothing left pending, and a clean drift check.
import { readdirSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { killProcessTree } from "../../scripts/lib/process-tree";
import { addFault, clearFaults, requestCounts, resetRequestLog } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection, setUsersConfig } from "../helpers/emulator-seed";
import { createProgram } from "../helpers/e2e-workspace";

const PAIRS = 30;

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const serviceProviderAdmin = {
  clientId: config.require("spClientId"),
  clientSecret: config.requireSecret("spClientSecret"),
};
for (let i = 0; i < ${PAIRS}; i++) {
  const team = new dpod.SubscriberGroup(\`team-\${i}\`, { name: \`team-\${i}\`, description: \`Team \${i}\` });
  new dpod.User(\`member-\${i}\`, {
    username: \`member-\${i}@example.com\`,
    givenName: "Member",
    familyName: \`Number \${i}\`,
    accountRole: "dpod.tenant.appowner",
    subscriberGroups: [team.id],
    tenantId: config.require("tenantId"),
    connection: serviceProviderAdmin,
  });
}
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every file under `dir`, at any depth. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe("an interrupted pulumi up", () => {
  let emulator: RunningEmulator;
  let appOwner: DpodClient;
  let spAdmin: DpodClient;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await appOwner?.close();
    await spAdmin?.close();
    await emulator?.close();
  });

  it("is completed by the documented non-interactive recovery: no duplicates, nothing pending", async () => {
    const { tenant, serviceProvider } = seedOf(emulator);
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
    const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
    appOwner = new DpodClient({ ...base, ...appOwnerCredential });
    spAdmin = new DpodClient({ ...base, ...spCredential });

    const stack = await PulumiStack.create({
      projectDir: createProgram("interrupted", {
        "Pulumi.yaml": "name: dpod-interrupted\nruntime: nodejs\n",
        "index.ts": program,
      }),
    });
    try {
      await setDefaultConnection(stack, emulator, appOwnerCredential);
      await setUsersConfig(stack, spCredential, tenant.id);

      // Kill the whole run once DPoD has answered some of the 60 creates, but not all. User creates are
      // held 1.5 s before DPoD acts on them, so creates are in flight when the run dies: DPoD completes them
      // while the stack never records them, as with a runner lost mid-run (fast creates alone would
      // sometimes all be recorded before the kill, leaving nothing to recover).
      await addFault(emulator, { route: "POST /v1/users", kind: "latency", latencyMs: 1_500 });
      await resetRequestLog(emulator);
      const run = stack.startUp();
      const creates = async () => {
        const { byRoute } = await requestCounts(emulator);
        return (byRoute["POST /v1/subscriber_groups"] ?? 0) + (byRoute["POST /v1/users"] ?? 0);
      };
      const deadline = Date.now() + 240_000;
      while ((await creates()) < 20 && Date.now() < deadline) await sleep(25);
      const killed = killProcessTree(run.pid);
      const interrupted = await run.result;
      expect(interrupted.code).not.toBe(0);
      expect(killed.length).toBeGreaterThan(1); // the CLI and the processes it started
      const createdBeforeKill = await creates();
      expect(createdBeforeKill).toBeGreaterThanOrEqual(20);
      expect(createdBeforeKill).toBeLessThan(2 * PAIRS);
      // The held creates land now, unrecorded.
      await clearFaults(emulator);
      await sleep(2_000);

      // The recovery, as documented; every command non-interactive.
      let cancel = await stack.run(["cancel", "--yes"]);
      if (cancel.code !== 0 && /failed to load checkpoint: EOF/.test(cancel.stderr)) {
        // Killed while the file backend wrote the state: its metadata sidecar is left empty (the state file
        // itself is written atomically). The documented remedy: delete the empty .attrs file.
        const emptySidecars = filesUnder(stack.backendDir).filter(
          (file) => file.endsWith(".attrs") && statSync(file).size === 0,
        );
        expect(emptySidecars.map((file) => path.basename(file))).toEqual(["test.json.attrs"]);
        for (const file of emptySidecars) rmSync(file);
        cancel = await stack.run(["cancel", "--yes"]);
      }
      expect({ code: cancel.code, output: cancel.code === 0 ? "" : cancel.stdout + cancel.stderr }).toEqual({
        code: 0,
        output: "",
      });
      await stack.setConfig("dpod:adoptIdentical", "true");
      const up = await stack.up();
      expect(up.code).toBe(0);
      expect(up.stdout + up.stderr).toMatch(
        /identical to the program; it was taken over because dpod:adoptIdentical/,
      );
      const cleared = await stack.refresh(["--clear-pending-creates"]);
      expect(cleared.code).toBe(0);

      const check = await stack.preview(["--refresh", "--expect-no-changes"]);
      expect(check.code).toBe(0);
      expect(check.stdout + check.stderr).not.toMatch(/pending operations/);

      const groups: string[] = [];
      for await (const group of appOwner.subscriberGroups.list()) {
        if (group.name.startsWith("team-")) groups.push(group.name);
      }
      const users: string[] = [];
      for await (const user of spAdmin.users.list({ tenantId: tenant.id })) {
        if (user.username.startsWith("member-")) users.push(user.username);
      }
      const expected = (prefix: string, suffix = "") =>
        Array.from({ length: PAIRS }, (_, i) => `${prefix}${i}${suffix}`).sort();
      expect(groups.sort()).toEqual(expected("team-"));
      expect(users.sort()).toEqual(expected("member-", "@example.com"));
      const state = (await stack.exportState()).deployment.resources ?? [];
      expect(state.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/dpod:"))).toHaveLength(2 * PAIRS);

      expect((await stack.destroy()).code).toBe(0);
    } finally {
      stack.dispose();
    }
  });
});
