/**
 * The dialect lane's engine half: the core scenario on the real Pulumi engine for the dialects where the
 * engine's own behaviour matters most, the ones that once cost accounts or silently lost list items:
 * - summary-lists + no-created-at + no-created-by: list items as summaries served to a refresh that reads
 *   several objects at once (the engine sends those reads together), and lost creates with nothing that
 *   proves their owner;
 * - one-based-pages: lists spanning pages, with the stack's objects on the last one.
 * The other dialects run in-process (core-scenario.test.ts), where each costs seconds instead of minutes.
 *
 * Each run: up with one lost user answer and one lost credential answer, `preview --refresh
 * --expect-no-changes`, drift detected and repaired, a rotation, and destroy, next to someone else's
 * identical user and same-name credential, which must stay untouched.
 */
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient, type ClientCredential, type User } from "../../provider";
import { emulatorAdmin } from "../../scripts/lib/emulator-process";
import { driftedResources } from "../../scripts/lib/preview-output";
import { PulumiStack, type PulumiResult } from "../../scripts/lib/pulumi-cli";
import { createProgram } from "../helpers/e2e-workspace";
import { addFault, clearFaults, tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection, setUsersConfig } from "../helpers/emulator-seed";
import { createFillers } from "./core-scenario";

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const sp: dpod.ConnectionArgs = {
  clientId: config.require("spClientId"),
  clientSecret: config.requireSecret("spClientSecret"),
};
const tenantId = config.require("tenantId");

const ops = new dpod.SubscriberGroup("ops", { name: "ops", description: "Operations" });
const dev = new dpod.SubscriberGroup("dev", { name: "dev" });
const alice = new dpod.User("alice", {
  username: "alice@example.com", givenName: "Alice", familyName: "Doe",
  accountRole: "dpod.tenant.appowner", subscriberGroups: [ops.id], tenantId, connection: sp,
});
const dave = new dpod.User("dave", {
  username: "dave@example.com", givenName: "Dave", familyName: "Moe", phoneNumber: "+1 555 0199",
  accountRole: "dpod.tenant.appowner", subscriberGroups: [ops.id, dev.id], tenantId, connection: sp,
});
const ci = new dpod.ClientCredential("ci", {
  name: "ci-pipeline", role: "dpod.tenant.api_appowner",
  rotationTriggers: { round: config.get("rotation") ?? "1" },
});
const deploy = new dpod.ClientCredential("deploy", {
  name: "deploy-bot", role: "dpod.tenant.api_appowner", subscriberGroups: [dev.id],
});

