/**
 * Refresh of several objects against an emulator whose lists are summaries and whose answers carry no
 * createdAt (the `summary-lists` and `no-created-at` dialects): every read records what DPoD holds, no
 * field DPoD left out of a list is recorded as empty, no drift is reported, and a lost create next to an
 * identical user someone else made adopts nothing.
 */
import { startEmulator, type EmulatorTenant } from "dpod-emulator";
import { DpodClient, type ConnectionSettings } from "../../../provider/client";
import {
  listSubscriberGroups,
  listUsers,
  lookupSubscriberGroup,
  lookupUser,
} from "../../../provider/functions/lookups";
import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import type { HandlerContext, ResourceHandler } from "../../../provider/resources/common/lifecycle";
import { readsFor } from "../../../provider/resources/common/list-reads";
import { subscriberGroupHandler } from "../../../provider/resources/subscriber-group/handler";
import { userHandler } from "../../../provider/resources/user/handler";
import { emulatorAdmin } from "../../../scripts/lib/emulator-process";
import { apiCallCounts } from "../../helpers/emulator-admin";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const PROVIDER = "exports.handler = function () {};";
let emulator: Emulator;
let sp: EmulatorTenant;
let child: EmulatorTenant;
const clients: DpodClient[] = [];

function settingsFor(tenant: EmulatorTenant, role: string): ConnectionSettings {
  const found = tenant.credentials.find((c) => c.role === role);
  if (!found) throw new Error(`fixture tenant ${tenant.name} has no ${role} credential`);
  return { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, ...found };
}

/** A handler context on a new client (a new provider process), with list reads and its debug lines. */
function context(
  settings: ConnectionSettings,
  lines: string[] = [],
): HandlerContext & { warnings: string[] } {
  const client = new DpodClient(settings, { debug: true, logger: (line) => lines.push(line) });
  clients.push(client);
  const warnings: string[] = [];
  return { client, reads: readsFor(client), now: () => new Date(), warn: (m) => warnings.push(m), warnings };
}

interface Declared {
  handler: ResourceHandler;
  ctx: HandlerContext;
  inputs: Record<string, unknown>;
  id: string;
  outs: Record<string, unknown>;
}

beforeAll(async () => {
  emulator = await startEmulator();
  sp = emulator.tenants.find((t) => t.kind === "service-provider")!;
  child = emulator.tenants.find((t) => t.kind === "tenant")!;
});

afterAll(async () => {
  await emulatorAdmin(emulator, "DELETE", "dialects");
  await Promise.all(clients.map((c) => c.close()));
  await emulator.close();
});

