/**
 * Every endpoint: method, path, query and body on the wire, and the lenient reading of answers.
 */
import { DpodResponseShapeError } from "../../../provider/client";
import {
  createHarness,
  json,
  makeJwt,
  noContent,
  type MockReply,
  sampleCredential,
  sampleGroup,
  sampleUser,
  UUID,
} from "./helpers";

interface Seen {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

/** Answers any request with `reply` and records what was sent. */
function recordAll(h: ReturnType<typeof createHarness>, reply: (seen: Seen) => MockReply) {
  const seen: Seen[] = [];
  h.pool
    .intercept({ path: (path) => path.startsWith("/v1/"), method: (method) => method.length > 0 })
    .reply((request) => {
      const entry: Seen = {
        method: request.method,
        path: request.path,
        body: request.body ? JSON.parse(String(request.body)) : undefined,
        authorization: (request.headers as Record<string, string | undefined>).authorization,
      };
      seen.push(entry);
      return reply(entry);
    })
    .persist();
  return seen;
}

describe("requests on the wire", () => {
  it("client credentials", async () => {
    const h = createHarness();
    const seen = recordAll(h, (s) =>
      s.method === "DELETE"
        ? noContent()
        : s.method === "GET" && s.path.includes("?")
          ? json(200, { content: [sampleCredential], number: 0, size: 100, totalElements: 1, totalPages: 1 })
          : json(200, { ...sampleCredential, clientSecret: "s3cr3t-value" }),
    );
    const c = h.client.credentials;
    await c.create({
      name: "ci",
      role: "dpod.tenant.api_service",
      serviceIds: ["s1"],
      subscriberGroups: ["g1"],
    });
    await c.get(UUID);
    await c.listPage({ page: 2, size: 10, role: "dpod.tenant.api_service", serviceIds: ["s1", "s2"] });
    await c.update(UUID, { name: "renamed" });
    await c.delete(UUID);
    await c.resetSecret(UUID);
    expect(seen.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: "POST",
        path: "/v1/credentials/clients",
        body: { name: "ci", role: "dpod.tenant.api_service", serviceIds: ["s1"], subscriberGroups: ["g1"] },
      },
      { method: "GET", path: `/v1/credentials/clients/${UUID}`, body: undefined },
      {
        method: "GET",
        path: "/v1/credentials/clients?page=2&size=10&role=dpod.tenant.api_service&serviceIds=s1&serviceIds=s2",
        body: undefined,
      },
      { method: "PATCH", path: `/v1/credentials/clients/${UUID}`, body: { name: "renamed" } },
      { method: "DELETE", path: `/v1/credentials/clients/${UUID}`, body: undefined },
      { method: "POST", path: `/v1/credentials/clients/${UUID}/resetSecret`, body: undefined },
    ]);
  });

  it("subscriber groups", async () => {
    const h = createHarness();
    const seen = recordAll(h, (s) =>
      s.method === "DELETE"
        ? noContent()
        : s.path.includes("?")
          ? json(200, { content: [sampleGroup], number: 0, size: 100, totalElements: 1, totalPages: 1 })
          : json(s.method === "POST" ? 201 : 200, sampleGroup),
    );
    const g = h.client.subscriberGroups;
    await g.create({ name: "team-a", description: "A" });
    await g.get(UUID);
    await g.listPage();
    await g.update(UUID, { description: "B" });
    await g.delete(UUID);
    expect(seen.map(({ method, path }) => `${method} ${path}`)).toEqual([
      "POST /v1/subscriber_groups",
      `GET /v1/subscriber_groups/${UUID}`,
      "GET /v1/subscriber_groups?page=0&size=100",
      `PATCH /v1/subscriber_groups/${UUID}`,
      `DELETE /v1/subscriber_groups/${UUID}`,
    ]);
    expect(seen[3]?.body).toEqual({ description: "B" });
  });

