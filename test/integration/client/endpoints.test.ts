/**
 * Every endpoint of the client against the emulator.
 */
import {
  DpodAuthenticationError,
  DpodBadRequestError,
  DpodClient,
  DpodConflictError,
  DpodNotFoundError,
  DpodPermissionError,
} from "../../../provider/client";
import {
  APP_OWNER_ROLE,
  collect,
  SERVICE_ROLE,
  SP_ADMIN_ROLE,
  startFixture,
  uniqueName,
  type Fixture,
} from "./helpers";

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
});

afterAll(async () => {
  await fixture.close();
});

describe("client credentials", () => {
  it("create, get, list, listPage, update, resetSecret, delete", async () => {
    const client = fixture.appOwnerClient();
    const name = uniqueName("cred");
    const created = await client.credentials.create({ name, role: APP_OWNER_ROLE });
    expect(created).toMatchObject({ name, role: APP_OWNER_ROLE, serviceIds: [], subscriberGroups: [] });
    expect(created.clientSecret).toEqual(expect.any(String));

    const read = await client.credentials.get(created.clientId);
    expect(read).toMatchObject({ clientId: created.clientId, name });
    expect(read.clientSecret).toBeUndefined();

    const all = await collect(client.credentials.list());
    expect(all.map((c) => c.clientId)).toContain(created.clientId);
    const filtered = await collect(client.credentials.list({ role: SERVICE_ROLE }));
    expect(filtered.every((c) => c.role === SERVICE_ROLE)).toBe(true);
    const page = await client.credentials.listPage({ page: 0, size: 1 });
    expect(page).toMatchObject({ number: 0, size: 1 });
    expect(page.content).toHaveLength(1);
    expect(page.totalElements).toBe(all.length);

    const renamed = await client.credentials.update(created.clientId, { name: `${name}-renamed` });
    expect(renamed.name).toBe(`${name}-renamed`);

    const reset = await client.credentials.resetSecret(created.clientId);
    expect(reset.clientSecret).toEqual(expect.any(String));
    expect(reset.clientSecret).not.toBe(created.clientSecret);
    // the new secret works, the old one does not
    const base = {
      apiUrl: fixture.emulator.url,
      tokenUrl: fixture.emulator.tokenUrl,
      clientId: created.clientId,
    };
    const withNew = new DpodClient({ ...base, clientSecret: reset.clientSecret }, { debug: false });
    const withOld = new DpodClient(
      { ...base, clientSecret: created.clientSecret },
      { debug: false, maxAttempts: 1 },
    );
    await expect(withNew.grantedScopes()).resolves.toContain(APP_OWNER_ROLE);
    await expect(withOld.grantedScopes()).rejects.toBeInstanceOf(DpodAuthenticationError);
    await Promise.all([withNew.close(), withOld.close()]);

    await client.credentials.delete(created.clientId);
    await expect(client.credentials.get(created.clientId)).rejects.toBeInstanceOf(DpodNotFoundError);
    await expect(client.credentials.delete(created.clientId)).rejects.toBeInstanceOf(DpodNotFoundError);
  });

  it("an SP admin credential creates SP-tier credentials", async () => {
    const client = fixture.spClient();
    const created = await client.credentials.create({ name: uniqueName("sp-cred"), role: SP_ADMIN_ROLE });
    expect(created.tenantId).toBe(fixture.spTenantId);
    await client.credentials.delete(created.clientId);
  });

  it("a credential bound to a subscriber group", async () => {
    const client = fixture.appOwnerClient();
    const group = await client.subscriberGroups.create({ name: uniqueName("grp") });
    const created = await client.credentials.create({
      name: uniqueName("grp-cred"),
      role: APP_OWNER_ROLE,
      subscriberGroups: [group.id],
    });
    expect(created.subscriberGroups).toEqual([group.id]);
    await client.credentials.delete(created.clientId);
    await client.subscriberGroups.delete(group.id);
  });

  it("an invalid role is DpodBadRequestError", async () => {
    const client = fixture.appOwnerClient();
    await expect(
      client.credentials.create({ name: uniqueName("bad"), role: "not-a-role" }),
    ).rejects.toBeInstanceOf(DpodBadRequestError);
  });
});

