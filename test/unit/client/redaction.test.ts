import { inspect } from "node:util";
import { DpodApiError, DpodClient } from "../../../provider/client";
import { DebugLog } from "../../../provider/client/log";
import {
  REDACTED,
  redactHeaders,
  redactPathAndQuery,
  redactText,
  redactValue,
  SecretScrubber,
} from "../../../provider/client/redact";
import {
  CLIENT_SECRET,
  createHarness,
  json,
  makeJwt,
  ORIGIN,
  pathIs,
  TOKEN_PATH,
  transportError,
  UUID,
} from "./helpers";

const PASSWORD = "Initial-Pa55word!";
const OLD_PASSWORD = "Old-Pa55word-1!";
const NEW_PASSWORD = "New-Pa55word-2!";
const RESET_CODE = "834512";
const TEMP_PASSWORD = "Temp-Pa55-XYZ-77";
const NEW_CLIENT_SECRET = "fresh-client-secret-value-42";

/** Every way a secret could escape through an error object. */
function renderings(error: unknown): string[] {
  const err = error as Error;
  return [
    err.message,
    String(err.stack),
    JSON.stringify(err),
    inspect(err, { depth: 20, showHidden: true }),
    inspect((err as { cause?: unknown }).cause, { depth: 20, showHidden: true }),
  ];
}