  it("users, with tenantId as a query parameter (and a body field on create)", async () => {
    const h = createHarness();
    const tenantId = "11111111-2222-4333-8444-555555555555";
    const seen = recordAll(h, (s) => {
      if (
        s.method === "DELETE" ||
        s.path.includes("/resetMfaToken") ||
        s.path.includes("/sendVerification")
      ) {
        return noContent(s.path.includes("resetMfaToken") ? 200 : 204);
      }
      if (s.path.includes("/resetPassword"))
        return json(200, { ...sampleUser, temporaryPassword: "Tmp-123456" });
      if (s.method === "GET" && s.path.startsWith("/v1/users?")) {
        return json(200, { content: [sampleUser], number: 0, size: 100, totalElements: 1, totalPages: 1 });
      }
      return json(s.method === "POST" ? 201 : 200, sampleUser);
    });
    const u = h.client.users;
    const body = {
      username: "alice@example.com",
      givenName: "Alice",
      familyName: "Liddell",
      accountRole: "dpod.tenant.appowner",
      subscriberGroups: [UUID],
      tenantId,
      emailHints: { locale: "en" },
    };
    await u.create(body);
    await u.get(UUID, { tenantId });
    await u.listPage({ tenantId });
    await u.update(UUID, { phoneNumber: "+1 555" }, { tenantId });
    await u.delete(UUID);
    await u.resetMfaToken(UUID, { tenantId });
    await expect(u.resetPassword(UUID)).resolves.toEqual({ temporaryPassword: "Tmp-123456" });
    await u.sendVerification(UUID);
    expect(seen.map(({ method, path }) => `${method} ${path}`)).toEqual([
      "POST /v1/users",
      `GET /v1/users/${UUID}?tenantId=${tenantId}`,
      `GET /v1/users?page=0&size=100&tenantId=${tenantId}`,
      `PATCH /v1/users/${UUID}?tenantId=${tenantId}`,
      `DELETE /v1/users/${UUID}`,
      `POST /v1/users/${UUID}/resetMfaToken?tenantId=${tenantId}`,
      `PATCH /v1/users/${UUID}/resetPassword`,
      `POST /v1/users/${UUID}/sendVerification`,
    ]);
    expect(seen[0]?.body).toEqual(body);
    expect(seen[3]?.body).toEqual({ phoneNumber: "+1 555" });
  });

  it("account flows", async () => {
    const userToken = makeJwt({ sub: UUID, scope: ["dpod.tenant.admin.unverified"] });
    const h = createHarness({ settings: { accessToken: userToken } });
    const seen = recordAll(h, (s) =>
      s.method === "GET" ? json(200, { ...sampleUser, verified: true }) : noContent(),
    );
    const a = h.client.account;
    await expect(a.profile()).resolves.toMatchObject({ id: UUID });
    await a.changePassword({ oldPassword: "Old-pass-1", newPassword: "New-pass-2" });
    await a.forgotPassword({ username: "alice@example.com" });
    await a.resetPasswordWithCode(UUID, { code: "123456", newPassword: "New-pass-3" });
    await expect(a.verify(UUID, "654321")).resolves.toMatchObject({ verified: true });
    await a.sendVerification(UUID);
    expect(seen.map(({ method, path, authorization }) => [`${method} ${path}`, authorization])).toEqual([
      ["GET /v1/users/profile", `Bearer ${userToken}`],
      ["PATCH /v1/users/changePassword", `Bearer ${userToken}`],
      ["POST /v1/users/forgotPassword", undefined],
      [`POST /v1/users/${UUID}/password`, undefined],
      [`GET /v1/users/${UUID}/verify?code=654321`, `Bearer ${userToken}`],
      [`POST /v1/users/${UUID}/sendVerification`, `Bearer ${userToken}`],
    ]);
    expect(seen[1]?.body).toEqual({ oldPassword: "Old-pass-1", newPassword: "New-pass-2" });
    expect(seen[3]?.body).toEqual({ code: "123456", newPassword: "New-pass-3" });
  });

  it("percent-encodes ids and refuses ids that would change the path", async () => {
    const h = createHarness();
    const seen = recordAll(h, () => json(200, sampleGroup));
    await h.client.subscriberGroups.get("a/b?c");
    expect(seen[0]?.path).toBe("/v1/subscriber_groups/a%2Fb%3Fc");
    await expect(h.client.subscriberGroups.get("..")).rejects.toThrow(TypeError);
    await expect(h.client.subscriberGroups.get("")).rejects.toThrow(TypeError);
  });

