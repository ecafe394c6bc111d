import { errors as undiciErrors } from "undici";
import {
  AmbiguousCreateError,
  DpodConnectionError,
  DpodNotFoundError,
  DpodRateLimitError,
  DpodServerError,
} from "../../../provider/client";
import { parseRetryAfter, retryDelayMs } from "../../../provider/client/retry";
import {
  CLIENT_SECRET,
  createHarness,
  json,
  pathIs,
  sampleCredential,
  sampleUser,
  transportError,
  UUID,
} from "./helpers";

const GET_PATH = `/v1/credentials/clients/${UUID}`;

describe("retry rules (retry.ts R1-R5)", () => {
  it("retries 503 with full-jitter exponential backoff and then succeeds", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: GET_PATH, method: "GET" })
      .reply(() => json(503, { message: "busy" }))
      .times(2);
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(200, sampleCredential));

    await expect(h.client.credentials.get(UUID)).resolves.toMatchObject({ clientId: UUID });
    // random() = 0.5: half of 500 ms, then half of 1000 ms
    expect(h.clock.sleeps).toEqual([250, 500]);
    expect(h.client.stats().requests).toBe(3);
  });

  it.each([429, 502, 503, 504])("retries %i on a GET", async (status) => {
    const h = createHarness();
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(status, {}));
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(200, sampleCredential));
    await expect(h.client.credentials.get(UUID)).resolves.toBeDefined();
    expect(h.client.stats().requests).toBe(2);
  });

  it.each([400, 403, 409, 500])("does not retry %i", async (status) => {
    const h = createHarness();
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(status, { message: "no" }));
    await expect(h.client.credentials.get(UUID)).rejects.toMatchObject({ status });
    expect(h.client.stats().requests).toBe(1);
    expect(h.clock.sleeps).toEqual([]);
  });

  it("honours Retry-After in seconds", async () => {
    const h = createHarness();
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(429, {}, { "retry-after": "7" }));
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(200, sampleCredential));
    await h.client.credentials.get(UUID);
    expect(h.clock.sleeps).toEqual([7000]);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const h = createHarness();
    const at = new Date(h.clock.now + 12_000).toUTCString();
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(503, {}, { "retry-after": at }));
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(200, sampleCredential));
    await h.client.credentials.get(UUID);
    expect(h.clock.sleeps).toEqual([12_000]);
  });

  it("caps a long Retry-After at maxRetryWaitMs (default 30 s)", async () => {
    const h = createHarness();
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(429, {}, { "retry-after": "3600" }));
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(200, sampleCredential));
    await h.client.credentials.get(UUID);
    expect(h.clock.sleeps).toEqual([30_000]);
  });

  it("applies a configured cap to Retry-After and to backoff", async () => {
    const h = createHarness({ options: { maxRetryWaitMs: 1000, random: () => 0.999 } });
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(429, {}, { "retry-after": "120" }));
    h.pool
      .intercept({ path: GET_PATH, method: "GET" })
      .reply(() => json(503, {}))
      .times(3);
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(200, sampleCredential));
    await h.client.credentials.get(UUID);
    expect(h.clock.sleeps[0]).toBe(1000);
    for (const wait of h.clock.sleeps) expect(wait).toBeLessThanOrEqual(1000);
    expect(h.clock.sleeps.slice(1)).toEqual([999, 999, 999]);
  });

  it("bounds attempts (default 5) and reports how many were made", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: GET_PATH, method: "GET" })
      .reply(() => json(503, { message: "down" }))
      .persist();
    const error = await h.client.credentials.get(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpodServerError);
    expect((error as DpodServerError).attempts).toBe(5);
    expect(h.client.stats().requests).toBe(5);
    expect(h.clock.sleeps).toHaveLength(4);
  });

  it("respects a configured maxAttempts", async () => {
    const h = createHarness({ options: { maxAttempts: 2 } });
    h.pool
      .intercept({ path: GET_PATH, method: "GET" })
      .reply(() => json(429, {}, { "retry-after": "1" }))
      .persist();
    const error = await h.client.credentials.get(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpodRateLimitError);
    expect((error as DpodRateLimitError).retryAfterMs).toBe(1000);
    expect(h.client.stats().requests).toBe(2);
  });

  it("retries connection errors on GET, PATCH and DELETE", async () => {
    const h = createHarness();
    h.pool.intercept({ path: GET_PATH, method: "GET" }).replyWithError(transportError("ECONNRESET"));
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(200, sampleCredential));
    h.pool
      .intercept({ path: GET_PATH, method: "PATCH" })
      .replyWithError(new undiciErrors.SocketError("closed"));
    h.pool.intercept({ path: GET_PATH, method: "PATCH" }).reply(() => json(200, sampleCredential));
    h.pool
      .intercept({ path: GET_PATH, method: "DELETE" })
      .replyWithError(new undiciErrors.HeadersTimeoutError());
    h.pool.intercept({ path: GET_PATH, method: "DELETE" }).reply(204, "");
    await h.client.credentials.get(UUID);
    await h.client.credentials.update(UUID, { name: "x" });
    await h.client.credentials.delete(UUID);
    expect(h.client.stats().requests).toBe(6);
  });

  it("gives up on a persistent connection failure with DpodConnectionError", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: GET_PATH, method: "GET" })
      .replyWithError(transportError("ECONNREFUSED"))
      .persist();
    const error = await h.client.credentials.get(UUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpodConnectionError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", status: undefined, attempts: 5 });
    expect((error as Error).message).toMatch(/dpod:apiUrl \(DPOD_API_URL\)/);
  });
});

