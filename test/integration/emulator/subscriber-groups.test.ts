import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { NON_EXISTENT_ID, admin, http, seedTokens, uniqueUsername, type SeedTokens } from "./harness";

describe("emulator /v1/subscriber_groups", () => {
  let emulator: RunningEmulator;
  let tokens: SeedTokens;
  beforeAll(async () => {
    emulator = await startEmulator();
    tokens = await seedTokens(emulator);
  });
  afterAll(() => emulator.close());

  const createGroup = (body: unknown, token = tokens.appOwner) =>
    http(emulator, "/v1/subscriber_groups", { method: "POST", token, body });

  it("creates (201), gets, lists, updates (200) and deletes (204)", async () => {
    const created = await createGroup({ name: "payments", description: "Payment apps" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "payments",
      description: "Payment apps",
      tenantId: tokens.child.id,
      createdAt: expect.any(String),
    });
    const path = `/v1/subscriber_groups/${created.body["id"]}`;

    const fetched = await http(emulator, path, { token: tokens.appOwner });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);

    const listed = await http(emulator, "/v1/subscriber_groups", { token: tokens.appOwner });
    expect(listed.status).toBe(200);
    expect(listed.body["content"]).toContainEqual(created.body);

    const updated = await http(emulator, path, {
      method: "PATCH",
      token: tokens.appOwner,
      body: { description: "new" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: "payments", description: "new" });

    const deleted = await http(emulator, path, { method: "DELETE", token: tokens.appOwner });
    expect(deleted.status).toBe(204);
    expect((await http(emulator, path, { token: tokens.appOwner })).status).toBe(404);
  });

  it("defaults description to an empty string", async () => {
    const created = await createGroup({ name: "no-description" });
    expect(created.body["description"]).toBe("");
  });

  it("refuses duplicate names in the tenant (409), on create and on rename, case-insensitively", async () => {
    await createGroup({ name: "unique-name" });
    const duplicate = await createGroup({ name: "UNIQUE-NAME" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ status: 409, error: "Conflict", code: 409 });

    const other = await createGroup({ name: "other-name" });
    const rename = await http(emulator, `/v1/subscriber_groups/${other.body["id"]}`, {
      method: "PATCH",
      token: tokens.appOwner,
      body: { name: "unique-name" },
    });
    expect(rename.status).toBe(409);
  });

  it("validates bodies: name required, length limits, unknown fields, immutable id", async () => {
    expect((await createGroup({})).status).toBe(400);
    expect((await createGroup({ name: "" })).status).toBe(400);
    expect((await createGroup({ name: "x", description: "d".repeat(256) })).status).toBe(400);
    const unknown = await createGroup({ name: "x", colour: "blue" });
    expect(unknown.status).toBe(400);
    expect(unknown.body["message"]).toBe("Unknown field 'colour'");
    const wrongType = await createGroup({ name: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body["message"]).toBe("Field 'name' must be of type string");

    const group = await createGroup({ name: "immutable-id" });
    const changeId = await http(emulator, `/v1/subscriber_groups/${group.body["id"]}`, {
      method: "PATCH",
      token: tokens.appOwner,
      body: { id: NON_EXISTENT_ID },
    });
    expect(changeId.status).toBe(400);
  });

  it("refuses to delete a group that still has an app owner or a credential (409)", async () => {
    const withUser = await createGroup({ name: "has-owner" });
    const user = await admin(emulator, "/users", {
      method: "POST",
      body: {
        tenantId: tokens.child.id,
        username: uniqueUsername("owner"),
        accountRole: "dpod.tenant.appowner",
        subscriberGroups: [withUser.body["id"]],
      },
    });
    expect(user.status).toBe(201);
    const refused = await http(emulator, `/v1/subscriber_groups/${withUser.body["id"]}`, {
      method: "DELETE",
      token: tokens.appOwner,
    });
    expect(refused.status).toBe(409);

    const withCredential = await createGroup({ name: "has-credential" });
    await http(emulator, "/v1/credentials/clients", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "member", role: "api_appowner", subscriberGroups: [withCredential.body["id"]] },
    });
    const refusedToo = await http(emulator, `/v1/subscriber_groups/${withCredential.body["id"]}`, {
      method: "DELETE",
      token: tokens.appOwner,
    });
    expect(refusedToo.status).toBe(409);
    expect(refusedToo.body["message"]).toMatch(/1 credential/);
  });

  it("refuses SP and service tokens (403) and hides other tenants' groups (404)", async () => {
    expect((await http(emulator, "/v1/subscriber_groups", { token: tokens.spAdmin })).status).toBe(403);
    expect((await createGroup({ name: "svc" }, tokens.service)).status).toBe(403);

    const otherChild = await admin(emulator, "/tenants", {
      method: "POST",
      body: { name: "other-child", parentId: tokens.sp.id },
    });
    const otherCredential = otherChild.body["credentials"].find(
      (credential: { role: string }) => credential.role === "dpod.tenant.api_appowner",
    );
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: otherCredential.clientId,
      client_secret: otherCredential.clientSecret,
    });
    const tokenResult = await http(emulator, "/oauth/v1/token", {
      method: "POST",
      rawBody: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const otherToken = tokenResult.body["access_token"] as string;
    const group = await createGroup({ name: "private" });
    expect(
      (await http(emulator, `/v1/subscriber_groups/${group.body["id"]}`, { token: otherToken })).status,
    ).toBe(404);
    const theirList = await http(emulator, "/v1/subscriber_groups", { token: otherToken });
    expect(theirList.body["totalElements"]).toBe(0);
  });
});