export const ids = { ops: ops.id, dev: dev.id, alice: alice.id, dave: dave.id, ci: ci.clientId, deploy: deploy.clientId };
export const ciClientSecret = ci.clientSecret;
`;

const results: string[] = [];
afterAll(() => console.log(`Dialect lane, core scenario on the real engine:\n${results.join("\n")}`));

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = [];
  for await (const item of items) found.push(item);
  return found;
}

const output = (result: PulumiResult) => `${result.stdout}\n${result.stderr}`;

describe.each([[["summary-lists", "no-created-at", "no-created-by"]], [["one-based-pages"]]])(
  "the core scenario on the real engine, dialects %j",
  (dialects: string[]) => {
    let emulator: RunningEmulator;
    let stack: PulumiStack;
    let appOwner: DpodClient;
    let spAdmin: DpodClient;
    let tenantId: string;
    let foreignUser: User;
    let foreignCredential: ClientCredential;
    let foreignBefore: unknown;
    let tenantBefore: string[];
    const notes: string[] = [];

    async function tenantIds(): Promise<string[]> {
      const groups = (await all(appOwner.subscriberGroups.list())).map((g) => `group:${g.id}`);
      const credentials = (await all(appOwner.credentials.list())).map((c) => `credential:${c.clientId}`);
      const users = (await all(spAdmin.users.list({ tenantId }))).map((u) => `user:${u.id}`);
      return [...new Set([...groups, ...credentials, ...users])].sort();
    }

    async function foreignNow(): Promise<unknown> {
      return {
        user: await spAdmin.users.get(foreignUser.id, { tenantId }),
        credential: await appOwner.credentials.get(foreignCredential.clientId),
        secretWorks:
          (await tokenRequestStatus(
            emulator,
            foreignCredential.clientId,
            String(foreignCredential.clientSecret),
          )) === 200,
      };
    }

    async function stackIds(): Promise<Record<string, string>> {
      return (await stack.outputs()).ids as Record<string, string>;
    }

    beforeAll(async () => {
      emulator = await startEmulator({ dialects });
      const { tenant, serviceProvider } = seedOf(emulator);
      tenantId = tenant.id;
      const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
      const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
      const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
      appOwner = new DpodClient({ ...base, ...appOwnerCredential });
      spAdmin = new DpodClient({ ...base, ...spCredential });
      await createFillers(appOwner, spAdmin, tenantId); // the stack's objects land on the last page
      // Someone else's, an hour ago: a user like the stack's users, a credential named like the stack's.
      await emulatorAdmin(emulator, "POST", "clock", { advanceSeconds: -3600 });
      foreignUser = await spAdmin.users.create({
        username: "bob@example.com",
        givenName: "Bob",
        familyName: "Roe",
        accountRole: "dpod.tenant.admin",
        tenantId,
      });
      foreignCredential = await appOwner.credentials.create({
        name: "ci-pipeline",
        role: "dpod.tenant.api_appowner",
      });
      await emulatorAdmin(emulator, "POST", "clock", { advanceSeconds: 3600 });
      foreignBefore = await foreignNow();
      tenantBefore = await tenantIds();

      stack = await PulumiStack.create({
        projectDir: createProgram("dialect-engine", {
          "Pulumi.yaml": "name: dpod-dialects\nruntime: nodejs\n",
          "index.ts": program,
        }),
      });
      await setDefaultConnection(stack, emulator, appOwnerCredential);
      await setUsersConfig(stack, spCredential, tenantId);
    });

    afterEach(async () => {
      // Never, in any step: someone else's objects changed, taken into the stack, or their secret reset.
      expect(await foreignNow()).toEqual(foreignBefore);
      const held = JSON.stringify(await stack.outputs().catch(() => ({})));
      expect(held).not.toContain(foreignUser.id);
      expect(held).not.toContain(foreignCredential.clientId);
    });

    afterAll(async () => {
      results.push(`  ${dialects.join("+")}: ${notes.join("; ")}`);
      stack?.dispose();
      await appOwner?.close();
      await spAdmin?.close();
      await emulator?.close();
    });

    it("creates everything through a lost user answer and a lost credential answer, one object each", async () => {
      await addFault(emulator, { route: "POST /v1/users", kind: "lost-response", count: 1 });
      await addFault(emulator, { route: "POST /v1/credentials/clients", kind: "lost-response", count: 1 });
      let up = await stack.up();
      await clearFaults(emulator);
      if (dialects.includes("no-created-at")) {
        // Nothing proves who made the user: the run fails naming the rule and the setting to change.
        expect(up.code).not.toBe(0);
        expect(output(up)).toMatch(/DPoD reported no createdAt.*dpod:adoptIdentical/s);
        expect(output(up)).not.toMatch(/allowRecreate/);
        notes.push("lost user answer failed safe naming createdAt and dpod:adoptIdentical");
        await stack.setConfig("dpod:adoptIdentical", "true");
        up = await stack.up();
        await stack.run(["config", "rm", "dpod:adoptIdentical"], { expectSuccess: true });
        notes.push(up.code === 0 ? "completed with dpod:adoptIdentical" : "did not complete");
      }
      expect(output(up)).not.toMatch(/allowRecreate/);
      expect(up.code).toBe(0);
      const ids = await stackIds();
      const named = async (username: string) =>
        (await all(spAdmin.users.list({ tenantId }))).filter((u) => u.username === username).map((u) => u.id);
      expect(await named("alice@example.com")).toEqual([ids.alice]);
      expect(await named("dave@example.com")).toEqual([ids.dave]);
      const credentials = await all(appOwner.credentials.list());
      expect(credentials.filter((c) => c.name === "deploy-bot").map((c) => c.clientId)).toEqual([ids.deploy]);
      expect(
        credentials
          .filter((c) => c.name === "ci-pipeline")
          .map((c) => c.clientId)
          .sort(),
      ).toEqual([foreignCredential.clientId, ids.ci].sort());
      notes.push("create: pass");
    });

    it("finds no drift on a clean stack", async () => {
      const preview = await stack.preview(["--refresh", "--expect-no-changes"]);
      expect(output(preview)).not.toMatch(/allowRecreate/);
      expect(driftedResources(preview.stdout)).toEqual([]);
      expect(preview.code).toBe(0);
      notes.push("clean refresh: pass");
    });

    it("reports out-of-band changes exactly, and repairs them", async () => {
      const ids = await stackIds();
      await appOwner.subscriberGroups.update(ids.ops!, { name: "ops-renamed" });
      await spAdmin.users.update(ids.alice!, { phoneNumber: "+1 555 0100" }, { tenantId });
      await appOwner.credentials.delete(ids.ci!);
      const drift = await stack.preview(["--refresh", "--expect-no-changes"]);
      expect(drift.code).not.toBe(0);
      expect(driftedResources(drift.stdout)).toEqual(["alice", "ci", "ops"]);
      const repair = await stack.up(["--refresh"]);
      expect(output(repair)).not.toMatch(/allowRecreate/);
      expect(repair.code).toBe(0);
      expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
      notes.push("drift: pass");
    });

    it("rotates the secret in place", async () => {
      const before = await stack.outputs({ showSecrets: true });
      const oldSecret = String(before.ciClientSecret);
      await stack.setConfig("rotation", "2");
      expect((await stack.up()).code).toBe(0);
      const after = await stack.outputs({ showSecrets: true });
      const clientId = (after.ids as Record<string, string>).ci!;
      expect(clientId).toBe((before.ids as Record<string, string>).ci);
      expect(await tokenRequestStatus(emulator, clientId, oldSecret)).toBe(401);
      expect(await tokenRequestStatus(emulator, clientId, String(after.ciClientSecret))).toBe(200);
      notes.push("rotation: pass");
    });

    it("destroys exactly what it created", async () => {
      expect((await stack.destroy()).code).toBe(0);
      expect(await tenantIds()).toEqual(tenantBefore);
      notes.push("destroy: pass");
    });
  },
);