function expectClean(error: unknown, logLines: string[], secrets: string[]) {
  expect(error).toBeInstanceOf(DpodApiError);
  const everything = [...renderings(error), ...logLines].join("\n");
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

describe("no secret in any error, error property or log line", () => {
  it("token URL refusal that echoes the secret", async () => {
    const h = createHarness({ withToken: false, options: { maxAttempts: 1 } });
    h.pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply(() =>
      json(401, {
        error: "invalid_client",
        error_description: `secret ${CLIENT_SECRET} rejected`,
        client_secret: CLIENT_SECRET,
      }),
    );
    const error = await h.client.users.get(UUID).catch((e: unknown) => e);
    expectClean(error, h.logLines, [CLIENT_SECRET]);
    expect(h.logLines.join("\n")).toContain(`client_secret=${REDACTED}`);
  });

  it("tokens never appear: not the Authorization header in logs, nor a 401 body echoing the token", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: `/v1/users/${UUID}`, method: "GET" })
      .reply(() => json(401, { message: `token ${h.issuedTokens.at(-1)} has expired` }))
      .persist();
    const error = await h.client.users.get(UUID).catch((e: unknown) => e);
    expect(h.issuedTokens.length).toBe(2);
    expectClean(error, h.logLines, [CLIENT_SECRET, ...h.issuedTokens]);
    expect(h.logLines.join("\n")).toContain(`"authorization":"${REDACTED}"`);
  });

  it("a 400 on createUser that echoes the password", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: "/v1/users", method: "POST" })
      .reply(() => json(400, { message: `password ${PASSWORD} is too weak`, password: PASSWORD }));
    const error = await h.client.users
      .create({ username: "a@b.c", givenName: "A", familyName: "B", accountRole: "x", password: PASSWORD })
      .catch((e: unknown) => e);
    expectClean(error, h.logLines, [PASSWORD, CLIENT_SECRET]);
  });

  it("AmbiguousCreateError keeps the body, without the password", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: "/v1/users", method: "POST" })
      .replyWithError(transportError("ECONNRESET", `reset while sending ${PASSWORD}`));
    const error = await h.client.users
      .create({ username: "a@b.c", givenName: "A", familyName: "B", accountRole: "x", password: PASSWORD })
      .catch((e: unknown) => e);
    expectClean(error, h.logLines, [PASSWORD, CLIENT_SECRET]);
    expect((error as { requestBody: unknown }).requestBody).toMatchObject({ password: REDACTED });
  });

  it.each([400, 401, 403, 404, 409, 429, 500, 502, 503, 504])(
    "a %i whose body echoes every secret the call involved",
    async (status) => {
      const h = createHarness({ options: { maxAttempts: 2 } });
      h.pool
        .intercept({ path: `/v1/users/${UUID}`, method: "PATCH" })
        .reply(() =>
          json(
            status,
            {
              message: `echo ${CLIENT_SECRET} ${h.issuedTokens.join(" ")}`,
              error: `Bearer ${h.issuedTokens[0] ?? ""}`,
              password: PASSWORD,
            },
            { "x-request-id": `req-${CLIENT_SECRET}` },
          ),
        )
        .persist();
      const error = await h.client.users.update(UUID, { givenName: "Ada" }).catch((e: unknown) => e);
      expect((error as DpodApiError).status).toBe(status);
      expectClean(error, h.logLines, [CLIENT_SECRET, ...h.issuedTokens]);
    },
  );

  it("a response-shape error on a create whose body carries the new secret", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: "/v1/credentials/clients", method: "POST" })
      .reply(() => json(200, { clientId: UUID, clientSecret: NEW_CLIENT_SECRET, role: "r" }));
    const error = await h.client.credentials.create({ name: "n", role: "r" }).catch((e: unknown) => e);
    expectClean(error, h.logLines, [NEW_CLIENT_SECRET, CLIENT_SECRET]);
    expect((error as { rawBody: string }).rawBody).toContain(`"clientSecret":"${REDACTED}"`);
  });

  it("a response-shape error on a body that is not JSON and carries a password", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: `/v1/users/${UUID}/resetPassword`, method: "PATCH" })
      .reply(() => ({ statusCode: 200, data: `<html>temporaryPassword=${TEMP_PASSWORD}</html>` }));
    const error = await h.client.users.resetPassword(UUID).catch((e: unknown) => e);
    expectClean(error, h.logLines, [TEMP_PASSWORD]);
  });

  it("a verification code in the query is redacted in error paths and logs", async () => {
    const h = createHarness({
      settings: { accessToken: makeJwt({ scope: ["dpod.tenant.admin.unverified"] }) },
    });
    h.pool
      .intercept({ path: pathIs(`/v1/users/${UUID}/verify`), method: "GET" })
      .reply(() => json(400, { message: `code ${RESET_CODE} is wrong` }));
    const error = (await h.client.account.verify(UUID, RESET_CODE).catch((e: unknown) => e)) as DpodApiError;
    expectClean(error, h.logLines, [RESET_CODE]);
    expect(error.path).toBe(`/v1/users/${UUID}/verify?code=${encodeURIComponent(REDACTED)}`);
  });

  it("changePassword and resetPasswordWithCode failures that echo their inputs", async () => {
    const token = makeJwt({ scope: ["dpod.tenant.admin"] });
    const h = createHarness({ settings: { accessToken: token } });
    h.pool
      .intercept({ path: "/v1/users/changePassword", method: "PATCH" })
      .reply(() =>
        json(400, { message: `old ${OLD_PASSWORD} new ${NEW_PASSWORD}`, oldPassword: OLD_PASSWORD }),
      );
    h.pool
      .intercept({ path: `/v1/users/${UUID}/password`, method: "POST" })
      .reply(() => json(400, `code=${RESET_CODE}&newPassword=${NEW_PASSWORD}`));
    const first = await h.client.account
      .changePassword({ oldPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD })
      .catch((e: unknown) => e);
    const second = await h.client.account
      .resetPasswordWithCode(UUID, { code: RESET_CODE, newPassword: NEW_PASSWORD })
      .catch((e: unknown) => e);
    expectClean(first, h.logLines, [OLD_PASSWORD, NEW_PASSWORD, token]);
    expectClean(second, h.logLines, [RESET_CODE, NEW_PASSWORD, token]);
  });

  it("a connection error whose message mentions secrets", async () => {
    const h = createHarness({ options: { maxAttempts: 1 } });
    h.pool
      .intercept({ path: `/v1/users/${UUID}`, method: "GET" })
      .replyWithError(transportError("ECONNRESET", `socket hang up (secret ${CLIENT_SECRET})`));
    const error = await h.client.users.get(UUID).catch((e: unknown) => e);
    expectClean(error, h.logLines, [CLIENT_SECRET]);
  });

  it("a 403 with a static token", async () => {
    const token = makeJwt({ scope: "dpod.tenant.appowner" });
    const client = createHarness({
      settings: { clientId: undefined, clientSecret: undefined, accessToken: token },
    });
    client.pool
      .intercept({ path: "/v1/users", method: "POST" })
      .reply(() => json(403, { message: "denied" }));
    const error = await client.client.users
      .create({ username: "a@b.c", givenName: "A", familyName: "B", accountRole: "x", password: PASSWORD })
      .catch((e: unknown) => e);
    expectClean(error, client.logLines, [token, PASSWORD]);
    expect((error as Error).message).toContain("dpod.tenant.appowner");
  });

  it("successful answers that carry secrets are logged redacted", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: `/v1/credentials/clients/${UUID}/resetSecret`, method: "POST" })
      .reply(() => json(200, { clientId: UUID, name: "n", role: "r", clientSecret: NEW_CLIENT_SECRET }));
    h.pool
      .intercept({ path: `/v1/users/${UUID}/resetPassword`, method: "PATCH" })
      .reply(() => json(200, { temporaryPassword: TEMP_PASSWORD }));
    await expect(h.client.credentials.resetSecret(UUID)).resolves.toMatchObject({
      clientSecret: NEW_CLIENT_SECRET,
    });
    await expect(h.client.users.resetPassword(UUID)).resolves.toEqual({ temporaryPassword: TEMP_PASSWORD });
    const log = h.logLines.join("\n");
    for (const secret of [NEW_CLIENT_SECRET, TEMP_PASSWORD, CLIENT_SECRET, ...h.issuedTokens]) {
      expect(log).not.toContain(secret);
    }
    expect(log).toContain("dpod: <- 200 POST");
  });
});

