import { DIALECT_NAMES, startEmulator, type RunningEmulator } from "dpod-emulator";
import {
  NON_EXISTENT_ID,
  admin,
  clientToken,
  http,
  jwtPayload,
  seedTokens,
  uniqueUsername,
  type Json,
  type SeedTokens,
} from "./harness";

/** Each test switches its dialects through the admin API; afterEach returns to the default reading. */
describe("emulator dialects", () => {
  let emulator: RunningEmulator;
  let tokens: SeedTokens;
  let groupId: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    tokens = await seedTokens(emulator);
    const group = await http(emulator, "/v1/subscriber_groups", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "dialect-group", description: "described" },
    });
    groupId = group.body["id"] as string;
  });
  afterAll(() => emulator.close());
  afterEach(async () => {
    expect((await admin(emulator, "/dialects", { method: "DELETE" })).status).toBe(204);
  });

  const useDialects = async (...dialects: string[]) => {
    const answer = await admin(emulator, "/dialects", { method: "PUT", body: { dialects } });
    expect(answer.status).toBe(200);
    expect(answer.body["active"]).toEqual(dialects);
  };
  /** An app owner of the child tenant, with a phone number and a group, made by the SP admin. */
  const createAppOwner = () =>
    http(emulator, "/v1/users", {
      method: "POST",
      token: tokens.spAdmin,
      query: { tenantId: tokens.child.id },
      body: {
        username: uniqueUsername("dialect"),
        givenName: "Dia",
        familyName: "Lect",
        accountRole: "dpod.tenant.appowner",
        phoneNumber: "+15550100",
        subscriberGroups: [groupId],
      },
    });
  const createCredential = (name: string) =>
    http(emulator, "/v1/credentials/clients", {
      method: "POST",
      token: tokens.appOwner,
      body: { name, role: "dpod.tenant.api_appowner" },
    });
  const listUsers = (query: Record<string, string> = {}) =>
    http(emulator, "/v1/users", {
      token: tokens.spAdmin,
      query: { tenantId: tokens.child.id, size: "100", ...query },
    });
  const itemWithId = (page: Json, field: string, id: string): Json =>
    (page["content"] as Json[]).find((item) => item[field] === id)!;

  describe("admin API", () => {
    it("lists every dialect with its assumption, switches them, and clears them", async () => {
      const listed = await admin(emulator, "/dialects");
      expect(listed.status).toBe(200);
      expect(listed.body["active"]).toEqual([]);
      const available = listed.body["available"] as Json[];
      expect(available.map((entry) => entry["name"])).toEqual(DIALECT_NAMES);
      for (const entry of available) {
        expect(entry["assumes"]).toEqual(expect.any(String));
        expect(entry["instead"]).toEqual(expect.any(String));
      }

      await useDialects("no-created-at", "duplicate-400");
      expect((await admin(emulator, "/dialects")).body["active"]).toEqual(["no-created-at", "duplicate-400"]);
      await admin(emulator, "/dialects", { method: "DELETE" });
      expect((await admin(emulator, "/dialects")).body["active"]).toEqual([]);
    });

    it("refuses an unknown or contradicting name with 400 and keeps the active set", async () => {
      await useDialects("summary-lists");
      const unknown = await admin(emulator, "/dialects", {
        method: "PUT",
        body: { dialects: ["summary-lists", "no-such-dialect"] },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body["message"]).toContain("'no-such-dialect'");
      expect(unknown.body["message"]).toContain("duplicate-400"); // names the valid ones
      const contradicting = await admin(emulator, "/dialects", {
        method: "PUT",
        body: { dialects: ["create-status-200", "create-status-201"] },
      });
      expect(contradicting.status).toBe(400);
      expect((await admin(emulator, "/dialects")).body["active"]).toEqual(["summary-lists"]);
      expect((await admin(emulator, "/dialects", { method: "PUT", body: {} })).status).toBe(400);
    });

    it("needs the admin key", async () => {
      const refused = await http(emulator, "/_emulator/dialects", {
        method: "PUT",
        body: { dialects: ["summary-lists"] },
      });
      expect(refused.status).toBe(401);
      expect((await admin(emulator, "/dialects")).body["active"]).toEqual([]);
    });
  });

  describe("library option", () => {
    it("starts in the dialects given, and refuses an unknown name before listening", async () => {
      const other = await startEmulator({ dialects: ["no-created-at", "create-status-201"] });
      try {
        const otherTokens = await seedTokens(other);
        const created = await http(other, "/v1/credentials/clients", {
          method: "POST",
          token: otherTokens.appOwner,
          body: { name: "started-in-dialect", role: "dpod.tenant.api_appowner" },
        });
        expect(created.status).toBe(201);
        expect(created.body).not.toHaveProperty("createdAt");
        expect((await admin(other, "/dialects")).body["active"]).toEqual([
          "no-created-at",
          "create-status-201",
        ]);
      } finally {
        await other.close();
      }
      await expect(startEmulator({ dialects: ["summary-list"] })).rejects.toThrow(
        /Unknown dialect 'summary-list'; valid dialects are .*summary-lists/,
      );
    });
  });

  it("no-created-at: no user, group or credential answer carries createdAt", async () => {
    await useDialects("no-created-at");
    const user = await createAppOwner();
    expect(user.status).toBe(201);
    expect(user.body).not.toHaveProperty("createdAt");
    const fetched = await http(emulator, `/v1/users/${user.body["id"]}`, {
      token: tokens.spAdmin,
      query: { tenantId: tokens.child.id },
    });
    expect(fetched.body).not.toHaveProperty("createdAt");
    expect(itemWithId((await listUsers()).body, "id", user.body["id"])).not.toHaveProperty("createdAt");
    const group = await http(emulator, `/v1/subscriber_groups/${groupId}`, { token: tokens.appOwner });
    expect(group.body).not.toHaveProperty("createdAt");
    const credential = await createCredential("no-created-at");
    expect(credential.body).not.toHaveProperty("createdAt");
    expect(credential.body["createdBy"]).toEqual(expect.any(String));

    // The admin state dump keeps the full records: dialects change DPoD-contract answers only.
    const state = await admin(emulator, "/state");
    expect((state.body["users"] as Json[]).find((entry) => entry["id"] === user.body["id"])).toHaveProperty(
      "createdAt",
    );
  });

  it("no-created-by: credentials answer without createdBy, with createdAt", async () => {
    await useDialects("no-created-by");
    const credential = await createCredential("no-created-by");
    expect(credential.body).not.toHaveProperty("createdBy");
    expect(credential.body["createdAt"]).toEqual(expect.any(String));
    const fetched = await http(emulator, `/v1/credentials/clients/${credential.body["clientId"]}`, {
      token: tokens.appOwner,
    });
    expect(fetched.body).not.toHaveProperty("createdBy");
  });

  it("summary-lists: list items lack the detail fields, GET by id still answers them", async () => {
    const user = await createAppOwner();
    const credential = await createCredential("summary");
    await useDialects("summary-lists");

    const listedUser = itemWithId((await listUsers()).body, "id", user.body["id"]);
    expect(listedUser["username"]).toBe(user.body["username"]);
    for (const field of ["subscriberGroups", "phoneNumber"]) expect(listedUser).not.toHaveProperty(field);
    const fetchedUser = await http(emulator, `/v1/users/${user.body["id"]}`, {
      token: tokens.spAdmin,
      query: { tenantId: tokens.child.id },
    });
    expect(fetchedUser.body).toMatchObject({ subscriberGroups: [groupId], phoneNumber: "+15550100" });

    const groups = await http(emulator, "/v1/subscriber_groups", { token: tokens.appOwner });
    expect(itemWithId(groups.body, "id", groupId)).not.toHaveProperty("description");
    const group = await http(emulator, `/v1/subscriber_groups/${groupId}`, { token: tokens.appOwner });
    expect(group.body["description"]).toBe("described");

    const credentials = await http(emulator, "/v1/credentials/clients", {
      token: tokens.appOwner,
      query: { size: "100" },
    });
    const listedCredential = itemWithId(credentials.body, "clientId", credential.body["clientId"]);
    expect(listedCredential["name"]).toBe("summary");
    for (const field of ["serviceIds", "subscriberGroups"])
      expect(listedCredential).not.toHaveProperty(field);
  });

  it("short-role-names: roles sent in full come back short, in every answer", async () => {
    await useDialects("short-role-names");
    const user = await createAppOwner();
    expect(user.body["accountRole"]).toBe("appowner");
    expect(itemWithId((await listUsers()).body, "id", user.body["id"])["accountRole"]).toBe("appowner");
    const admins = await http(emulator, `/v1/users/${tokens.child.primaryAdmin.id}`, {
      token: tokens.spAdmin,
      query: { tenantId: tokens.child.id },
    });
    expect(admins.body["accountRole"]).toBe("admin");
    const credential = await createCredential("short-roles");
    expect(credential.body["role"]).toBe("api_appowner");
    // The short answer still names a working credential of the same role.
    const token = await clientToken(emulator, credential.body["clientId"], credential.body["clientSecret"]);
    expect(jwtPayload(token)["scope"]).toContain("dpod.tenant.api_appowner");
  });

  it("create-status-200 and create-status-201 set the status of every create", async () => {
    await useDialects("create-status-200");
    expect((await createAppOwner()).status).toBe(200);
    expect((await createCredential("status-200")).status).toBe(200);
    await useDialects("create-status-201");
    expect((await createCredential("status-201")).status).toBe(201);
    const group = await http(emulator, "/v1/subscriber_groups", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "status-201" },
    });
    expect(group.status).toBe(201);
  });

  describe("paging", () => {
    beforeAll(async () => {
      // 25 users in the child tenant, more than one page of 20.
      for (let index = 0; index < 25; index += 1) expect((await createAppOwner()).status).toBe(201);
    });

    it("one-based-pages: page 1 is the first page (page 0 too), and `number` counts from 1", async () => {
      const unpaged = await listUsers({ size: "5", sort: "id" });
      await useDialects("one-based-pages");
      const first = await listUsers({ page: "1", size: "5", sort: "id" });
      expect(first.body["number"]).toBe(1);
      expect(first.body["content"]).toEqual(unpaged.body["content"]);
      expect((await listUsers({ page: "0", size: "5", sort: "id" })).body["content"]).toEqual(
        unpaged.body["content"],
      );
      const second = await listUsers({ page: "2", size: "5", sort: "id" });
      expect(second.body["number"]).toBe(2);
      expect(second.body["content"]).not.toEqual(first.body["content"]);
    });

    it("no-total-pages and slice-pages: envelopes without totals", async () => {
      await useDialects("no-total-pages");
      const page = await listUsers({ size: "5" });
      expect(Object.keys(page.body)).toEqual(["content", "number", "size", "totalElements"]);
      await useDialects("slice-pages");
      const slice = await listUsers({ size: "5" });
      expect(Object.keys(slice.body).sort()).toEqual(
        ["content", "empty", "first", "last", "number", "numberOfElements", "size"].sort(),
      );
      expect(slice.body).toMatchObject({ number: 0, size: 5, first: true, last: false, numberOfElements: 5 });
    });

    it("page-size-cap-20 lowers a size of 100 to 20; reject-oversized-pages refuses it", async () => {
      await useDialects("page-size-cap-20");
      const capped = await listUsers({ size: "100" });
      expect(capped.status).toBe(200);
      expect(capped.body["size"]).toBe(20);
      expect(capped.body["content"]).toHaveLength(20);
      expect(capped.body["totalPages"]).toBe(Math.ceil((capped.body["totalElements"] as number) / 20));
      await useDialects("page-size-cap-20", "reject-oversized-pages");
      const refused = await listUsers({ size: "100" });
      expect(refused.status).toBe(400);
      expect(refused.body["message"]).toMatch(/'size' must be at most 20/);
    });
  });

  it("error-body-nested and error-body-text change /v1 error bodies, not admin ones", async () => {
    const missing = () =>
      http(emulator, `/v1/users/${NON_EXISTENT_ID}`, {
        token: tokens.spAdmin,
        query: { tenantId: tokens.sp.id },
      });
    await useDialects("error-body-nested");
    const nested = await missing();
    expect(nested.status).toBe(404);
    expect(nested.body).toEqual({ error: { code: 404, message: `User ${NON_EXISTENT_ID} not found` } });
    const unauthenticated = await http(emulator, "/v1/users");
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toEqual({ error: { code: 401, message: expect.any(String) } });

    await useDialects("error-body-text");
    const text = await missing();
    expect(text.status).toBe(404);
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text.body).toBe(`User ${NON_EXISTENT_ID} not found`);

    const adminError = await admin(emulator, "/users", { method: "POST", body: {} });
    expect(adminError.status).toBe(400);
    expect(adminError.body).toMatchObject({ status: 400, code: 400, message: expect.any(String) });
  });

  it("scope-claim-string: the token's scope claim is one string, and the token works", async () => {
    await useDialects("scope-claim-string");
    const token = await clientToken(emulator, ...seedAppOwner());
    const scope = jwtPayload(token)["scope"];
    expect(typeof scope).toBe("string");
    expect(scope).toContain("dpod.tenant.api_appowner");
    expect((await http(emulator, "/v1/subscriber_groups", { token })).status).toBe(200);
    // Still valid after the dialect is switched off.
    await admin(emulator, "/dialects", { method: "DELETE" });
    expect((await http(emulator, "/v1/subscriber_groups", { token })).status).toBe(200);
  });

  it("scope-answer-array: the token answer's scope is a JSON array", async () => {
    await useDialects("scope-answer-array");
    const [clientId, clientSecret] = seedAppOwner();
    const answer = await http(emulator, "/oauth/v1/token", {
      method: "POST",
      rawBody: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body["scope"]).toEqual(expect.arrayContaining(["dpod.tenant.api_appowner"]));
    expect(Array.isArray(jwtPayload(answer.body["access_token"])["scope"])).toBe(true);
  });

  it("duplicate-400: a duplicate username or group name is refused with 400, not 409", async () => {
    const user = await createAppOwner();
    await useDialects("duplicate-400");
    const duplicateUser = await http(emulator, "/v1/users", {
      method: "POST",
      token: tokens.spAdmin,
      query: { tenantId: tokens.child.id },
      body: {
        username: user.body["username"],
        givenName: "Again",
        familyName: "Same",
        accountRole: "dpod.tenant.appowner",
        subscriberGroups: [groupId],
      },
    });
    expect(duplicateUser.status).toBe(400);
    expect(duplicateUser.body["message"]).toMatch(/already exists/);
    const duplicateGroup = await http(emulator, "/v1/subscriber_groups", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "DIALECT-GROUP" },
    });
    expect(duplicateGroup.status).toBe(400);
    // Other 409 rules keep their status.
    const primaryAdmin = await http(emulator, `/v1/users/${tokens.child.primaryAdmin.id}`, {
      method: "DELETE",
      token: tokens.spAdmin,
      query: { tenantId: tokens.child.id },
    });
    expect(primaryAdmin.status).toBe(409);
    // Admin fixtures are outside the contract and keep 409.
    const fixture = await admin(emulator, "/users", {
      method: "POST",
      body: { tenantId: tokens.sp.id, username: user.body["username"], accountRole: "dpod.tenant.spadmin" },
    });
    expect(fixture.status).toBe(409);
  });

  /** The seeded app-owner credential's id and secret. */
  function seedAppOwner(): [string, string] {
    const credential = tokens.child.credentials.find((entry) => entry.role === "dpod.tenant.api_appowner")!;
    return [credential.clientId, credential.clientSecret];
  }
});
