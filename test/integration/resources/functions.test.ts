/**
 * The SDK's data functions and account helpers against the in-process emulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type EmulatorTenant } from "dpod-emulator";
import * as dpod from "../../../sdk/nodejs";
import { emulatorAdmin } from "../../../scripts/lib/emulator-process";

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
    const token = (await emulatorAdmin(emulator, "POST", "user-tokens", {
      userId: child.primaryAdmin.id,
    })) as {
      access_token: string;
    };
    const me = await dpod.getCurrentUser({
      connection: { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, accessToken: token.access_token },
    });
    expect(me).toMatchObject({ id: child.primaryAdmin.id, username: child.primaryAdmin.username });
  });
});

describe("account helpers", () => {
  it("run the forgot-password flow with no credential configured, verify a user, change a password", async () => {
    const spadmin = connection(sp, "dpod.tenant.api_spadmin");
    const user = await dpod.withDpodClient(spadmin, (c) =>
      c.users.create({
        username: "fn-forgot@example.com",
        givenName: "F",
        familyName: "P",
        accountRole: "dpod.tenant.spadmin",
        password: "Old-passw0rd-1",
      }),
    );
    const bare = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
    await dpod.forgotPassword({ username: "fn-forgot@example.com", connection: bare });
    const { messages } = (await emulatorAdmin(emulator, "GET", "outbox")) as {
      messages: { to: string; kind: string; code?: string }[];
    };
    const mail = messages.find((m) => m.to === "fn-forgot@example.com" && m.kind === "forgot-password");
    expect(mail?.code).toEqual(expect.any(String));
    await dpod.resetPasswordWithCode({
      userId: user.id,
      code: mail!.code!,
      newPassword: "New-passw0rd-2",
      connection: bare,
    });

    // Verify the account with the user's own (unverified) token and the mailed code.
    const unverified = (await emulatorAdmin(emulator, "POST", "user-tokens", { userId: user.id })) as {
      access_token: string;
    };
    const self = { ...bare, accessToken: unverified.access_token };
    await dpod.sendVerification({ userId: user.id, connection: self });
    const outbox = (await emulatorAdmin(emulator, "GET", "outbox")) as {
      messages: { to: string; kind: string; code?: string }[];
    };
    const verification = outbox.messages
      .filter((m) => m.to === "fn-forgot@example.com" && m.kind === "verification")
      .at(-1);
    const verified = await dpod.verifyUser({ userId: user.id, code: verification!.code!, connection: self });
    expect(verified).toMatchObject({ id: user.id, accountRole: "dpod.tenant.spadmin" });

    const token = (await emulatorAdmin(emulator, "POST", "user-tokens", { userId: user.id })) as {
      access_token: string;
    };
    await dpod.changePassword({
      oldPassword: "New-passw0rd-2",
      newPassword: "Newer-passw0rd-3",
      connection: { ...bare, accessToken: token.access_token },
    });
    await expect(
      dpod.changePassword({
        oldPassword: "wrong-old-password",
        newPassword: "Newest-passw0rd-4",
        connection: { ...bare, accessToken: token.access_token },
      }),
    ).rejects.toThrow(/400/);
    await dpod.withDpodClient(spadmin, (c) => c.users.delete(user.id));
  });
});
