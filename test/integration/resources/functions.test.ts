/**
 * The SDK's data functions and account helpers against the in-process emulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_KEY_HEADER, startEmulator, type EmulatorTenant } from "../../../emulator";
import * as dpod from "../../../sdk";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
let sp: EmulatorTenant;
let child: EmulatorTenant;

function connection(tenant: EmulatorTenant, role: string): dpod.Connection {
  const found = tenant.credentials.find((c) => c.role === role);
  if (!found) throw new Error(`no ${role} credential`);
  return {
    apiUrl: emulator.url,
    tokenUrl: emulator.tokenUrl,
    clientId: found.clientId,
    clientSecret: found.clientSecret,
  };
}

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: { [ADMIN_KEY_HEADER]: emulator.adminKey, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status}`);
  return response.json();
}

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

beforeAll(async () => {
  emulator = await startEmulator();
  sp = emulator.tenants.find((t) => t.kind === "service-provider")!;
  child = emulator.tenants.find((t) => t.kind === "tenant")!;
});

afterAll(async () => {
  await emulator.close();
});

describe("data functions", () => {
  it("find subscriber groups by id and name, and list them", async () => {
    const appowner = connection(child, "dpod.tenant.api_appowner");
    const created = await dpod.withDpodClient(appowner, (c) =>
      c.subscriberGroups.create({ name: "fn-group", description: "" }),
    );
    const byName = await dpod.getSubscriberGroup({ name: "fn-group", connection: appowner });
    expect(byName).toEqual({
      id: created.id,
      name: "fn-group",
      tenantId: child.id,
      createdAt: expect.any(String),
    });
    expect(await dpod.getSubscriberGroup({ id: created.id, connection: appowner })).toEqual(byName);
    const listed = await dpod.getSubscriberGroups({ nameContains: "FN-", connection: appowner });
    expect(listed.groups.map((g) => g.id)).toEqual([created.id]);
    await expect(dpod.getSubscriberGroup({ name: "fn-missing", connection: appowner })).rejects.toThrow(
      /No subscriber group "fn-missing" exists/,
    );
  });

  it("find users with filters, in a child tenant", async () => {
    const spadmin = connection(sp, "dpod.tenant.api_spadmin");
    const { users } = await dpod.getUsers({ tenantId: child.id, accountRole: "admin", connection: spadmin });
    expect(users.map((u) => u.username)).toContain(child.primaryAdmin.username);
    expect(users.every((u) => u.accountRole === "dpod.tenant.admin")).toBe(true);
    const one = await dpod.getUser({
      username: child.primaryAdmin.username.toUpperCase(),
      tenantId: child.id,
      connection: spadmin,
    });
    expect(one.id).toBe(child.primaryAdmin.id);
    const none = await dpod.getUsers({
      tenantId: child.id,
      usernameContains: "nobody-here",
      connection: spadmin,
    });
    expect(none.users).toEqual([]);
  });

  it("find client credentials by name and role, never with a secret", async () => {
    const appowner = connection(child, "dpod.tenant.api_appowner");
    const { credentials } = await dpod.getClientCredentials({ role: "api_appowner", connection: appowner });
    expect(credentials.length).toBeGreaterThan(0);
    expect(JSON.stringify(credentials)).not.toMatch(/clientSecret/);
    const first = credentials[0]!;
    expect(await dpod.getClientCredential({ clientId: first.clientId, connection: appowner })).toEqual(first);
  });

  it("have Output forms taking Inputs", async () => {
    const appowner = connection(child, "dpod.tenant.api_appowner");
    const result = dpod.getSubscriberGroupsOutput({
      connection: pulumi.output({ ...appowner, clientSecret: pulumi.secret(appowner.clientSecret!) }),
    });
    expect(Array.isArray((await value(result)).groups)).toBe(true);
  });

  it("read the profile of the user whose token is given", async () => {
    const token = (await admin("POST", "/user-tokens", { userId: child.primaryAdmin.id })) as {
      access_token: string;
    };
    const me = await dpod.getCurrentUser({
      connection: { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, accessToken: token.access_token },
    });
    expect(me).toMatchObject({ id: child.primaryAdmin.id, username: child.primaryAdmin.username });
  });
});
