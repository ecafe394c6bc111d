import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { admin, clientToken, credentialOf, http, jwtPayload, seedTokens } from "./harness";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("emulator token endpoints", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  const sp = () => credentialOf(emulator.tenants[0]!, "dpod.tenant.api_spadmin");

  function form(fields: Record<string, string>): string {
    return new URLSearchParams(fields).toString();
  }

  it("issues a bearer JWT for form client credentials with the DPoD response fields", async () => {
    const { clientId, clientSecret } = sp();
    const result = await http(emulator, "/oauth/v1/token", {
      method: "POST",
      headers: FORM,
      rawBody: form({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
    });
    expect(result.status).toBe(200);
    expect(result.headers.get("cache-control")).toBe("no-store");
    expect(result.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: "bearer",
      expires_in: 3599,
      scope: `dpod.tuid.${emulator.tenants[0]!.id} dpod.tenant.api_spadmin`,
      jti: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const claims = jwtPayload(result.body["access_token"]);
    expect(claims).toMatchObject({
      sub: clientId,
      cid: clientId,
      client_id: clientId,
      scope: [`dpod.tuid.${emulator.tenants[0]!.id}`, "dpod.tenant.api_spadmin"],
      authorities: [`dpod.tuid.${emulator.tenants[0]!.id}`, "dpod.tenant.api_spadmin"],
      iss: emulator.tokenUrl,
      aud: "dpod",
      jti: result.body["jti"],
    });
    expect(claims["exp"] - claims["iat"]).toBe(3600);
  });

  it("accepts HTTP Basic client authentication and the legacy /oauth/token path", async () => {
    const { clientId, clientSecret } = sp();
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
    const result = await http(emulator, "/oauth/token", {
      method: "POST",
      headers: { ...FORM, authorization: `Basic ${basic}` },
      rawBody: form({ grant_type: "client_credentials" }),
    });
    expect(result.status).toBe(200);
    expect(result.body["token_type"]).toBe("bearer");
  });

  it("puts subscriber-group scopes in tokens of group-bound credentials", async () => {
    const tokens = await seedTokens(emulator);
    const group = await http(emulator, "/v1/subscriber_groups", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "token-scope-group" },
    });
    const created = await http(emulator, "/v1/credentials/clients", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "bound", role: "dpod.tenant.api_appowner", subscriberGroups: [group.body["id"]] },
    });
    const token = await clientToken(emulator, created.body["clientId"], created.body["clientSecret"]);
    const tenantId = emulator.tenants[1]!.id;
    expect(jwtPayload(token)["scope"]).toEqual([
      `dpod.tuid.${tenantId}`,
      "dpod.tenant.api_appowner",
      `dpod.tuid.${tenantId}.sguid.${group.body["id"]}`,
    ]);
  });

  it("answers RFC 6749 errors: bad secret, unknown client, missing fields, wrong grant, wrong content type", async () => {
    const { clientId } = sp();
    const post = (body: string, headers: Record<string, string> = FORM) =>
      http(emulator, "/oauth/v1/token", { method: "POST", headers, rawBody: body });

    const badSecret = await post(
      form({ grant_type: "client_credentials", client_id: clientId, client_secret: "nope" }),
    );
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toEqual({ error: "invalid_client", error_description: "Bad credentials" });

    const unknown = await post(
      form({ grant_type: "client_credentials", client_id: "not-a-client", client_secret: "x" }),
    );
    expect(unknown.status).toBe(401);
    expect(unknown.body["error"]).toBe("invalid_client");

    const missingGrant = await post(form({ client_id: clientId, client_secret: "x" }));
    expect(missingGrant.status).toBe(400);
    expect(missingGrant.body["error"]).toBe("invalid_request");

    const missingSecret = await post(form({ grant_type: "client_credentials", client_id: clientId }));
    expect(missingSecret.status).toBe(400);
    expect(missingSecret.body["error"]).toBe("invalid_request");

    const password = await post(form({ grant_type: "password", username: "a", password: "b" }));
    expect(password.status).toBe(400);
    expect(password.body["error"]).toBe("unsupported_grant_type");

    const json = await post(JSON.stringify({ grant_type: "client_credentials" }), {
      "content-type": "application/json",
    });
    expect(json.status).toBe(400);
    expect(json.body["error"]).toBe("invalid_request");

    const text = await post("grant_type=client_credentials", { "content-type": "text/plain" });
    expect(text.status).toBe(400);
    expect(text.body["error"]).toBe("invalid_request");
  });

  it("refuses the old secret after resetSecret and any secret after delete", async () => {
    const { spAdmin } = await seedTokens(emulator);
    const created = await http(emulator, "/v1/credentials/clients", {
      method: "POST",
      token: spAdmin,
      body: { name: "rotating", role: "dpod.tenant.api_spadmin" },
    });
    const clientId = created.body["clientId"] as string;
    const oldSecret = created.body["clientSecret"] as string;
    await clientToken(emulator, clientId, oldSecret);

    const reset = await http(emulator, `/v1/credentials/clients/${clientId}/resetSecret`, {
      method: "POST",
      token: spAdmin,
    });
    expect(reset.status).toBe(200);
    await expect(clientToken(emulator, clientId, oldSecret)).rejects.toThrow(/401/);
    await clientToken(emulator, clientId, reset.body["clientSecret"]);

    const deleted = await http(emulator, `/v1/credentials/clients/${clientId}`, {
      method: "DELETE",
      token: spAdmin,
    });
    expect(deleted.status).toBe(204);
    await expect(clientToken(emulator, clientId, reset.body["clientSecret"])).rejects.toThrow(/401/);
  });
});

