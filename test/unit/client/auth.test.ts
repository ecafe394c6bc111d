import {
  DpodAuthenticationError,
  DpodClient,
  DpodResponseShapeError,
  type ClientOptions,
} from "../../../provider/client";
import { scopesFromJwt, TOKEN_REFRESH_MARGIN_MS } from "../../../provider/client/auth";
import {
  CLIENT_SECRET,
  createHarness,
  json,
  makeJwt,
  ORIGIN,
  sampleGroup,
  TOKEN_PATH,
  UUID,
} from "./helpers";

const GROUP_PATH = `/v1/subscriber_groups/${UUID}`;

describe("client-credentials tokens", () => {
  it("sends the client-credentials grant as a form", async () => {
    const h = createHarness({ withToken: false });
    let form = "";
    h.pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply((request) => {
      form = String(request.body);
      return json(200, { access_token: makeJwt({}), expires_in: 3600 });
    });
    h.pool.intercept({ path: GROUP_PATH, method: "GET" }).reply(() => json(200, sampleGroup));
    await h.client.subscriberGroups.get(UUID);
    const params = new URLSearchParams(form);
    expect(params.get("grant_type")).toBe("client_credentials");
    expect(params.get("client_id")).toBe(h.settings.clientId);
    expect(params.get("client_secret")).toBe(CLIENT_SECRET);
  });

  it("sends the token as a bearer header", async () => {
    const h = createHarness();
    let authorization: unknown;
    h.pool.intercept({ path: GROUP_PATH, method: "GET" }).reply((request) => {
      authorization = (request.headers as Record<string, string>).authorization;
      return json(200, sampleGroup);
    });
    await h.client.subscriberGroups.get(UUID);
    expect(authorization).toBe(`Bearer ${h.issuedTokens[0]}`);
  });

  it("single-flight: 10 concurrent calls make exactly one token request", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: GROUP_PATH, method: "GET" })
      .reply(() => json(200, sampleGroup))
      .times(10);
    await Promise.all(Array.from({ length: 10 }, () => h.client.subscriberGroups.get(UUID)));
    expect(h.client.stats().tokenRequests).toBe(1);
    expect(h.client.stats().requests).toBe(10);
  });

  it("shares one token between clients with the same credential in the process", async () => {
    const h = createHarness();
    const second = new DpodClient(h.settings, { dispatcher: h.agent, now: () => h.clock.now });
    h.pool
      .intercept({ path: GROUP_PATH, method: "GET" })
      .reply(() => json(200, sampleGroup))
      .times(2);
    await h.client.subscriberGroups.get(UUID);
    await second.subscriberGroups.get(UUID);
    expect(h.client.stats().tokenRequests + second.stats().tokenRequests).toBe(1);
  });

  it("does not reuse a token obtained with a different secret", async () => {
    const h = createHarness();
    const other = new DpodClient(
      { ...h.settings, clientSecret: "another-secret-value" },
      { dispatcher: h.agent },
    );
    h.pool
      .intercept({ path: GROUP_PATH, method: "GET" })
      .reply(() => json(200, sampleGroup))
      .times(2);
    await h.client.subscriberGroups.get(UUID);
    await other.subscriberGroups.get(UUID);
    expect(other.stats().tokenRequests).toBe(1);
  });

  it("refreshes 60 s before expiry, computed from expires_in", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: GROUP_PATH, method: "GET" })
      .reply(() => json(200, sampleGroup))
      .persist();
    await h.client.subscriberGroups.get(UUID);
    const start = h.clock.now;
    h.clock.now = start + 3600_000 - TOKEN_REFRESH_MARGIN_MS - 1;
    await h.client.subscriberGroups.get(UUID);
    expect(h.client.stats().tokenRequests).toBe(1);
    h.clock.now = start + 3600_000 - TOKEN_REFRESH_MARGIN_MS;
    await h.client.subscriberGroups.get(UUID);
    expect(h.client.stats().tokenRequests).toBe(2);
  });

  it("assumes one hour when expires_in is missing, and accepts it as a string", async () => {
    const h = createHarness({ withToken: false });
    h.mockTokens({ expiresIn: null });
    h.pool
      .intercept({ path: GROUP_PATH, method: "GET" })
      .reply(() => json(200, sampleGroup))
      .persist();
    await h.client.subscriberGroups.get(UUID);
    h.clock.now += 3600_000 - TOKEN_REFRESH_MARGIN_MS - 1000;
    await h.client.subscriberGroups.get(UUID);
    expect(h.client.stats().tokenRequests).toBe(1);

    const s = createHarness({ withToken: false });
    s.pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => json(200, { access_token: makeJwt({}), expires_in: "120" }))
      .persist();
    s.pool
      .intercept({ path: GROUP_PATH, method: "GET" })
      .reply(() => json(200, sampleGroup))
      .persist();
    await s.client.subscriberGroups.get(UUID);
    s.clock.now += 61_000;
    await s.client.subscriberGroups.get(UUID);
    expect(s.client.stats().tokenRequests).toBe(2);
  });

  it("after a 401 fetches a new token and re-sends once", async () => {
    const h = createHarness();
    const seen: string[] = [];
    h.pool
      .intercept({ path: GROUP_PATH, method: "GET" })
      .reply((request) => {
        seen.push(String((request.headers as Record<string, string>).authorization));
        return seen.length === 1 ? json(401, { error: "invalid_token" }) : json(200, sampleGroup);
      })
      .times(2);
    await expect(h.client.subscriberGroups.get(UUID)).resolves.toMatchObject({ id: UUID });
    expect(h.client.stats()).toMatchObject({ tokenRequests: 2, requests: 2 });
    expect(seen).toEqual([`Bearer ${h.issuedTokens[0]}`, `Bearer ${h.issuedTokens[1]}`]);
  });

  it("refreshes only once per call: a second 401 is DpodAuthenticationError", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: GROUP_PATH, method: "GET" })
      .reply(() => json(401, {}))
      .persist();
    const error = await h.client.subscriberGroups.get(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpodAuthenticationError);
    expect(h.client.stats()).toMatchObject({ tokenRequests: 2, requests: 2 });
    expect((error as Error).message).toMatch(/DPOD_CLIENT_ID/);
  });

  it("a refused credential at the token URL names the settings to check", async () => {
    const h = createHarness({ withToken: false });
    h.pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => json(401, { error: "unauthorized", error_description: "Bad credentials" }));
    const error = await h.client.subscriberGroups.get(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpodAuthenticationError);
    expect(error).toMatchObject({ status: 401, dpodMessage: "Bad credentials", operation: "requestToken" });
    expect((error as Error).message).toMatch(/dpod:clientId/);
    expect((error as Error).message).toMatch(/DPOD_CLIENT_SECRET/);
    expect(h.client.stats().requests).toBe(0);
  });

  it("retries the token request on 503 like any other call", async () => {
    const h = createHarness({ withToken: false });
    h.pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply(() => json(503, {}));
    h.mockTokens();
    h.pool.intercept({ path: GROUP_PATH, method: "GET" }).reply(() => json(200, sampleGroup));
    await h.client.subscriberGroups.get(UUID);
    expect(h.client.stats().tokenRequests).toBe(2);
  });

  it("a token answer without access_token is DpodResponseShapeError", async () => {
    const h = createHarness({ withToken: false });
    h.pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply(() => json(200, { token_type: "bearer" }));
    await expect(h.client.subscriberGroups.get(UUID)).rejects.toBeInstanceOf(DpodResponseShapeError);
  });

  it("a failed token request does not poison the cache: the next call tries again", async () => {
    const h = createHarness({ withToken: false });
    h.pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply(() => json(401, {}));
    await expect(h.client.subscriberGroups.get(UUID)).rejects.toBeInstanceOf(DpodAuthenticationError);
    h.mockTokens();
    h.pool.intercept({ path: GROUP_PATH, method: "GET" }).reply(() => json(200, sampleGroup));
    await expect(h.client.subscriberGroups.get(UUID)).resolves.toBeDefined();
  });
});

