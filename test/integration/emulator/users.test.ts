import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { NON_EXISTENT_ID, admin, http, seedTokens, uniqueUsername, type SeedTokens } from "./harness";

describe("emulator /v1/users", () => {
  let emulator: RunningEmulator;
  let tokens: SeedTokens;
  let groupId: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    tokens = await seedTokens(emulator);
    const group = await http(emulator, "/v1/subscriber_groups", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "users-test-group" },
    });
    groupId = group.body["id"] as string;
  });
  afterAll(() => emulator.close());

  const createUser = (body: Record<string, unknown>, query?: Record<string, string>) =>
    http(emulator, "/v1/users", { method: "POST", token: tokens.spAdmin, body, ...(query ? { query } : {}) });

  const spAdminBody = () => ({
    username: uniqueUsername("sp"),
    givenName: "Ada",
    familyName: "Lovelace",
    accountRole: "dpod.tenant.spadmin",
  });

  it("creates (201) an unverified user with email = username, no password echoed, and mails a code", async () => {
    const body = {
      ...spAdminBody(),
      password: "Secret-pass-1",
      phoneNumber: "+1 555 0100",
      emailHints: { locale: "en" },
    };
    const created = await createUser(body);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: body.username,
      email: body.username,
      givenName: "Ada",
      familyName: "Lovelace",
      phoneNumber: "+1 555 0100",
      accountRole: "dpod.tenant.spadmin",
      subscriberGroups: [],
      tenantId: tokens.sp.id,
      verified: false,
      emailHints: { locale: "en" },
      createdAt: expect.stringMatching(/Z$/),
    });
    const outbox = await admin(emulator, "/outbox");
    expect(outbox.body["messages"]).toContainEqual(
      expect.objectContaining({
        to: body.username,
        kind: "verification",
        code: expect.stringMatching(/^\d{6}$/),
      }),
    );
  });

  it("gets, edits (200) and deletes (204) a user; then 404", async () => {
    const created = await createUser(spAdminBody());
    const path = `/v1/users/${created.body["id"]}`;
    const fetched = await http(emulator, path, { token: tokens.spAdmin });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);

    const edited = await http(emulator, path, {
      method: "PATCH",
      token: tokens.spAdmin,
      body: { givenName: "Grace", phoneNumber: "123", username: created.body["username"] },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ givenName: "Grace", familyName: "Lovelace", phoneNumber: "123" });

    expect((await http(emulator, path, { method: "DELETE", token: tokens.spAdmin })).status).toBe(204);
    expect((await http(emulator, path, { token: tokens.spAdmin })).status).toBe(404);
    expect((await http(emulator, path, { method: "DELETE", token: tokens.spAdmin })).status).toBe(404);
  });

  it("refuses immutable changes on PATCH (400): username, accountRole, subscriberGroups, tenantId", async () => {
    const created = await createUser(spAdminBody());
    const path = `/v1/users/${created.body["id"]}`;
    for (const body of [
      { username: uniqueUsername("renamed") },
      { accountRole: "dpod.tenant.admin" },
      { subscriberGroups: [groupId] },
      { tenantId: tokens.child.id },
      { email: "someone@else.example" },
    ]) {
      const result = await http(emulator, path, { method: "PATCH", token: tokens.spAdmin, body });
      expect(result.status).toBe(400);
      expect(result.body["message"]).toContain(`'${Object.keys(body)[0]}' cannot be changed`);
    }
    // The same role in its short form is not a change.
    const same = await http(emulator, path, {
      method: "PATCH",
      token: tokens.spAdmin,
      body: { accountRole: "spadmin" },
    });
    expect(same.status).toBe(200);
  });

  it("refuses a duplicate username (409), case-insensitively", async () => {
    const body = spAdminBody();
    expect((await createUser(body)).status).toBe(201);
    const duplicate = await createUser({ ...spAdminBody(), username: body.username.toUpperCase() });
    expect(duplicate.status).toBe(409);
  });

  it("refuses to delete the tenant's primary administrator (409)", async () => {
    const result = await http(emulator, `/v1/users/${tokens.sp.primaryAdmin.id}`, {
      method: "DELETE",
      token: tokens.spAdmin,
    });
    expect(result.status).toBe(409);
    expect(result.body["message"]).toMatch(/primary administrator/);
  });

  it("lets the SP create child-tenant users through tenantId; app owners need a subscriber group (400)", async () => {
    const owner = await createUser({
      username: uniqueUsername("owner"),
      givenName: "App",
      familyName: "Owner",
      accountRole: "appowner",
      subscriberGroups: [groupId],
      tenantId: tokens.child.id,
    });
    expect(owner.status).toBe(201);
    expect(owner.body).toMatchObject({
      accountRole: "appowner",
      tenantId: tokens.child.id,
      subscriberGroups: [groupId],
    });

    const noGroup = await createUser({
      username: uniqueUsername("owner"),
      givenName: "App",
      familyName: "Owner",
      accountRole: "dpod.tenant.appowner",
      tenantId: tokens.child.id,
    });
    expect(noGroup.status).toBe(400);
    expect(noGroup.body["message"]).toMatch(/subscriberGroups/);

    const viaQuery = await createUser(
      { username: uniqueUsername("ta"), givenName: "T", familyName: "A", accountRole: "dpod.tenant.admin" },
      { tenantId: tokens.child.id },
    );
    expect(viaQuery.status).toBe(201);

    // Users of the child are invisible without tenantId, visible with it.
    const path = `/v1/users/${owner.body["id"]}`;
    expect((await http(emulator, path, { token: tokens.spAdmin })).status).toBe(404);
    expect(
      (await http(emulator, path, { token: tokens.spAdmin, query: { tenantId: tokens.child.id } })).status,
    ).toBe(200);
  });

  it("refuses roles that do not fit: tenant roles in the SP tenant (400); unknown roles (400)", async () => {
    const wrongTier = await createUser({ ...spAdminBody(), accountRole: "dpod.tenant.admin" });
    expect(wrongTier.status).toBe(400);
    const unknown = await createUser({ ...spAdminBody(), accountRole: "root" });
    expect(unknown.status).toBe(400);
    const badEmail = await createUser({ ...spAdminBody(), username: "not-an-email" });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body["message"]).toMatch(/username/);
  });

  it("refuses a tenantId that is not a child of the caller (403)", async () => {
    const other = await admin(emulator, "/tenants", { method: "POST", body: { name: "independent-sp" } });
    const result = await createUser({ ...spAdminBody(), tenantId: other.body["id"] });
    expect(result.status).toBe(403);
    const list = await http(emulator, "/v1/users", {
      token: tokens.spAdmin,
      query: { tenantId: other.body["id"] },
    });
    expect(list.status).toBe(403);
  });

  it("refuses app-owner and service tokens (403)", async () => {
    expect((await http(emulator, "/v1/users", { token: tokens.appOwner })).status).toBe(403);
    expect((await http(emulator, `/v1/users/${NON_EXISTENT_ID}`, { token: tokens.service })).status).toBe(
      403,
    );
  });

  it("pages: 0-based, default size 20, size above 100 clamped, past-the-end page empty, sort", async () => {
    const emptyEmulator = await startEmulator();
    try {
      const local = await seedTokens(emptyEmulator);
      for (let index = 0; index < 24; index += 1) {
        const result = await http(emptyEmulator, "/v1/users", {
          method: "POST",
          token: local.spAdmin,
          body: {
            username: `pager-${String(index).padStart(2, "0")}@example.com`,
            givenName: "P",
            familyName: String(index),
            accountRole: "dpod.tenant.spadmin",
          },
        });
        expect(result.status).toBe(201);
      }
      const first = await http(emptyEmulator, "/v1/users", { token: local.spAdmin });
      expect(first.body).toMatchObject({ number: 0, size: 20, totalElements: 25, totalPages: 2 });
      expect(first.body["content"]).toHaveLength(20);

      const second = await http(emptyEmulator, "/v1/users", { token: local.spAdmin, query: { page: "1" } });
      expect(second.body["content"]).toHaveLength(5);

      const clamped = await http(emptyEmulator, "/v1/users", {
        token: local.spAdmin,
        query: { size: "500" },
      });
      expect(clamped.status).toBe(200);
      expect(clamped.body).toMatchObject({ size: 100, totalPages: 1 });

      const pastEnd = await http(emptyEmulator, "/v1/users", {
        token: local.spAdmin,
        query: { page: "9", size: "10" },
      });
      expect(pastEnd.status).toBe(200);
      expect(pastEnd.body).toMatchObject({ content: [], number: 9, totalElements: 25, totalPages: 3 });

      const sorted = await http(emptyEmulator, "/v1/users", {
        token: local.spAdmin,
        query: { sort: "username,desc", size: "3" },
      });
      expect(sorted.body["content"].map((user: { username: string }) => user.username)).toEqual([
        "pager-23@example.com",
        "pager-22@example.com",
        "pager-21@example.com",
      ]);

      const badQueries: Array<Record<string, string>> = [
        { page: "-1" },
        { size: "0" },
        { page: "x" },
        { sort: "password" },
      ];
      for (const query of badQueries) {
        const bad = await http(emptyEmulator, "/v1/users", { token: local.spAdmin, query });
        expect(bad.status).toBe(400);
      }
    } finally {
      await emptyEmulator.close();
    }
  });
});