  it("keeps a path prefix of apiUrl", async () => {
    const h = createHarness({ settings: { apiUrl: "http://127.0.0.1:9/proxy/" } });
    const seen: string[] = [];
    h.pool.intercept({ path: (p) => p.startsWith("/proxy/"), method: "GET" }).reply((request) => {
      seen.push(request.path);
      return json(200, sampleGroup);
    });
    await h.client.subscriberGroups.get(UUID);
    expect(seen).toEqual([`/proxy/v1/subscriber_groups/${UUID}`]);
  });
});

describe("lenient wire schemas", () => {
  function answering(body: unknown, status = 200) {
    const h = createHarness();
    recordAll(h, () => json(status, body));
    return h.client;
  }

  it("ignores unknown fields, reads a null list as [] and leaves a missing one out (not sent, not empty)", async () => {
    const client = answering({ clientId: UUID, name: "n", role: "r", serviceIds: null, extra: { deep: 1 } });
    const credential = await client.credentials.get(UUID);
    expect(credential).toEqual({ clientId: UUID, name: "n", role: "r", serviceIds: [] });
    expect(credential).not.toHaveProperty("subscriberGroups");
  });

  it("accepts id instead of clientId and secret instead of clientSecret", async () => {
    const client = answering({ id: UUID, name: "n", role: "r", secret: "the-secret" });
    await expect(client.credentials.create({ name: "n", role: "r" })).resolves.toMatchObject({
      clientId: UUID,
      clientSecret: "the-secret",
    });
  });

  it("prefers clientId when both are present", async () => {
    const client = answering({ id: "other", clientId: UUID, name: "n", role: "r" });
    await expect(client.credentials.get(UUID)).resolves.toMatchObject({ clientId: UUID });
  });

  it.each([200, 201])("accepts %i for creates", async (status) => {
    const client = answering(sampleGroup, status);
    await expect(client.subscriberGroups.create({ name: "team-a" })).resolves.toEqual(sampleGroup);
    const users = answering(sampleUser, status);
    await expect(
      users.users.create({ username: "a", givenName: "a", familyName: "b", accountRole: "r" }),
    ).resolves.toMatchObject({ id: UUID });
  });

  it("accepts numbers where text is expected, and leaves out text sent as null and lists not sent", async () => {
    const client = answering({
      id: 42,
      username: "u",
      givenName: null,
      familyName: "F",
      accountRole: "r",
      phoneNumber: null,
    });
    const user = await client.users.get(UUID);
    expect(user).toEqual({ id: "42", username: "u", familyName: "F", accountRole: "r" });
    expect(user).not.toHaveProperty("givenName");
    expect(user).not.toHaveProperty("subscriberGroups");
  });

  it("a credential without any id is a response-shape error", async () => {
    const client = answering({ name: "n", role: "r" });
    const error = (await client.credentials.get(UUID).catch((e: unknown) => e)) as DpodResponseShapeError;
    expect(error).toBeInstanceOf(DpodResponseShapeError);
    expect(error.issues).toEqual(["clientId: neither clientId nor id is present"]);
  });

  it("an empty 200 body where an object is needed is a response-shape error", async () => {
    const h = createHarness();
    recordAll(h, () => noContent(200));
    await expect(h.client.users.get(UUID)).rejects.toBeInstanceOf(DpodResponseShapeError);
  });

  it("a bad item in a page names its index", async () => {
    const client = answering({ content: [sampleGroup, { name: "no id" }], totalPages: 1 });
    const error = (await client.subscriberGroups
      .listPage()
      .catch((e: unknown) => e)) as DpodResponseShapeError;
    expect(error.issues[0]).toMatch(/^content\.1\.id: /);
  });

  it("derives missing envelope numbers, and accepts a bare array as one page", async () => {
    await expect(answering({ content: [sampleGroup] }).subscriberGroups.listPage()).resolves.toEqual({
      content: [sampleGroup],
      number: 0,
      size: 100,
      totalElements: 1,
      totalPages: 1,
      reported: {},
      source: { operation: "listSubscriberGroups", path: "/v1/subscriber_groups?page=0&size=100" },
    });
    await expect(
      answering({ content: [sampleGroup], totalElements: 250 }).subscriberGroups.listPage(),
    ).resolves.toMatchObject({
      totalPages: 3,
    });
    await expect(answering([sampleGroup]).subscriberGroups.listPage()).resolves.toMatchObject({
      content: [sampleGroup],
      totalPages: 1,
    });
  });
});