describe("creates are never re-sent once they may have reached DPoD", () => {
  const createBody = { name: "ci", role: "dpod.tenant.api_appowner" };

  it.each([
    ["a reset after sending", () => new undiciErrors.SocketError("other side closed")],
    ["a headers timeout", () => new undiciErrors.HeadersTimeoutError()],
    ["a body timeout", () => new undiciErrors.BodyTimeoutError()],
    ["ECONNRESET", () => transportError("ECONNRESET")],
  ])("%s -> AmbiguousCreateError, and no second POST", async (_label, makeError) => {
    const h = createHarness();
    h.pool.intercept({ path: "/v1/credentials/clients", method: "POST" }).replyWithError(makeError());
    // a second POST would be answered (and counted) here
    h.pool
      .intercept({ path: "/v1/credentials/clients", method: "POST" })
      .reply(() => json(200, sampleCredential));

    const error = await h.client.credentials.create(createBody).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousCreateError);
    expect(error).toMatchObject({ method: "POST", path: "/v1/credentials/clients", requestBody: createBody });
    expect((error as Error).message).toMatch(/not sent again/);
    expect(h.client.stats().requests).toBe(1);
    expect(h.agent.pendingInterceptors()).toHaveLength(1); // the second POST was never used
  });

  it.each([502, 504])(
    "a %i answer to a create -> AmbiguousCreateError without re-sending",
    async (status) => {
      const h = createHarness();
      h.pool.intercept({ path: "/v1/subscriber_groups", method: "POST" }).reply(() => json(status, {}));
      const error = await h.client.subscriberGroups.create({ name: "g" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AmbiguousCreateError);
      expect(error).toMatchObject({ status });
      expect(h.client.stats().requests).toBe(1);
    },
  );

  it("keeps secrets out of the request body carried by AmbiguousCreateError", async () => {
    const h = createHarness();
    h.pool.intercept({ path: "/v1/users", method: "POST" }).replyWithError(transportError("ECONNRESET"));
    const error = (await h.client.users
      .create({
        username: "bob@example.com",
        givenName: "Bob",
        familyName: "B",
        accountRole: "dpod.tenant.admin",
        password: "Initial-Pa55word!",
      })
      .catch((e: unknown) => e)) as AmbiguousCreateError;
    expect(error).toBeInstanceOf(AmbiguousCreateError);
    expect(error.requestBody).toMatchObject({ username: "bob@example.com", password: "[REDACTED]" });
    expect(JSON.stringify(error)).not.toContain("Initial-Pa55word!");
  });

  it.each([
    ["429", () => json(429, {}, { "retry-after": "2" })],
    ["503", () => json(503, {})],
  ])("a create refused with %s is re-sent (it was not processed)", async (_label, refusal) => {
    const h = createHarness();
    h.pool.intercept({ path: "/v1/users", method: "POST" }).reply(refusal);
    h.pool.intercept({ path: "/v1/users", method: "POST" }).reply(() => json(201, sampleUser));
    await expect(
      h.client.users.create({ username: "a@b.c", givenName: "A", familyName: "B", accountRole: "x" }),
    ).resolves.toMatchObject({ id: UUID });
    expect(h.client.stats().requests).toBe(2);
  });

  it("a create that failed before sending (connection refused) is re-sent", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: "/v1/credentials/clients", method: "POST" })
      .replyWithError(transportError("ECONNREFUSED"));
    h.pool
      .intercept({ path: "/v1/credentials/clients", method: "POST" })
      .reply(() => json(200, sampleCredential));
    await expect(h.client.credentials.create(createBody)).resolves.toMatchObject({ clientId: UUID });
    expect(h.client.stats().requests).toBe(2);
  });

  it("a single-use call (changePassword) is not repeated after a reset", async () => {
    const h = createHarness({ settings: { accessToken: "user-token-abcdef" } });
    h.pool
      .intercept({ path: "/v1/users/changePassword", method: "PATCH" })
      .replyWithError(transportError("ECONNRESET"));
    const error = await h.client.account
      .changePassword({ oldPassword: "Old-Pa55word!", newPassword: "New-Pa55word!" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpodConnectionError);
    expect((error as Error).message).toMatch(/cannot safely be sent twice/);
    expect(h.client.stats().requests).toBe(1);
  });

  it("a single-use call answered 502 is DpodServerError saying it was not repeated", async () => {
    const h = createHarness({ settings: { accessToken: "user-token-abcdef" } });
    h.pool.intercept({ path: `/v1/users/${UUID}/password`, method: "POST" }).reply(() => json(502, {}));
    const error = await h.client.account
      .resetPasswordWithCode(UUID, { code: "123456", newPassword: "New-Pa55word!" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpodServerError);
    expect((error as Error).message).toMatch(/not sent again because it cannot safely be repeated/);
    expect(h.client.stats().requests).toBe(1);
  });

  it("verify (a single-use GET) is not repeated after a timeout, but is after a refusal", async () => {
    const h = createHarness({ settings: { accessToken: "user-token-abcdef" } });
    const verify = { path: pathIs(`/v1/users/${UUID}/verify`), method: "GET" };
    h.pool.intercept(verify).replyWithError(new undiciErrors.HeadersTimeoutError());
    await expect(h.client.account.verify(UUID, "123456")).rejects.toBeInstanceOf(DpodConnectionError);
    expect(h.client.stats().requests).toBe(1);
    h.pool.intercept(verify).reply(() => json(503, {}));
    h.pool.intercept(verify).reply(() => json(200, sampleUser));
    await expect(h.client.account.verify(UUID, "123456")).resolves.toMatchObject({ id: UUID });
    expect(h.client.stats().requests).toBe(3);
  });

  it("resetSecret, which is safe to repeat, is retried after a reset", async () => {
    const h = createHarness();
    const path = `/v1/credentials/clients/${UUID}/resetSecret`;
    h.pool.intercept({ path, method: "POST" }).replyWithError(transportError("ECONNRESET"));
    h.pool
      .intercept({ path, method: "POST" })
      .reply(() => json(200, { ...sampleCredential, clientSecret: "new" }));
    await expect(h.client.credentials.resetSecret(UUID)).resolves.toMatchObject({ clientSecret: "new" });
  });
});