describe("emulator bearer-token checks", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ tokenTtlSeconds: 60 });
  });
  afterAll(() => emulator.close());

  it("answers 401 with the error body for a missing, malformed or badly signed token", async () => {
    const missing = await http(emulator, "/v1/users");
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ status: 401, error: "Unauthorized", code: 401, path: "/v1/users" });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const garbage = await http(emulator, "/v1/users", { token: "not.a.jwt" });
    expect(garbage.status).toBe(401);

    const { spAdmin } = await seedTokens(emulator);
    const [header, payload, signature] = spAdmin.split(".");
    const tampered = `${header}.${payload}.${signature?.slice(0, -4)}AAAA`;
    expect((await http(emulator, "/v1/users", { token: tampered })).status).toBe(401);

    const other = await startEmulator();
    try {
      const foreign = (await seedTokens(other)).spAdmin;
      const result = await http(emulator, "/v1/users", { token: foreign });
      expect(result.status).toBe(401);
      expect(result.body["message"]).toBe("Invalid access token");
    } finally {
      await other.close();
    }
  });

  it("expires tokens when the emulator clock passes exp", async () => {
    const { spAdmin } = await seedTokens(emulator);
    expect((await http(emulator, "/v1/users", { token: spAdmin })).status).toBe(200);
    const advanced = await admin(emulator, "/clock", { method: "POST", body: { advanceSeconds: 61 } });
    expect(advanced.status).toBe(200);
    const expired = await http(emulator, "/v1/users", { token: spAdmin });
    expect(expired.status).toBe(401);
    expect(expired.body["message"]).toBe("Access token expired");
    expect(expired.headers.get("www-authenticate")).toMatch(/invalid_token/);
    // A new token is valid again on the advanced clock.
    const fresh = await seedTokens(emulator);
    expect((await http(emulator, "/v1/users", { token: fresh.spAdmin })).status).toBe(200);
  });

  // docs/dpod-api-notes.md#secret-reset-and-deletion
  it("keeps tokens issued before a credential is deleted valid until they expire", async () => {
    const { spAdmin } = await seedTokens(emulator);
    const created = await http(emulator, "/v1/credentials/clients", {
      method: "POST",
      token: spAdmin,
      body: { name: "short-lived", role: "api_spadmin" },
    });
    const token = await clientToken(emulator, created.body["clientId"], created.body["clientSecret"]);
    await http(emulator, `/v1/credentials/clients/${created.body["clientId"]}`, {
      method: "DELETE",
      token: spAdmin,
    });
    expect((await http(emulator, "/v1/users", { token })).status).toBe(200);
  });
});

describe("emulator injected clock", () => {
  it("uses the `now` option for token times and createdAt", async () => {
    const fixedMs = Date.UTC(2030, 0, 1, 12, 0, 0);
    const emulator = await startEmulator({ now: () => fixedMs, tokenTtlSeconds: 120 });
    try {
      const tokens = await seedTokens(emulator);
      const claims = jwtPayload(tokens.spAdmin);
      expect(claims["iat"]).toBe(fixedMs / 1000);
      expect(claims["exp"]).toBe(fixedMs / 1000 + 120);
      const group = await http(emulator, "/v1/subscriber_groups", {
        method: "POST",
        token: tokens.appOwner,
        body: { name: "clocked" },
      });
      expect(group.body["createdAt"]).toBe("2030-01-01T12:00:00.000Z");
    } finally {
      await emulator.close();
    }
  });
});