describe("paging", () => {
  function pagedGroups(total: number, reportTotalPages = true) {
    const h = createHarness();
    const pagesAsked: string[] = [];
    recordAll(h, (s) => {
      const url = new URL(s.path, "http://x");
      pagesAsked.push(`${url.searchParams.get("page")}/${url.searchParams.get("size")}`);
      const page = Number(url.searchParams.get("page"));
      const size = Number(url.searchParams.get("size"));
      const content = Array.from({ length: Math.max(0, Math.min(size, total - page * size)) }, (_, i) => ({
        id: `g-${page * size + i}`,
        name: `group ${page * size + i}`,
      }));
      const envelope: Record<string, unknown> = { content, number: page, size, totalElements: total };
      if (reportTotalPages) envelope.totalPages = Math.ceil(total / size);
      else delete envelope.totalElements;
      return json(200, envelope);
    });
    return { client: h.client, pagesAsked };
  }

  async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
    const result: T[] = [];
    for await (const item of items) result.push(item);
    return result;
  }

  it("follows totalPages with pages of 100", async () => {
    const { client, pagesAsked } = pagedGroups(250);
    const groups = await collect(client.subscriberGroups.list());
    expect(groups).toHaveLength(250);
    expect(groups[249]).toEqual({ id: "g-249", name: "group 249" });
    expect(pagesAsked).toEqual(["0/100", "1/100", "2/100"]);
  });

  it("asks once for an empty list", async () => {
    const { client, pagesAsked } = pagedGroups(0);
    await expect(collect(client.subscriberGroups.list())).resolves.toEqual([]);
    expect(pagesAsked).toEqual(["0/100"]);
  });

  it("without totals, stops at the first short page", async () => {
    const { client, pagesAsked } = pagedGroups(200, false);
    await expect(collect(client.subscriberGroups.list())).resolves.toHaveLength(200);
    expect(pagesAsked).toEqual(["0/100", "1/100", "2/100"]);
  });

  it("stops at an empty page even if totalPages says there is more", async () => {
    const h = createHarness();
    let calls = 0;
    recordAll(h, () => {
      calls++;
      return json(200, { content: calls === 1 ? [sampleUser] : [], totalPages: 50 });
    });
    await expect(collect(h.client.users.list())).resolves.toHaveLength(1);
    expect(calls).toBe(2);
  });

  it("passes filters on every page", async () => {
    const h = createHarness();
    const seen = recordAll(h, (s) => {
      const page = Number(new URL(s.path, "http://x").searchParams.get("page"));
      return json(200, { content: [{ ...sampleCredential, clientId: `c${page}` }], totalPages: 2 });
    });
    const items = await collect(
      h.client.credentials.list({ role: "dpod.tenant.api_service", serviceIds: ["s"] }),
    );
    expect(items.map((c) => c.clientId)).toEqual(["c0", "c1"]);
    expect(seen.map((s) => s.path)).toEqual([
      "/v1/credentials/clients?page=0&size=100&role=dpod.tenant.api_service&serviceIds=s",
      "/v1/credentials/clients?page=1&size=100&role=dpod.tenant.api_service&serviceIds=s",
    ]);
    const users = createHarness();
    const userCalls = recordAll(users, () => json(200, { content: [sampleUser], totalPages: 1 }));
    await collect(users.client.users.list({ tenantId: "t-9" }));
    expect(userCalls[0]?.path).toBe("/v1/users?page=0&size=100&tenantId=t-9");
  });
});
