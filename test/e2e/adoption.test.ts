// Brownfield adoption on the real engine: objects made by hand before the stack existed are taken over
// with `adopt: true` (no duplicate, no 409), brought to the program's values, refreshed cleanly, and
// destroyed or kept (retainOnDelete) like any managed object.
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient, DpodNotFoundError } from "../../provider";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection, setUsersConfig } from "../helpers/emulator-seed";
import { createProgram } from "../helpers/e2e-workspace";

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const legacy = new dpod.SubscriberGroup(
  "legacy",
  { name: "legacy", description: "Managed by Pulumi now", adopt: true },
  { retainOnDelete: true },
);
const bob = new dpod.User("bob", {
  username: "bob@example.com",
  givenName: "Bob",
  familyName: "Builder",
  accountRole: "dpod.tenant.admin",
  tenantId: config.require("tenantId"),
  adopt: true,
  connection: { clientId: config.require("spClientId"), clientSecret: config.requireSecret("spClientSecret") },
});
export const legacyId = legacy.id;
export const bobId = bob.id;
`;

describe("adopting objects that already exist", () => {
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

  it("takes them over with adopt: true, aligns them, and honours retainOnDelete on destroy", async () => {
    const { tenant, serviceProvider } = seedOf(emulator);
    const appOwnerCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
    const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
    const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
    appOwner = new DpodClient({ ...base, ...appOwnerCredential });
    spAdmin = new DpodClient({ ...base, ...spCredential });
    const handMadeGroup = await appOwner.subscriberGroups.create({
      name: "legacy",
      description: "made by hand",
    });
    const handMadeUser = await spAdmin.users.create({
      username: "bob@example.com",
      givenName: "Robert",
      familyName: "Builder",
      accountRole: "dpod.tenant.admin",
      tenantId: tenant.id,
    });

    const stack = await PulumiStack.create({
      projectDir: createProgram("adoption", {
        "Pulumi.yaml": "name: dpod-adoption\nruntime: nodejs\n",
        "index.ts": program,
      }),
    });
    try {
      await setDefaultConnection(stack, emulator, appOwnerCredential);
      await setUsersConfig(stack, spCredential, tenant.id);

      await resetRequestLog(emulator);
      expect((await stack.up()).code).toBe(0);
      // Each adoption lists by key, reads the one found by id (compared as GET answers it), then PATCHes.
      expect(calledRoutes(await requestCounts(emulator))).toEqual({
        "POST /oauth/v1/token": 2,
        "GET /v1/subscriber_groups": 1,
        "GET /v1/subscriber_groups/:id": 1,
        "PATCH /v1/subscriber_groups/:id": 1,
        "GET /v1/users": 1,
        "GET /v1/users/:id": 1,
        "PATCH /v1/users/:id": 1,
      });
      expect(await stack.outputs()).toEqual({ legacyId: handMadeGroup.id, bobId: handMadeUser.id });
      expect((await appOwner.subscriberGroups.get(handMadeGroup.id)).description).toBe(
        "Managed by Pulumi now",
      );
      expect((await spAdmin.users.get(handMadeUser.id, { tenantId: tenant.id })).givenName).toBe("Bob");
      expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(0);

      expect((await stack.destroy()).code).toBe(0);
      expect((await appOwner.subscriberGroups.get(handMadeGroup.id)).name).toBe("legacy");
      await expect(spAdmin.users.get(handMadeUser.id, { tenantId: tenant.id })).rejects.toBeInstanceOf(
        DpodNotFoundError,
      );
    } finally {
      stack.dispose();
    }
  });
});