describe("granted scopes", () => {
  it("come from the token response's scope string", async () => {
    const h = createHarness();
    await expect(h.client.grantedScopes()).resolves.toEqual(["dpod.tenant.api_appowner", "dpod.tuid.t-1"]);
  });

  it("come from the token response's scope array", async () => {
    const h = createHarness({ withToken: false });
    h.mockTokens({ scope: ["dpod.tenant.api_spadmin"] });
    await expect(h.client.grantedScopes()).resolves.toEqual(["dpod.tenant.api_spadmin"]);
  });

  it("fall back to the JWT's scope claim", async () => {
    const h = createHarness({ withToken: false });
    h.mockTokens({ scope: null });
    await expect(h.client.grantedScopes()).resolves.toEqual(["from.jwt.claim"]);
  });

  it("are read from a static access token", async () => {
    const token = makeJwt({ scope: "dpod.tenant.admin dpod.tuid.x" });
    const client = new DpodClient({ apiUrl: ORIGIN, tokenUrl: `${ORIGIN}${TOKEN_PATH}`, accessToken: token });
    await expect(client.grantedScopes()).resolves.toEqual(["dpod.tenant.admin", "dpod.tuid.x"]);
    await client.close();
  });

  it("scopesFromJwt tolerates junk and reads authorities", () => {
    expect(scopesFromJwt("not-a-jwt")).toEqual([]);
    expect(scopesFromJwt("a.%%%.c")).toEqual([]);
    expect(scopesFromJwt(makeJwt({ authorities: ["x.y"] }))).toEqual(["x.y"]);
  });
});