describe("DELETE answered 404 (R6)", () => {
  it("counts as done when it is the answer to a retry", async () => {
    const h = createHarness();
    h.pool.intercept({ path: pathIs(`/v1/users/${UUID}`), method: "DELETE" }).reply(() => json(503, {}));
    h.pool.intercept({ path: pathIs(`/v1/users/${UUID}`), method: "DELETE" }).reply(() => json(404, {}));
    await expect(h.client.users.delete(UUID)).resolves.toBeUndefined();
    expect(h.client.stats().requests).toBe(2);
  });

  it("counts as done after a lost answer (reset) too", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: `/v1/subscriber_groups/${UUID}`, method: "DELETE" })
      .replyWithError(transportError("ECONNRESET"));
    h.pool.intercept({ path: `/v1/subscriber_groups/${UUID}`, method: "DELETE" }).reply(() => json(404, {}));
    await expect(h.client.subscriberGroups.delete(UUID)).resolves.toBeUndefined();
  });

  it("is DpodNotFoundError on the first attempt (the handler decides)", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: `/v1/credentials/clients/${UUID}`, method: "DELETE" })
      .reply(() => json(404, {}));
    await expect(h.client.credentials.delete(UUID)).rejects.toBeInstanceOf(DpodNotFoundError);
  });
});

describe("retry helpers", () => {
  const now = Date.UTC(2026, 0, 1);

  it("parses Retry-After seconds, dates, past dates and junk", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 5 ", now)).toBe(5000);
    expect(parseRetryAfter("1.5", now)).toBe(1500);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(parseRetryAfter(new Date(now - 90_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("computes full-jitter backoff bounded by the cap", () => {
    const settings = { maxRetryWaitMs: 30_000, random: () => 1 - Number.EPSILON };
    expect(retryDelayMs(1, undefined, settings)).toBe(499);
    expect(retryDelayMs(4, undefined, settings)).toBe(3999);
    expect(retryDelayMs(20, undefined, settings)).toBe(29_999);
    expect(retryDelayMs(3, undefined, { ...settings, random: () => 0 })).toBe(0);
    expect(retryDelayMs(1, 45_000, settings)).toBe(30_000);
    expect(retryDelayMs(1, 2_000, settings)).toBe(2_000);
  });

  it("never sleeps with a secret-bearing value in the logs", async () => {
    const h = createHarness();
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(503, {}));
    h.pool.intercept({ path: GET_PATH, method: "GET" }).reply(() => json(200, sampleCredential));
    await h.client.credentials.get(UUID);
    expect(h.logLines.join("\n")).not.toContain(CLIENT_SECRET);
  });
});
