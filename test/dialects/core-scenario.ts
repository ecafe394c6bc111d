/**
 * The core scenario (create, clean refresh, drift detected and repaired, rotation, lost responses,
 * someone else's identical user and same-name credential left untouched, destroy) against an emulator
 * answering in given dialects, through the real dynamic-provider runtime and client (InProcessStack).
 *
 * Each step either succeeds, or fails with an error: the scenario then records the step and the message
 * ("failed safe") and stops, except after lost responses, where it follows the advice such an error gives
 * (dpod:adoptIdentical) and goes on. What must never happen, in any dialect, throws an UnsafeOutcome:
 * an object adopted without proof (someone else's user or credential in the stack), a drift report on a
 * clean stack (a field DPoD did not send), a replacement asked for (a recreate prompt), someone else's
 * object changed, deleted or its secret reset, or objects left behind after destroy.
 */
import { isDeepStrictEqual } from "node:util";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient, type ClientCredential, type User } from "../../provider/client";
import { emulatorAdmin } from "../../scripts/lib/emulator-process";
import {
  addFault,
  clearFaults,
  requestCounts,
  resetRequestLog,
  tokenRequestStatus,
} from "../helpers/emulator-admin";
import { credentialOf, seedOf } from "../helpers/emulator-seed";
import { InProcessStack, RecreatePrompt, type Declaration } from "../helpers/in-process-stack";

/** Objects of each kind made before the scenario, so every list spans pages (more than 100, or 20). */
const FILLER = 101;

/**
 * FILLER groups, credentials and users, made before the stack's objects: every list spans pages and the
 * stack's objects sit on the last one (the in-process scenario and the engine runs).
 */
export async function createFillers(
  appOwner: DpodClient,
  spAdmin: DpodClient,
  tenantId: string,
): Promise<void> {
  for (let i = 0; i < FILLER; i++) {
    await appOwner.subscriberGroups.create({ name: `filler-${i}` });
    await appOwner.credentials.create({ name: `filler-${i}`, role: "dpod.tenant.api_appowner" });
    await spAdmin.users.create({
      username: `filler-${i}@example.com`,
      givenName: "Filler",
      familyName: `${i}`,
      accountRole: "dpod.tenant.admin",
      tenantId,
    });
  }
}

export class UnsafeOutcome extends Error {}

export interface FailedStep {
  step: string;
  message: string;
  /** The write requests (POST, PATCH, DELETE) the step sent to DPoD before it failed. */
  writes: number;
  /** Whether the scenario went on after following the error's advice (lost responses only). */
  recovered: boolean;
}

export interface ScenarioResult {
  dialects: readonly string[];
  /** "pass" when no step failed; "failed-safe" when some did, each with an error and nothing unsafe. */
  outcome: "pass" | "failed-safe";
  failed: FailedStep[];
  seconds: number;
}

type Step = "create" | "clean refresh" | "drift" | "rotation" | "lost responses" | "foreign user" | "destroy";