describe("which token an operation uses", () => {
  const userToken = makeJwt({ sub: "user-1", scope: ["dpod.tenant.admin"] });

  function userHarness(options: ClientOptions = {}) {
    return createHarness({ settings: { accessToken: userToken }, options });
  }

  it("account flows use the user token; admin calls use the client credential", async () => {
    const h = userHarness();
    const auth: Record<string, unknown> = {};
    h.pool.intercept({ path: "/v1/users/profile", method: "GET" }).reply((request) => {
      auth.profile = (request.headers as Record<string, string>).authorization;
      return json(200, { id: UUID, username: "me@example.com" });
    });
    h.pool.intercept({ path: `/v1/users/${UUID}`, method: "GET" }).reply((request) => {
      auth.admin = (request.headers as Record<string, string>).authorization;
      return json(200, { id: UUID, username: "me@example.com" });
    });
    await h.client.account.profile();
    await h.client.users.get(UUID);
    expect(auth.profile).toBe(`Bearer ${userToken}`);
    expect(auth.admin).toBe(`Bearer ${h.issuedTokens[0]}`);
  });

  it("public flows send no Authorization header and fetch no token", async () => {
    const h = createHarness();
    const headers: unknown[] = [];
    for (const path of ["/v1/users/forgotPassword", `/v1/users/${UUID}/password`]) {
      h.pool.intercept({ path, method: "POST" }).reply((request) => {
        headers.push((request.headers as Record<string, string>).authorization);
        return { statusCode: 204, data: "" };
      });
    }
    await h.client.account.forgotPassword({ username: "me@example.com" });
    await h.client.account.resetPasswordWithCode(UUID, { code: "123456", newPassword: "N3w-Password!" });
    expect(headers).toEqual([undefined, undefined]);
    expect(h.client.stats().tokenRequests).toBe(0);
  });

  it("a static token is not refreshed after a 401", async () => {
    const client = createHarness({
      settings: { clientId: undefined, clientSecret: undefined, accessToken: userToken },
    });
    client.pool.intercept({ path: "/v1/users/profile", method: "GET" }).reply(() => json(401, {}));
    await expect(client.client.account.profile()).rejects.toBeInstanceOf(DpodAuthenticationError);
    expect(client.client.stats()).toMatchObject({ requests: 1, tokenRequests: 0 });
  });
});