describe("subscriber groups", () => {
  it("create, get, list, listPage, update, delete", async () => {
    const client = fixture.appOwnerClient();
    const name = uniqueName("group");
    const created = await client.subscriberGroups.create({ name, description: "first" });
    expect(created).toMatchObject({ name, description: "first", tenantId: fixture.childTenantId });
    await expect(client.subscriberGroups.get(created.id)).resolves.toEqual(created);
    expect((await collect(client.subscriberGroups.list())).map((g) => g.id)).toContain(created.id);
    const page = await client.subscriberGroups.listPage({ size: 100 });
    expect(page.content.map((g) => g.id)).toContain(created.id);
    const updated = await client.subscriberGroups.update(created.id, { description: "second" });
    expect(updated).toMatchObject({ id: created.id, name, description: "second" });
    await client.subscriberGroups.delete(created.id);
    await expect(client.subscriberGroups.get(created.id)).rejects.toBeInstanceOf(DpodNotFoundError);
  });

  it("a duplicate name is DpodConflictError", async () => {
    const client = fixture.appOwnerClient();
    const name = uniqueName("dup");
    const first = await client.subscriberGroups.create({ name });
    await expect(client.subscriberGroups.create({ name })).rejects.toBeInstanceOf(DpodConflictError);
    await client.subscriberGroups.delete(first.id);
  });

  it("an SP admin credential gets DpodPermissionError naming the needed scopes", async () => {
    const client = fixture.spClient();
    const error = (await client.subscriberGroups
      .create({ name: uniqueName("x") })
      .catch((e: unknown) => e)) as DpodPermissionError | undefined;
    expect(error).toBeInstanceOf(DpodPermissionError);
    expect(error?.requiredScopes).toContain(APP_OWNER_ROLE);
    expect(error?.grantedScopes).toContain(SP_ADMIN_ROLE);
    expect(error?.message).toContain(APP_OWNER_ROLE);
  });

  it("paging follows totalPages across several pages", async () => {
    const client = fixture.appOwnerClient();
    const names = Array.from({ length: 5 }, () => uniqueName("paged"));
    const created = await Promise.all(names.map((name) => client.subscriberGroups.create({ name })));
    const firstPage = await client.subscriberGroups.listPage({ page: 0, size: 2 });
    expect(firstPage.totalPages).toBeGreaterThanOrEqual(3);
    const all = await collect(client.subscriberGroups.list());
    for (const group of created) expect(all.map((g) => g.id)).toContain(group.id);
    await Promise.all(created.map((group) => client.subscriberGroups.delete(group.id)));
  });
});

