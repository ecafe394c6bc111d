import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { http, seedTokens, type SeedTokens } from "./harness";

/** Bad input never crashes the emulator: every case gets a 4xx with the documented error body. */
describe("emulator robustness against bad input", () => {
  let emulator: RunningEmulator;
  let tokens: SeedTokens;
  beforeAll(async () => {
    emulator = await startEmulator({ bodyLimitBytes: 4096 });
    tokens = await seedTokens(emulator);
  });
  afterAll(() => emulator.close());

  const ERROR_BODY = {
    timestamp: expect.stringMatching(/Z$/),
    status: expect.any(Number),
    error: expect.any(String),
    message: expect.any(String),
    path: expect.any(String),
    code: expect.any(Number),
  };

  const post = (path: string, rawBody: string, contentType = "application/json") =>
    http(emulator, path, {
      method: "POST",
      token: tokens.spAdmin,
      rawBody,
      headers: { "content-type": contentType },
    });

  it("answers malformed JSON with 400", async () => {
    const result = await post("/v1/users", '{"username": ');
    expect(result.status).toBe(400);
    expect(result.body).toEqual(ERROR_BODY);
  });

  it("answers JSON that is not an object with 400", async () => {
    for (const body of ["[]", "42", '"text"', "null"]) {
      const result = await post("/v1/users", body);
      expect(result.status).toBe(400);
      expect(result.body).toEqual(ERROR_BODY);
    }
  });

  it("answers wrong types and unknown fields with 400 naming the field", async () => {
    const wrongType = await post(
      "/v1/users",
      JSON.stringify({ username: "a@b.example", givenName: ["x"], familyName: "F", accountRole: "spadmin" }),
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.body["message"]).toBe("Field 'givenName' must be of type string");

    const unknown = await post(
      "/v1/users",
      JSON.stringify({
        username: "a@b.example",
        givenName: "G",
        familyName: "F",
        accountRole: "spadmin",
        isAdmin: true,
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body["message"]).toBe("Unknown field 'isAdmin'");
  });

  it("refuses prototype-pollution keys", async () => {
    const result = await post("/v1/subscriber_groups", '{"name":"x","__proto__":{"polluted":true}}');
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("answers oversized bodies with 413", async () => {
    const result = await post("/v1/users", JSON.stringify({ username: "x".repeat(10_000) }));
    expect(result.status).toBe(413);
    expect(result.body).toEqual(ERROR_BODY);
  });

  it("answers unsupported content types with 415, forms included", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const result = await post("/v1/users", "username=a", contentType);
      expect(result.status).toBe(415);
      expect(result.body).toEqual(ERROR_BODY);
    }
  });

  it("accepts application/merge-patch+json on PATCH", async () => {
    const result = await http(emulator, `/v1/users/${tokens.sp.primaryAdmin.id}`, {
      method: "PATCH",
      token: tokens.spAdmin,
      rawBody: JSON.stringify({ phoneNumber: "+44 20 0000" }),
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(result.status).toBe(200);
    expect(result.body["phoneNumber"]).toBe("+44 20 0000");
  });

  it("answers non-UUID path ids with 400, after authentication and the scope check", async () => {
    for (const path of ["/v1/users/123", "/v1/credentials/clients/abc", "/v1/users/%00/resetPassword"]) {
      const method = path.endsWith("resetPassword") ? "PATCH" : "GET";
      const result = await http(emulator, path, { method, token: tokens.spAdmin });
      expect(result.status).toBe(400);
      expect(result.body).toEqual(ERROR_BODY);
      expect(result.body["message"]).toBe("Parameter 'id' must be a UUID");
    }
    expect((await http(emulator, "/v1/users/123")).status).toBe(401);
    // api_spadmin may not touch subscriber groups: the scope refusal comes first.
    expect((await http(emulator, "/v1/subscriber_groups/x-y", { token: tokens.spAdmin })).status).toBe(403);
    expect((await http(emulator, "/v1/subscriber_groups/x-y", { token: tokens.appOwner })).status).toBe(400);
  });

  it("checks the token before parsing the body (401 beats 400)", async () => {
    const result = await http(emulator, "/v1/users", {
      method: "POST",
      rawBody: "{broken",
      headers: { "content-type": "application/json" },
    });
    expect(result.status).toBe(401);
  });

  it("answers unknown routes and methods with 404 and the error body", async () => {
    for (const [method, path] of [
      ["GET", "/v1/unknown"],
      ["PUT", "/v1/users"],
      ["GET", "/"],
      ["HEAD", "/v1/users"],
    ] as const) {
      const result = await http(emulator, path, { method, token: tokens.spAdmin });
      expect(result.status).toBe(404);
      if (method !== "HEAD") expect(result.body).toEqual(ERROR_BODY);
    }
  });

  it("answers undecodable URLs and over-long ids with the error body", async () => {
    const badUrl = await http(emulator, "/v1/users/%E0%A4%A", { token: tokens.spAdmin });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body).toEqual(ERROR_BODY);
    const longId = await http(emulator, `/v1/users/${"a".repeat(5000)}`, { token: tokens.spAdmin });
    expect(longId.status).toBeGreaterThanOrEqual(400);
    expect(longId.status).toBeLessThan(500);
    expect(longId.body).toEqual(ERROR_BODY);
  });

  it("answers repeated query values with 400", async () => {
    const result = await http(emulator, "/v1/users", { token: tokens.spAdmin, query: { page: ["0", "1"] } });
    expect(result.status).toBe(400);
  });

  it("keeps serving after all of the above", async () => {
    const result = await http(emulator, "/v1/users", { token: tokens.spAdmin });
    expect(result.status).toBe(200);
  });
});
