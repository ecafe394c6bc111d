// Refresh paid in list calls, on the real engine: a stack of 40 groups and 15 users is refreshed with one
// list call per kind instead of one GET per object, drift detection stays exact (exactly the objects
// changed by hand are reported), and the repair is seen by the next refresh.
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { driftedResources } from "../../scripts/lib/preview-output";
import { calledRoutes, requestCounts, resetRequestLog } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection, setUsersConfig } from "../helpers/emulator-seed";
import { createProgram } from "../helpers/e2e-workspace";

const GROUPS = 40;
const USERS = 15;

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const serviceProviderAdmin = {
  clientId: config.require("spClientId"),
  clientSecret: config.requireSecret("spClientSecret"),
};
export const groupIds: Record<string, pulumi.Output<string>> = {};
export const userIds: Record<string, pulumi.Output<string>> = {};
for (let i = 0; i < ${GROUPS}; i++) {
  groupIds[\`team-\${i}\`] = new dpod.SubscriberGroup(\`team-\${i}\`, { name: \`team-\${i}\`, description: "Team" }).id;
}
for (let i = 0; i < ${USERS}; i++) {
  userIds[\`person-\${i}\`] = new dpod.User(\`person-\${i}\`, {
    username: \`person-\${i}@example.com\`,
    givenName: "Person",
    familyName: \`Number \${i}\`,
    accountRole: "dpod.tenant.admin",
    tenantId: config.require("tenantId"),
    connection: serviceProviderAdmin,
  }).id;
}
`;

describe("refresh served from list calls", () => {
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let appOwner: DpodClient;
  let spAdmin: DpodClient;
  let tenantId: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    const { tenant, serviceProvider } = seedOf(emulator);
    tenantId = tenant.id;
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
    const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
    appOwner = new DpodClient({ ...base, ...appOwnerCredential });
    spAdmin = new DpodClient({ ...base, ...spCredential });
    stack = await PulumiStack.create({
      projectDir: createProgram("refresh-lists", {
        "Pulumi.yaml": "name: dpod-refresh-lists\nruntime: nodejs\n",
        "index.ts": program,
      }),
    });
    await setDefaultConnection(stack, emulator, appOwnerCredential);
    await setUsersConfig(stack, spCredential, tenantId);
    expect((await stack.up()).code).toBe(0);
  });

  afterAll(async () => {
    if (stack) await stack.destroy();
    stack?.dispose();
    await appOwner?.close();
    await spAdmin?.close();
    await emulator?.close();
  });

  it("refreshes a clean stack with list calls, not a GET per object", async () => {
    await resetRequestLog(emulator);
    expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
    const calls = calledRoutes(await requestCounts(emulator));
    const lists = (calls["GET /v1/subscriber_groups"] ?? 0) + (calls["GET /v1/users"] ?? 0);
    const gets = (calls["GET /v1/subscriber_groups/:id"] ?? 0) + (calls["GET /v1/users/:id"] ?? 0);
    // About N/100 per kind; reads arriving in separate batches may each take a list call or a GET.
    expect(lists + gets).toBeLessThanOrEqual(Math.ceil((GROUPS + USERS) / 50) + 4);
    expect(lists).toBeGreaterThanOrEqual(2);
  });

  it("still reports exactly the objects changed by hand, and the repair is seen by the next refresh", async () => {
    const { groupIds, userIds } = (await stack.outputs()) as {
      groupIds: Record<string, string>;
      userIds: Record<string, string>;
    };
    await appOwner.subscriberGroups.update(String(groupIds["team-3"]), { description: "edited by hand" });
    await appOwner.subscriberGroups.update(String(groupIds["team-27"]), { name: "team-27-renamed" });
    await spAdmin.users.update(String(userIds["person-9"]), { givenName: "Changed" }, { tenantId });

    const drift = await stack.preview(["--refresh", "--expect-no-changes"]);
    expect(drift.code).not.toBe(0);
    expect(driftedResources(drift.stdout)).toEqual(["person-9", "team-27", "team-3"]);

    expect((await stack.up(["--refresh"])).code).toBe(0);
    expect((await appOwner.subscriberGroups.get(String(groupIds["team-27"]))).name).toBe("team-27");
    expect((await spAdmin.users.get(String(userIds["person-9"]), { tenantId })).givenName).toBe("Person");
    expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);
  });
});