describe("users (admin)", () => {
  it("create, get, list, listPage, update, resetMfaToken, resetPassword, sendVerification, delete", async () => {
    const client = fixture.spClient();
    const username = `${uniqueName("user")}@example.com`;
    const created = await client.users.create({
      username,
      givenName: "Ada",
      familyName: "Lovelace",
      accountRole: "dpod.tenant.spadmin",
      phoneNumber: "+44 20 0000",
      password: "Initial-Pa55word!",
      emailHints: { locale: "en" },
    });
    expect(created).toMatchObject({
      username,
      givenName: "Ada",
      familyName: "Lovelace",
      subscriberGroups: [],
    });

    await expect(client.users.get(created.id)).resolves.toMatchObject({ id: created.id, username });
    expect((await collect(client.users.list())).map((u) => u.id)).toContain(created.id);
    expect((await client.users.listPage({ size: 100 })).content.map((u) => u.id)).toContain(created.id);

    const updated = await client.users.update(created.id, {
      givenName: "Augusta",
      phoneNumber: "+44 20 1111",
    });
    expect(updated).toMatchObject({
      givenName: "Augusta",
      familyName: "Lovelace",
      phoneNumber: "+44 20 1111",
    });

    await expect(client.users.resetMfaToken(created.id)).resolves.toBeUndefined();
    const { temporaryPassword } = await client.users.resetPassword(created.id);
    expect(temporaryPassword).toEqual(expect.any(String));
    // Only UI admin roles (and the user itself) may send verification mails, not api_spadmin
    // (docs/dpod-api-notes.md#which-role-may-call-what).
    const refused = (await client.users
      .sendVerification(created.id)
      .catch((e: unknown) => e)) as DpodPermissionError;
    expect(refused).toBeInstanceOf(DpodPermissionError);
    expect(refused.requiredScopes).toContain("dpod.tenant.admin");

    await client.users.delete(created.id);
    await expect(client.users.get(created.id)).rejects.toBeInstanceOf(DpodNotFoundError);
  });

  it("manages users of a child tenant through tenantId", async () => {
    const client = fixture.spClient();
    const tenantId = fixture.childTenantId;
    const created = await client.users.create({
      username: `${uniqueName("child-user")}@example.com`,
      givenName: "C",
      familyName: "U",
      accountRole: "dpod.tenant.admin",
      tenantId,
    });
    expect(created.tenantId).toBe(tenantId);
    await expect(client.users.get(created.id, { tenantId })).resolves.toMatchObject({ id: created.id });
    expect((await collect(client.users.list({ tenantId }))).map((u) => u.id)).toContain(created.id);
    await client.users.update(created.id, { familyName: "Updated" }, { tenantId });
    await client.users.resetMfaToken(created.id, { tenantId });
    await client.users.resetPassword(created.id, { tenantId });
    await client.users.delete(created.id, { tenantId });
  });

  it("refuses to delete the primary administrator (409)", async () => {
    const client = fixture.spClient();
    const primary = fixture.emulator.tenants[0]?.primaryAdmin.id ?? "";
    await expect(client.users.delete(primary)).rejects.toBeInstanceOf(DpodConflictError);
  });

  it("an unknown user is DpodNotFoundError", async () => {
    const client = fixture.spClient();
    await expect(client.users.get("00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(
      DpodNotFoundError,
    );
  });
});

describe("account flows", () => {
  async function adminUser(options: { verified?: boolean; password?: string } = {}) {
    return fixture.admin<{ id: string; username: string }>("POST", "/users", {
      tenantId: fixture.childTenantId,
      username: `${uniqueName("self")}@example.com`,
      accountRole: "dpod.tenant.admin",
      ...options,
    });
  }
  async function tokenFor(userId: string) {
    return (await fixture.admin<{ access_token: string }>("POST", "/user-tokens", { userId })).access_token;
  }
  async function lastCode(to: string, kind?: string): Promise<string> {
    const { messages } = await fixture.admin<{
      messages: Array<{ to: string; kind: string; code?: string }>;
    }>("GET", "/outbox");
    const mine = messages.filter((m) => m.to === to && m.code && (!kind || m.kind === kind));
    const code = mine.at(-1)?.code;
    if (!code) throw new Error(`no code mailed to ${to}: ${JSON.stringify(messages)}`);
    return code;
  }

  it("profile and changePassword with the user's own token", async () => {
    const user = await adminUser({ password: "Old-Pa55word!" });
    const client = fixture.userClient(await tokenFor(user.id));
    await expect(client.account.profile()).resolves.toMatchObject({ id: user.id, username: user.username });
    await expect(
      client.account.changePassword({ oldPassword: "Old-Pa55word!", newPassword: "New-Pa55word!" }),
    ).resolves.toBeUndefined();
    await expect(
      client.account.changePassword({ oldPassword: "wrong-Pa55word!", newPassword: "Other-Pa55word!" }),
    ).rejects.toBeInstanceOf(DpodBadRequestError);
  });

  it("forgotPassword then resetPasswordWithCode, without any token", async () => {
    const user = await adminUser({ password: "Old-Pa55word!" });
    const anonymous = fixture.appOwnerClient();
    await anonymous.account.forgotPassword({ username: user.username });
    const code = await lastCode(user.username);
    await expect(
      anonymous.account.resetPasswordWithCode(user.id, { code, newPassword: "Reset-Pa55word!" }),
    ).resolves.toBeUndefined();
    await expect(
      anonymous.account.resetPasswordWithCode(user.id, { code, newPassword: "Again-Pa55word!" }),
    ).rejects.toBeInstanceOf(DpodBadRequestError);
    // forgotPassword answers the same for unknown users
    await expect(
      anonymous.account.forgotPassword({ username: "nobody@example.com" }),
    ).resolves.toBeUndefined();
    expect(anonymous.stats().tokenRequests).toBe(0);
  });

  it("sendVerification and verify with an unverified user's token", async () => {
    const user = await adminUser({ verified: false });
    const client = fixture.userClient(await tokenFor(user.id));
    await client.account.sendVerification(user.id);
    const code = await lastCode(user.username);
    const verified = await client.account.verify(user.id, code);
    expect(verified).toMatchObject({ id: user.id, verified: true });
  });

  it("a client-credentials token cannot read a profile (403)", async () => {
    await expect(fixture.spClient().account.profile()).rejects.toBeInstanceOf(DpodPermissionError);
  });
});
