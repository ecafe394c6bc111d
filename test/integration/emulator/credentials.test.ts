import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { NON_EXISTENT_ID, clientToken, http, seedTokens, type SeedTokens } from "./harness";

describe("emulator /v1/credentials/clients", () => {
  let emulator: RunningEmulator;
  let tokens: SeedTokens;
  beforeAll(async () => {
    emulator = await startEmulator();
    tokens = await seedTokens(emulator);
  });
  afterAll(() => emulator.close());

  const create = (token: string, body: unknown, query?: Record<string, string>) =>
    http(emulator, "/v1/credentials/clients", { method: "POST", token, body, ...(query ? { query } : {}) });

  it("creates (200, with secret), gets and lists without the secret", async () => {
    const created = await create(tokens.appOwner, { name: "ci-deployer", role: "dpod.tenant.api_appowner" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      clientSecret: expect.any(String),
      name: "ci-deployer",
      role: "dpod.tenant.api_appowner",
      serviceIds: [],
      subscriberGroups: [],
      tenantId: tokens.child.id,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      createdBy: expect.any(String),
    });
    expect(created.body).not.toHaveProperty("id");
    const id = created.body["clientId"] as string;

    const fetched = await http(emulator, `/v1/credentials/clients/${id}`, { token: tokens.appOwner });
    expect(fetched.status).toBe(200);
    expect(fetched.body).not.toHaveProperty("clientSecret");
    expect(fetched.body["name"]).toBe("ci-deployer");

    const listed = await http(emulator, "/v1/credentials/clients", {
      token: tokens.appOwner,
      query: { size: "100" },
    });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ number: 0, size: 100 });
    const ids = (listed.body["content"] as Array<Record<string, unknown>>).map((item) => item["clientId"]);
    expect(ids).toContain(id);
    for (const item of listed.body["content"]) expect(item).not.toHaveProperty("clientSecret");
  });

  it("accepts the short role form and echoes it as received", async () => {
    const created = await create(tokens.appOwner, { name: "short-form", role: "api_appowner" });
    expect(created.status).toBe(200);
    expect(created.body["role"]).toBe("api_appowner");
    const token = await clientToken(emulator, created.body["clientId"], created.body["clientSecret"]);
    expect((await http(emulator, "/v1/credentials/clients", { token })).status).toBe(200);
  });

  it("filters the list by role and serviceIds", async () => {
    const serviceId = "11111111-1111-4111-8111-111111111111";
    await create(tokens.appOwner, {
      name: "svc-a",
      role: "dpod.tenant.api_service",
      serviceIds: [serviceId],
    });
    const byRole = await http(emulator, "/v1/credentials/clients", {
      token: tokens.appOwner,
      query: { role: "dpod.tenant.api_service", size: "100" },
    });
    const roles = new Set((byRole.body["content"] as Array<{ role: string }>).map((item) => item.role));
    expect([...roles]).toEqual(["dpod.tenant.api_service"]);
    const byService = await http(emulator, "/v1/credentials/clients", {
      token: tokens.appOwner,
      query: { serviceIds: [serviceId, "22222222-2222-4222-8222-222222222222"] },
    });
    expect(byService.body["content"]).toHaveLength(1);
    expect(byService.body["content"][0].name).toBe("svc-a");
  });

  it("updates the name (200) and refuses changes to immutable fields (400) while accepting echoes", async () => {
    const created = await create(tokens.appOwner, { name: "before", role: "dpod.tenant.api_appowner" });
    const id = created.body["clientId"] as string;
    const path = `/v1/credentials/clients/${id}`;
    const renamed = await http(emulator, path, {
      method: "PATCH",
      token: tokens.appOwner,
      body: { name: "after" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body["name"]).toBe("after");
    expect(renamed.body).not.toHaveProperty("clientSecret");

    const echo = await http(emulator, path, {
      method: "PATCH",
      token: tokens.appOwner,
      body: { name: "again", role: "api_appowner", subscriberGroups: [], clientId: id.toUpperCase() },
    });
    expect(echo.status).toBe(200);

    const roleChange = await http(emulator, path, {
      method: "PATCH",
      token: tokens.appOwner,
      body: { role: "dpod.tenant.api_service" },
    });
    expect(roleChange.status).toBe(400);
    expect(roleChange.body["message"]).toMatch(/'role' cannot be changed/);

    const unknown = await http(emulator, path, {
      method: "PATCH",
      token: tokens.appOwner,
      body: { colour: "red" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body["message"]).toBe("Unknown field 'colour'");

    const empty = await http(emulator, path, { method: "PATCH", token: tokens.appOwner, body: {} });
    expect(empty.status).toBe(400);

    const tooLong = await http(emulator, path, {
      method: "PATCH",
      token: tokens.appOwner,
      body: { name: "x".repeat(65) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body["message"]).toMatch(/'name'/);
  });

  it("deletes (204), then 404 on get, patch, delete and resetSecret", async () => {
    const created = await create(tokens.appOwner, { name: "doomed", role: "dpod.tenant.api_appowner" });
    const path = `/v1/credentials/clients/${created.body["clientId"]}`;
    const deleted = await http(emulator, path, { method: "DELETE", token: tokens.appOwner });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe("");
    for (const [method, suffix, body] of [
      ["GET", "", undefined],
      ["PATCH", "", { name: "x" }],
      ["DELETE", "", undefined],
      ["POST", "/resetSecret", undefined],
    ] as const) {
      const result = await http(emulator, `${path}${suffix}`, { method, token: tokens.appOwner, body });
      expect(result.status).toBe(404);
      expect(result.body).toMatchObject({ status: 404, error: "Not Found", code: 404 });
    }
  });

  it("resetSecret returns a new secret once (200) and accepts an empty JSON body", async () => {
    const created = await create(tokens.appOwner, { name: "rotate", role: "dpod.tenant.api_appowner" });
    const reset = await http(emulator, `/v1/credentials/clients/${created.body["clientId"]}/resetSecret`, {
      method: "POST",
      token: tokens.appOwner,
      rawBody: "",
      headers: { "content-type": "application/json" },
    });
    expect(reset.status).toBe(200);
    expect(reset.body["clientSecret"]).toEqual(expect.any(String));
    expect(reset.body["clientSecret"]).not.toBe(created.body["clientSecret"]);
  });

  it("validates create: name and role required, known role, api_service needs serviceIds, UUID lists", async () => {
    const missingName = await create(tokens.appOwner, { role: "dpod.tenant.api_appowner" });
    expect(missingName.status).toBe(400);
    expect(missingName.body["message"]).toBe("Field 'name' is required");

    const unknownRole = await create(tokens.appOwner, { name: "n", role: "dpod.tenant.root" });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body["message"]).toMatch(/unknown role 'dpod.tenant.root'/);

    const serviceWithout = await create(tokens.appOwner, { name: "n", role: "dpod.tenant.api_service" });
    expect(serviceWithout.status).toBe(400);
    expect(serviceWithout.body["message"]).toMatch(/serviceIds/);

    const badIds = await create(tokens.appOwner, { name: "n", role: "api_service", serviceIds: ["nope"] });
    expect(badIds.status).toBe(400);
    expect(badIds.body["message"]).toMatch(/serviceIds\[0\]/);

    const unknownGroup = await create(tokens.appOwner, {
      name: "n",
      role: "api_appowner",
      subscriberGroups: [NON_EXISTENT_ID],
    });
    expect(unknownGroup.status).toBe(400);
  });

  it("enforces tiers: a child tenant cannot create api_spadmin (403); the SP tenant holds only api_spadmin (400)", async () => {
    const above = await create(tokens.appOwner, { name: "n", role: "dpod.tenant.api_spadmin" });
    expect(above.status).toBe(403);
    const below = await create(tokens.spAdmin, { name: "n", role: "dpod.tenant.api_appowner" });
    expect(below.status).toBe(400);
  });

  it("refuses api_service tokens (403 naming the allowed scopes)", async () => {
    const result = await http(emulator, "/v1/credentials/clients", { token: tokens.service });
    expect(result.status).toBe(403);
    expect(result.body["message"]).toContain("dpod.tenant.api_appowner");
    expect(result.body["message"]).toContain("dpod.tenant.api_spadmin");
  });

  it("confines each caller to its tenant; the SP reaches its child through tenantId", async () => {
    const childCredential = await create(tokens.appOwner, {
      name: "child-only",
      role: "dpod.tenant.api_appowner",
    });
    const childPath = `/v1/credentials/clients/${childCredential.body["clientId"]}`;
    expect((await http(emulator, childPath, { token: tokens.spAdmin })).status).toBe(404);

    const viaTenantId = await http(emulator, childPath, {
      token: tokens.spAdmin,
      query: { tenantId: tokens.child.id },
    });
    expect(viaTenantId.status).toBe(200);

    const spCredentialId = tokens.sp.credentials[0]!.clientId;
    expect(
      (await http(emulator, `/v1/credentials/clients/${spCredentialId}`, { token: tokens.appOwner })).status,
    ).toBe(404);

    const childReachingParent = await http(emulator, "/v1/credentials/clients", {
      token: tokens.appOwner,
      query: { tenantId: tokens.sp.id },
    });
    expect(childReachingParent.status).toBe(403);

    const createdInChild = await create(
      tokens.spAdmin,
      { name: "made-by-sp", role: "dpod.tenant.api_appowner" },
      { tenantId: tokens.child.id },
    );
    expect(createdInChild.status).toBe(200);
    expect(createdInChild.body["tenantId"]).toBe(tokens.child.id);

    const badTenantId = await http(emulator, "/v1/credentials/clients", {
      token: tokens.spAdmin,
      query: { tenantId: "x" },
    });
    expect(badTenantId.status).toBe(400);
  });

  it("limits a group-bound credential to its subscriber groups", async () => {
    const group = await http(emulator, "/v1/subscriber_groups", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "bound-group" },
    });
    const groupId = group.body["id"] as string;
    const bound = await create(tokens.appOwner, {
      name: "bound",
      role: "api_appowner",
      subscriberGroups: [groupId],
    });
    const boundToken = await clientToken(emulator, bound.body["clientId"], bound.body["clientSecret"]);

    const ownList = await http(emulator, "/v1/credentials/clients", {
      token: boundToken,
      query: { size: "100" },
    });
    const names = (ownList.body["content"] as Array<{ name: string }>).map((item) => item.name);
    expect(names).toEqual(["bound"]);

    const madeByBound = await create(boundToken, { name: "inherits", role: "api_appowner" });
    expect(madeByBound.body["subscriberGroups"]).toEqual([groupId]);

    const outside = await create(tokens.appOwner, { name: "other", role: "api_appowner" });
    const hidden = await http(emulator, `/v1/credentials/clients/${outside.body["clientId"]}`, {
      token: boundToken,
    });
    expect(hidden.status).toBe(404);
  });
});