describe("debug logging switch", () => {
  it("is off by default and on with DPOD_LOG=debug", () => {
    const lines: string[] = [];
    const sink = (line: string) => lines.push(line);
    DebugLog.fromEnvironment(undefined, sink, (t) => t, {}).note("off");
    DebugLog.fromEnvironment(undefined, sink, (t) => t, { DPOD_LOG: "debug" }).note("on");
    DebugLog.fromEnvironment(false, sink, (t) => t, { DPOD_LOG: "debug" }).note("forced off");
    expect(lines).toEqual(["dpod: on"]);
  });

  it("a client without debug writes nothing", async () => {
    const lines: string[] = [];
    const h = createHarness({ options: { debug: false, logger: (line) => lines.push(line) } });
    h.pool.intercept({ path: `/v1/users/${UUID}`, method: "GET" }).reply(() => json(404, {}));
    await h.client.users.get(UUID).catch(() => undefined);
    expect(lines).toEqual([]);
  });

  it("writes to stderr when DPOD_LOG=debug and no logger is given", async () => {
    const previous = process.env.DPOD_LOG;
    process.env.DPOD_LOG = "debug";
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const h = createHarness();
      const client = new DpodClient(h.settings, { dispatcher: h.agent });
      h.pool.intercept({ path: `/v1/users/${UUID}`, method: "GET" }).reply(() => json(404, {}));
      await client.users.get(UUID).catch(() => undefined);
    } finally {
      spy.mockRestore();
      if (previous === undefined) delete process.env.DPOD_LOG;
      else process.env.DPOD_LOG = previous;
    }
    expect(writes.some((line) => line.startsWith("dpod: -> GET"))).toBe(true);
    expect(writes.join("")).not.toContain(CLIENT_SECRET);
  });
});

describe("redact.ts", () => {
  it("redacts sensitive JSON fields at any depth, keeping numeric codes", () => {
    expect(
      redactValue({
        a: { clientSecret: "s", list: [{ password: "p" }] },
        code: 404,
        Authorization: "Bearer x",
      }),
    ).toEqual({
      a: { clientSecret: REDACTED, list: [{ password: REDACTED }] },
      code: 404,
      Authorization: REDACTED,
    });
  });

  it("redacts text of every shape", () => {
    expect(redactText('{"newPassword":"n","name":"ok"}')).toBe(`{"newPassword":"${REDACTED}","name":"ok"}`);
    expect(redactText('{"access_token":"abc", "truncated')).toBe(`{"access_token":"${REDACTED}", "truncated`);
    expect(redactText("grant_type=client_credentials&client_secret=xyz")).toBe(
      `grant_type=client_credentials&client_secret=${REDACTED}`,
    );
    expect(redactText("Authorization: Bearer abc.def-ghi")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText(`token is ${makeJwt({ a: 1 })} ok`)).toBe(`token is ${REDACTED} ok`);
  });

  it("redacts query parameters and headers", () => {
    expect(redactPathAndQuery("/v1/x?code=1&page=2")).toBe(
      `/v1/x?code=${encodeURIComponent(REDACTED)}&page=2`,
    );
    expect(redactPathAndQuery("/v1/x")).toBe("/v1/x");
    expect(redactHeaders({ Authorization: "Bearer a", Accept: "json", "X-Emulator-Admin-Key": "k" })).toEqual(
      {
        authorization: REDACTED,
        accept: "json",
        "x-emulator-admin-key": REDACTED,
      },
    );
  });

  it("SecretScrubber removes known values and ignores very short ones", () => {
    const scrubber = new SecretScrubber();
    scrubber.add("hunter22");
    scrubber.add("ab");
    scrubber.add(undefined);
    expect(scrubber.clean("pw hunter22 ab")).toBe(`pw ${REDACTED} ab`);
  });

  it("the client refuses unusable settings without echoing them", () => {
    expect(
      () => new DpodClient({ apiUrl: "not a url", tokenUrl: `${ORIGIN}${TOKEN_PATH}`, accessToken: "t" }),
    ).toThrow(/settings.apiUrl is not an absolute URL/);
    expect(
      () =>
        new DpodClient({
          apiUrl: "http://example.com",
          tokenUrl: `${ORIGIN}${TOKEN_PATH}`,
          accessToken: "t",
        }),
    ).toThrow(/plain http/);
    expect(
      () => new DpodClient({ apiUrl: ORIGIN, tokenUrl: `${ORIGIN}${TOKEN_PATH}`, clientId: "x" }),
    ).toThrow(/clientId and clientSecret, or accessToken/);
  });
});