describe("refresh under the summary-lists and no-created-at dialects", () => {
  it("reads groups, users and credentials as GET answers them, with no drift and no value DPoD did not send", async () => {
    const appOwner = context(settingsFor(child, "dpod.tenant.api_appowner"));
    const spAdmin = context(settingsFor(sp, "dpod.tenant.api_spadmin"));
    const declared: Declared[] = [];
    const declare = async (
      handler: ResourceHandler,
      ctx: HandlerContext,
      inputs: Record<string, unknown>,
    ) => {
      const { id, outs } = await handler.create(ctx, { ...inputs, __provider: PROVIDER });
      declared.push({ handler, ctx, inputs, id, outs });
      return id;
    };
    const groupIds: string[] = [];
    for (const i of [0, 1, 2]) {
      groupIds.push(
        await declare(subscriberGroupHandler, appOwner, { name: `dl-team-${i}`, description: `Team ${i}` }),
      );
    }
    for (const i of [0, 1, 2]) {
      await declare(userHandler, spAdmin, {
        username: `dl-person-${i}@example.com`,
        givenName: "Person",
        familyName: `Number ${i}`,
        accountRole: "dpod.tenant.appowner",
        subscriberGroups: i === 0 ? [groupIds[0]] : [groupIds[1], groupIds[2]].sort(),
        tenantId: child.id,
        ...(i === 1 ? { phoneNumber: "+1 555 0101" } : {}),
      });
    }
    for (const i of [0, 1, 2]) {
      await declare(clientCredentialHandler, appOwner, {
        name: `dl-svc-${i}`,
        role: "dpod.tenant.api_appowner",
        subscriberGroups: [groupIds[i]],
      });
    }

    await emulatorAdmin(emulator, "PUT", "dialects", { dialects: ["summary-lists", "no-created-at"] });
    await emulatorAdmin(emulator, "DELETE", "requests");
    const lines: string[] = [];
    const groupsAndCredentials = context(settingsFor(child, "dpod.tenant.api_appowner"), lines);
    const users = context(settingsFor(sp, "dpod.tenant.api_spadmin"), lines);
    const refreshed = await Promise.all(
      declared.map(({ handler, id, outs }) =>
        handler.read(handler === userHandler ? users : groupsAndCredentials, id, outs),
      ),
    );

    declared.forEach(({ handler, inputs, id }, index) => {
      const read = refreshed[index]!;
      expect(read.id).toBe(id);
      // What the program declares is what the refresh records: nothing DPoD left out became [] or "".
      expect(read.inputs).toEqual(expect.objectContaining(inputs));
      expect(read.props).not.toHaveProperty("createdAt");
      expect(
        handler.diff(id, read.props, { ...inputs, __provider: PROVIDER }, () => new Date()).changes,
      ).toBe(false);
    });

    const switchedOff = lines.filter((line) => line.includes("list reads of"));
    expect(switchedOff.sort()).toEqual([
      expect.stringMatching(
        /list reads of ClientCredential switched off .* in serviceIds, subscriberGroups\./,
      ),
      expect.stringMatching(/list reads of SubscriberGroup switched off .* in description\./),
      expect.stringMatching(/list reads of User switched off .* in subscriberGroups(, phoneNumber)?\./),
    ]);
    // One list call per kind found the summaries; every object was then read by id.
    expect(await apiCallCounts(emulator)).toMatchObject({
      "GET /v1/subscriber_groups": 1,
      "GET /v1/subscriber_groups/:id": 3,
      "GET /v1/users": 1,
      "GET /v1/users/:id": 3,
      "GET /v1/credentials/clients": 1,
      "GET /v1/credentials/clients/:id": 3,
    });

    await emulatorAdmin(emulator, "DELETE", "dialects");
    for (const { handler, ctx, id, outs } of declared.reverse()) await handler.delete(ctx, id, outs);
  });

  it("adopts nothing after a lost create when an identical user exists and DPoD reports no createdAt", async () => {
    const spAdmin = context(settingsFor(sp, "dpod.tenant.api_spadmin"));
    const inputs = {
      username: "dl-someone@example.com",
      givenName: "Some",
      familyName: "One",
      accountRole: "dpod.tenant.admin",
      tenantId: child.id,
    };
    const foreign = await spAdmin.client.users.create(inputs);
    await emulatorAdmin(emulator, "PUT", "dialects", { dialects: ["summary-lists", "no-created-at"] });
    await emulatorAdmin(emulator, "POST", "faults", {
      route: "POST /v1/users",
      kind: "lost-request",
      count: 1,
    });
    await expect(userHandler.create(spAdmin, inputs)).rejects.toThrow(
      new RegExp(`identical to the program exists \\(id ${foreign.id}\\), but DPoD reported no createdAt`),
    );

    const adoptIdentical = { ...context(settingsFor(sp, "dpod.tenant.api_spadmin")), adoptIdentical: true };
    await emulatorAdmin(emulator, "POST", "faults", {
      route: "POST /v1/users",
      kind: "lost-request",
      count: 1,
    });
    await expect(userHandler.create(adoptIdentical, inputs)).resolves.toMatchObject({ id: foreign.id });
    expect(adoptIdentical.warnings).toEqual([expect.stringContaining("DPoD reported no createdAt")]);

    await emulatorAdmin(emulator, "DELETE", "dialects");
    await spAdmin.client.users.delete(foreign.id, { tenantId: child.id });
  });

  it("answers data functions as GET does: a summary list item is never returned with empty fields", async () => {
    const appOwner = context(settingsFor(child, "dpod.tenant.api_appowner"));
    const spAdmin = context(settingsFor(sp, "dpod.tenant.api_spadmin"));
    const group = await appOwner.client.subscriberGroups.create({ name: "dl-fn-team", description: "Team" });
    const user = await spAdmin.client.users.create({
      username: "dl-fn@example.com",
      givenName: "Fn",
      familyName: "User",
      accountRole: "dpod.tenant.appowner",
      subscriberGroups: [group.id],
      tenantId: child.id,
    });
    await emulatorAdmin(emulator, "PUT", "dialects", { dialects: ["summary-lists"] });
    const tenant = { tenantId: child.id };
    const lookupClient = spAdmin.client as DpodClient;
    expect(await lookupUser(lookupClient, { username: "dl-fn@example.com", ...tenant })).toMatchObject({
      id: user.id,
      subscriberGroups: [group.id],
    });
    const members = await listUsers(lookupClient, { subscriberGroup: group.id, ...tenant });
    expect(members.users.map((u) => u.id)).toEqual([user.id]);
    expect(await lookupSubscriberGroup(appOwner.client as DpodClient, { name: "dl-fn-team" })).toMatchObject({
      description: "Team",
    });
    const groups = await listSubscriberGroups(appOwner.client as DpodClient, { nameContains: "dl-fn-" });
    expect(groups.groups).toEqual([expect.objectContaining({ id: group.id, description: "Team" })]);
    await emulatorAdmin(emulator, "DELETE", "dialects");
    await spAdmin.client.users.delete(user.id, tenant);
    await appOwner.client.subscriberGroups.delete(group.id);
  });
});