class FailedSafe extends Error {
  constructor(
    readonly step: Step,
    message: string,
    readonly writes: number,
  ) {
    super(message);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function writesSince(emulator: RunningEmulator): Promise<number> {
  const { byRoute } = await requestCounts(emulator);
  return Object.entries(byRoute)
    .filter(([route]) => /^(POST|PATCH|PUT|DELETE) \/v1\//.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
}

export async function runCoreScenario(dialects: readonly string[]): Promise<ScenarioResult> {
  const started = Date.now();
  const emulator = await startEmulator({ dialects });
  const { tenant, serviceProvider } = seedOf(emulator);
  const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
  const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
  const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
  // Someone else: the same tenant's credentials, used outside the stack.
  const appOwner = new DpodClient({ ...base, ...appOwnerCredential });
  const spAdmin = new DpodClient({ ...base, ...spCredential });
  const tenantId = tenant.id;
  const stack = new InProcessStack({
    DPOD_API_URL: emulator.url,
    DPOD_TOKEN_URL: emulator.tokenUrl,
    DPOD_CLIENT_ID: appOwnerCredential.clientId,
    DPOD_CLIENT_SECRET: appOwnerCredential.clientSecret,
  });
  const spConnection = { clientId: spCredential.clientId, clientSecret: spCredential.clientSecret };

  async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
    const found: T[] = [];
    for await (const item of items) found.push(item);
    return found;
  }
  /** Every object of the tenant, by id (read by GET: list items may be summaries). */
  async function tenantIds(): Promise<string[]> {
    const groups = (await all(appOwner.subscriberGroups.list())).map((g) => `group:${g.id}`);
    const credentials = (await all(appOwner.credentials.list())).map((c) => `credential:${c.clientId}`);
    const users = (await all(spAdmin.users.list({ tenantId }))).map((u) => `user:${u.id}`);
    return [...new Set([...groups, ...credentials, ...users])].sort();
  }

  try {
    await createFillers(appOwner, spAdmin, tenantId);
    // Someone else's objects, made an hour ago: a user the stack will declare identically, and a
    // credential of the name and role the stack's credential has.
    await emulatorAdmin(emulator, "POST", "clock", { advanceSeconds: -3600 });
    const bob = {
      username: "bob@example.com",
      givenName: "Bob",
      familyName: "Roe",
      accountRole: "dpod.tenant.admin",
    };
    const foreignUser: User = await spAdmin.users.create({ ...bob, tenantId });
    const foreignCredential: ClientCredential = await appOwner.credentials.create({
      name: "ci-pipeline",
      role: "dpod.tenant.api_appowner",
    });
    await emulatorAdmin(emulator, "POST", "clock", { advanceSeconds: 3600 });
    const foreignSecret = String(foreignCredential.clientSecret);
    const foreignBefore = {
      user: await spAdmin.users.get(foreignUser.id, { tenantId }),
      credential: await appOwner.credentials.get(foreignCredential.clientId),
    };
    const tenantBefore = await tenantIds();

    async function checkInvariants(after: string): Promise<void> {
      const held = Object.values(stack.ids());
      for (const [kind, id] of [
        ["user", foreignUser.id],
        ["credential", foreignCredential.clientId],
      ] as const) {
        if (held.includes(id))
          throw new UnsafeOutcome(`after ${after}: someone else's ${kind} ${id} is in the stack`);
      }
      const now = {
        user: await spAdmin.users.get(foreignUser.id, { tenantId }).catch(() => undefined),
        credential: await appOwner.credentials.get(foreignCredential.clientId).catch(() => undefined),
      };
      if (!isDeepStrictEqual(now, foreignBefore)) {
        throw new UnsafeOutcome(`after ${after}: someone else's objects changed: ${JSON.stringify(now)}`);
      }
      if ((await tokenRequestStatus(emulator, foreignCredential.clientId, foreignSecret)) !== 200) {
        throw new UnsafeOutcome(`after ${after}: someone else's credential secret was reset`);
      }
    }

    const rotation = { round: "1" };
    const program: Declaration[] = [
      // Two of each kind of object a refresh reads, so the reads are served from list pages.
      { name: "ops", kind: "SubscriberGroup", inputs: () => ({ name: "ops", description: "Operations" }) },
      { name: "dev", kind: "SubscriberGroup", inputs: () => ({ name: "dev" }) },
      {
        name: "alice",
        kind: "User",
        inputs: (ids) => ({
          username: "alice@example.com",
          givenName: "Alice",
          familyName: "Doe",
          accountRole: "dpod.tenant.appowner",
          subscriberGroups: [ids.ops],
          tenantId,
          connection: spConnection,
        }),
      },
      {
        name: "dave",
        kind: "User",
        inputs: (ids) => ({
          username: "dave@example.com",
          givenName: "Dave",
          familyName: "Moe",
          accountRole: "dpod.tenant.appowner",
          phoneNumber: "+1 555 0199",
          subscriberGroups: [ids.ops, ids.dev],
          tenantId,
          connection: spConnection,
        }),
      },
      {
        name: "deploy",
        kind: "ClientCredential",
        inputs: (ids) => ({
          name: "deploy-bot",
          role: "dpod.tenant.api_appowner",
          subscriberGroups: [ids.dev],
        }),
      },
      {
        name: "ci",
        kind: "ClientCredential",
        inputs: () => ({
          name: "ci-pipeline",
          role: "dpod.tenant.api_appowner",
          rotationTriggers: { ...rotation },
        }),
      },
    ];

    async function step(name: Step, body: () => Promise<void>): Promise<void> {
      await resetRequestLog(emulator);
      try {
        await body();
      } catch (error) {
        if (error instanceof UnsafeOutcome) throw error;
        if (error instanceof RecreatePrompt || /allowRecreate/.test(String(error))) {
          throw new UnsafeOutcome(`${name}: a recreate prompt: ${String(error)}`);
        }
        await checkInvariants(name);
        throw new FailedSafe(name, messageOf(error), await writesSince(emulator));
      }
      await checkInvariants(name);
    }

    async function expectClean(when: string): Promise<void> {
      const drifted = await stack.previewRefresh(program);
      if (drifted.length > 0) throw new UnsafeOutcome(`${when}: drift reported on a clean stack: ${drifted}`);
    }

    const failed: FailedStep[] = [];
    try {
      await step("create", () => stack.up(program));
      await step("clean refresh", () => expectClean("clean refresh"));

      await step("drift", async () => {
        const ids = stack.ids();
        await appOwner.subscriberGroups.update(ids.ops!, { name: "ops-renamed" });
        await spAdmin.users.update(ids.alice!, { phoneNumber: "+1 555 0100" }, { tenantId });
        await appOwner.credentials.delete(ids.ci!);
        const drifted = await stack.previewRefresh(program);
        if (!isDeepStrictEqual(drifted, ["alice", "ci", "ops"])) {
          throw new UnsafeOutcome(`drift: expected alice, ci, ops to be reported, got ${drifted}`);
        }
        await stack.up(program);
        await expectClean("after the repair");
        const repaired = stack.ids();
        if ((await appOwner.subscriberGroups.get(repaired.ops!)).name !== "ops")
          throw new Error("group not repaired");
        const alice = await spAdmin.users.get(repaired.alice!, { tenantId });
        if ((alice.phoneNumber ?? "") !== "") throw new Error("user not repaired");
      });

      await step("rotation", async () => {
        const before = stack.state.get("ci")!;
        const oldSecret = String(before.outputs.clientSecret);
        rotation.round = "2";
        await stack.up(program);
        const after = stack.state.get("ci")!;
        const newSecret = String(after.outputs.clientSecret);
        if (after.id !== before.id || newSecret === oldSecret)
          throw new Error("the secret was not rotated in place");
        if ((await tokenRequestStatus(emulator, after.id, oldSecret)) !== 401)
          throw new Error("old secret still works");
        if ((await tokenRequestStatus(emulator, after.id, newSecret)) !== 200)
          throw new Error("new secret refused");
        await expectClean("after the rotation");
      });

      const withLost: Declaration[] = [
        ...program,
        { name: "lost-group", kind: "SubscriberGroup", inputs: () => ({ name: "lost-group" }) },
        {
          name: "lost-bot",
          kind: "ClientCredential",
          inputs: () => ({ name: "lost-bot", role: "dpod.tenant.api_appowner" }),
        },
        {
          name: "carol",
          kind: "User",
          inputs: () => ({
            username: "carol@example.com",
            givenName: "Carol",
            familyName: "Poe",
            accountRole: "dpod.tenant.admin",
            tenantId,
            connection: spConnection,
          }),
        },
      ];
      await step("lost responses", async () => {
        for (const route of [
          "POST /v1/subscriber_groups",
          "POST /v1/credentials/clients",
          "POST /v1/users",
        ]) {
          await addFault(emulator, { route, kind: "lost-response", count: 1 });
        }
        try {
          await stack.up(withLost);
        } catch (error) {
          if (error instanceof RecreatePrompt) throw error;
          // The advice of a lost create that cannot be proven: turn on dpod:adoptIdentical and run again.
          if (!/dpod:adoptIdentical/.test(String(error))) throw error;
          await checkInvariants("lost responses");
          const writes = await writesSince(emulator);
          failed.push({ step: "lost responses", message: messageOf(error), writes, recovered: true });
          stack.setEnv("DPOD_ADOPT_IDENTICAL", "true");
          try {
            await stack.up(withLost);
          } finally {
            stack.setEnv("DPOD_ADOPT_IDENTICAL", undefined);
          }
        } finally {
          await clearFaults(emulator);
        }
        // Exactly one of each, and the stack holds it.
        const ids = stack.ids();
        const groups = (await all(appOwner.subscriberGroups.list())).filter((g) => g.name === "lost-group");
        const bots = (await all(appOwner.credentials.list())).filter((c) => c.name === "lost-bot");
        const carols = (await all(spAdmin.users.list({ tenantId }))).filter(
          (u) => u.username === "carol@example.com",
        );
        const one = (found: { id?: string; clientId?: string }[], id: string | undefined) =>
          found.length === 1 && (found[0]!.id ?? found[0]!.clientId) === id;
        if (!one(groups, ids["lost-group"]) || !one(bots, ids["lost-bot"]) || !one(carols, ids.carol)) {
          throw new UnsafeOutcome(
            `lost responses: expected exactly one object of each held by the stack; groups ${groups.map((g) => g.id)}, ` +
              `credentials ${bots.map((c) => c.clientId)}, users ${carols.map((u) => u.id)}, stack ${JSON.stringify(ids)}`,
          );
        }
        await stack.up(program); // back to the core program: the three are deleted
        await expectClean("after the lost responses");
      });

      await step("foreign user", async () => {
        const withBob: Declaration[] = [
          ...program,
          {
            name: "bob",
            kind: "User",
            inputs: () => ({ ...bob, tenantId, connection: spConnection }),
          },
        ];
        // A create lost before DPoD acts, while someone else's identical user exists: never adopted.
        await addFault(emulator, { route: "POST /v1/users", kind: "lost-request", count: 1 });
        const lost = await stack.up(withBob).then(
          () => undefined,
          (error: unknown) => error,
        );
        await clearFaults(emulator);
        if (lost === undefined || stack.ids().bob !== undefined) {
          throw new UnsafeOutcome("foreign user: a lost create took over someone else's identical user");
        }
        if (lost instanceof RecreatePrompt) throw lost;
        // A plain create of the taken username: refused, explained, nothing taken over.
        const refused = await stack.up(withBob).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (refused === undefined || stack.ids().bob !== undefined) {
          throw new UnsafeOutcome("foreign user: a create of a taken username took over someone else's user");
        }
        if (!/already exists in DPoD/.test(String(refused))) throw refused;
      });

      await step("destroy", async () => {
        await stack.destroy();
        const left = (await tenantIds()).filter((id) => !tenantBefore.includes(id));
        if (left.length > 0) throw new UnsafeOutcome(`destroy left objects behind: ${left}`);
      });
    } catch (error) {
      if (!(error instanceof FailedSafe)) throw error;
      failed.push({ step: error.step, message: error.message, writes: error.writes, recovered: false });
    }
    const seconds = (Date.now() - started) / 1000;
    return { dialects, outcome: failed.length === 0 ? "pass" : "failed-safe", failed, seconds };
  } finally {
    await stack.close();
    await appOwner.close();
    await spAdmin.close();
    await emulator.close();
  }
}
