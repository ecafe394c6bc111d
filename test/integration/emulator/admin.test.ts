import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { admin, clientToken, http, jwtPayload, seedTokens, uniqueUsername } from "./harness";

describe("emulator /_emulator admin routes", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ adminKey: "test-admin-key" });
  });
  afterAll(() => emulator.close());

  it("returns the default seed: an SP tenant and a child with ready credentials", () => {
    const [sp, child] = emulator.tenants;
    expect(emulator.adminKey).toBe("test-admin-key");
    expect(emulator.tokenUrl).toBe(`${emulator.url}/oauth/v1/token`);
    expect(sp).toMatchObject({
      name: "sp-tenant",
      kind: "service-provider",
      parentId: null,
      primaryAdmin: { username: "admin@sp-tenant.example" },
    });
    expect(sp?.credentials.map((credential) => credential.role)).toEqual(["dpod.tenant.api_spadmin"]);
    expect(child).toMatchObject({
      name: "child-tenant",
      kind: "tenant",
      parentId: sp?.id,
      primaryAdmin: { username: "admin@child-tenant.example" },
    });
    expect(child?.credentials.map((credential) => credential.role)).toEqual([
      "dpod.tenant.api_appowner",
      "dpod.tenant.api_service",
    ]);
    for (const credential of [...(sp?.credentials ?? []), ...(child?.credentials ?? [])]) {
      expect(credential).toEqual({
        clientId: expect.any(String),
        clientSecret: expect.any(String),
        role: expect.any(String),
        tenantId: expect.any(String),
      });
    }
  });

  it("refuses calls without or with a wrong admin key (401, error body)", async () => {
    const missing = await http(emulator, "/_emulator/outbox");
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ status: 401, code: 401, path: "/_emulator/outbox" });
    const wrong = await http(emulator, "/_emulator/outbox", { headers: { "x-emulator-admin-key": "nope" } });
    expect(wrong.status).toBe(401);
  });

  it("creates tenants: an SP with api_spadmin, a child with api_appowner + api_service", async () => {
    const sp = await admin(emulator, "/tenants", { method: "POST", body: { name: "Second SP" } });
    expect(sp.status).toBe(201);
    expect(sp.body).toMatchObject({
      kind: "service-provider",
      parentId: null,
      primaryAdmin: { username: "admin@second-sp.example" },
    });
    expect(sp.body["credentials"]).toHaveLength(1);

    const child = await admin(emulator, "/tenants", {
      method: "POST",
      body: { name: "second-child", parentId: sp.body["id"] },
    });
    expect(child.status).toBe(201);
    expect(child.body["credentials"].map((credential: { role: string }) => credential.role)).toEqual([
      "dpod.tenant.api_appowner",
      "dpod.tenant.api_service",
    ]);
    const grandChild = await admin(emulator, "/tenants", {
      method: "POST",
      body: { name: "grand", parentId: child.body["id"] },
    });
    expect(grandChild.status).toBe(400);
    expect((await admin(emulator, "/tenants", { method: "POST", body: { name: "Second SP" } })).status).toBe(
      409,
    );

    const token = await clientToken(
      emulator,
      sp.body["credentials"][0].clientId,
      sp.body["credentials"][0].clientSecret,
    );
    const users = await http(emulator, "/v1/users", { token });
    expect(users.body["content"]).toHaveLength(1);
  });

  it("creates users and credentials, and mints user tokens", async () => {
    const [sp, child] = emulator.tenants;
    const user = await admin(emulator, "/users", {
      method: "POST",
      body: {
        tenantId: child?.id,
        username: uniqueUsername("ta"),
        accountRole: "admin",
        givenName: "T",
        familyName: "A",
      },
    });
    expect(user.status).toBe(201);
    expect(user.body).toMatchObject({ accountRole: "admin", verified: true, tenantId: child?.id });

    const token = await admin(emulator, "/user-tokens", {
      method: "POST",
      body: { userId: user.body["id"] },
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: "bearer", expires_in: 3599 });
    const claims = jwtPayload(token.body["access_token"]);
    expect(claims).toMatchObject({ sub: user.body["id"], user_id: user.body["id"] });
    expect(claims["scope"]).toEqual([`dpod.tuid.${child?.id}`, "dpod.tenant.admin"]);
    // A tenant-admin user token manages subscriber groups.
    expect(
      (await http(emulator, "/v1/subscriber_groups", { token: token.body["access_token"] })).status,
    ).toBe(200);

    const credential = await admin(emulator, "/credentials", {
      method: "POST",
      body: { tenantId: sp?.id, name: "extra", role: "dpod.tenant.api_spadmin" },
    });
    expect(credential.status).toBe(201);
    expect(credential.body["clientSecret"]).toEqual(expect.any(String));
    await clientToken(emulator, credential.body["clientId"], credential.body["clientSecret"]);

    expect(
      (
        await admin(emulator, "/credentials", {
          method: "POST",
          body: { tenantId: sp?.id, name: "x", role: "api_service" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await admin(emulator, "/users", {
          method: "POST",
          body: { tenantId: child?.id, username: uniqueUsername(), accountRole: "appowner" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await admin(emulator, "/user-tokens", {
          method: "POST",
          body: { userId: "00000000-0000-4000-8000-000000000000" },
        })
      ).status,
    ).toBe(404);
  });

  it("counts DPoD-contract requests per route, not admin ones, and resets the log", async () => {
    await admin(emulator, "/requests", { method: "DELETE" });
    const tokens = await seedTokens(emulator);
    await http(emulator, `/v1/users/${tokens.sp.primaryAdmin.id}`, { token: tokens.spAdmin });
    await http(emulator, `/v1/users/${tokens.sp.primaryAdmin.id}`, { token: tokens.spAdmin });
    await http(emulator, "/v1/nothing-here", { token: tokens.spAdmin });
    const log = await admin(emulator, "/requests");
    expect(log.body["total"]).toBe(6);
    expect(log.body["byRoute"]).toEqual({
      "POST /oauth/v1/token": 3,
      "GET /v1/users/:id": 2,
      "GET /v1/nothing-here": 1,
    });
    expect(log.body["entries"][3]).toEqual({
      method: "GET",
      route: "GET /v1/users/:id",
      path: `/v1/users/${tokens.sp.primaryAdmin.id}`,
      status: 200,
      at: expect.any(String),
    });
    await admin(emulator, "/requests", { method: "DELETE" });
    expect((await admin(emulator, "/requests")).body).toEqual({ total: 0, byRoute: {}, entries: [] });
  });

  it("advances the clock, reads and clears the outbox, and dumps state without secrets", async () => {
    const before = await admin(emulator, "/clock", { method: "POST", body: { advanceSeconds: 0 } });
    const after = await admin(emulator, "/clock", { method: "POST", body: { advanceSeconds: 3600 } });
    expect(Date.parse(after.body["now"]) - Date.parse(before.body["now"])).toBeGreaterThanOrEqual(3600_000);
    expect((await admin(emulator, "/clock", { method: "POST", body: { advanceSeconds: "x" } })).status).toBe(
      400,
    );

    const tokens = await seedTokens(emulator);
    const username = uniqueUsername("mail");
    await http(emulator, "/v1/users", {
      method: "POST",
      token: tokens.spAdmin,
      body: { username, givenName: "M", familyName: "O", accountRole: "spadmin" },
    });
    const outbox = await admin(emulator, "/outbox");
    expect(outbox.body["messages"]).toContainEqual({
      id: expect.any(String),
      to: username,
      kind: "verification",
      code: expect.any(String),
      at: expect.any(String),
    });
    expect((await admin(emulator, "/outbox", { method: "DELETE" })).status).toBe(204);
    expect((await admin(emulator, "/outbox")).body).toEqual({ messages: [] });

    const state = await admin(emulator, "/state");
    expect(state.status).toBe(200);
    const text = JSON.stringify(state.body);
    for (const tenant of emulator.tenants) {
      for (const credential of tenant.credentials) expect(text).not.toContain(credential.clientSecret);
    }
    expect(text).not.toContain("sha256");
  });
});
