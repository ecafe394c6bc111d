import { startEmulator, type RunningEmulator } from "dpod-emulator";
import {
  NON_EXISTENT_ID,
  admin,
  http,
  seedTokens,
  uniqueUsername,
  userToken,
  type Json,
  type SeedTokens,
} from "./harness";

describe("emulator account flows", () => {
  let emulator: RunningEmulator;
  let tokens: SeedTokens;
  beforeAll(async () => {
    emulator = await startEmulator();
    tokens = await seedTokens(emulator);
  });
  afterAll(() => emulator.close());

  /** A user of the SP tenant made through the admin route. */
  async function fixtureUser(options: { verified?: boolean; password?: string } = {}): Promise<Json> {
    const result = await admin(emulator, "/users", {
      method: "POST",
      body: {
        tenantId: tokens.sp.id,
        username: uniqueUsername("account"),
        accountRole: "dpod.tenant.spadmin",
        ...options,
      },
    });
    expect(result.status).toBe(201);
    return result.body;
  }

  async function lastMail(to: string, kind: string): Promise<Json | undefined> {
    const outbox = await admin(emulator, "/outbox");
    return (outbox.body["messages"] as Json[])
      .filter((message) => message["to"] === to && message["kind"] === kind)
      .pop();
  }

  describe("GET /v1/users/profile", () => {
    it("returns the user of a user token (200), also an unverified one", async () => {
      const user = await fixtureUser();
      const profile = await http(emulator, "/v1/users/profile", {
        token: await userToken(emulator, user["id"]),
      });
      expect(profile.status).toBe(200);
      expect(profile.body).toEqual(user);

      const unverified = await fixtureUser({ verified: false });
      const unverifiedProfile = await http(emulator, "/v1/users/profile", {
        token: await userToken(emulator, unverified["id"]),
      });
      expect(unverifiedProfile.status).toBe(200);
    });

    it("is matched before /v1/users/{id} and refuses client-credentials tokens (403)", async () => {
      const result = await http(emulator, "/v1/users/profile", { token: tokens.spAdmin });
      expect(result.status).toBe(403);
      expect(result.body["message"]).toContain("dpod.tenant.spadmin.unverified");
    });
  });

  describe("PATCH /v1/users/changePassword", () => {
    it("changes the password with the old one (200) and mails a notice", async () => {
      const user = await fixtureUser({ password: "Original-pass-1" });
      const token = await userToken(emulator, user["id"]);
      const changed = await http(emulator, "/v1/users/changePassword", {
        method: "PATCH",
        token,
        body: { oldPassword: "Original-pass-1", newPassword: "Changed-pass-2" },
      });
      expect(changed.status).toBe(200);
      expect(changed.body["id"]).toBe(user["id"]);
      expect(await lastMail(user["username"], "password-changed")).toBeDefined();

      const again = await http(emulator, "/v1/users/changePassword", {
        method: "PATCH",
        token,
        body: { oldPassword: "Original-pass-1", newPassword: "Another-pass-3" },
      });
      expect(again.status).toBe(400);
      expect(again.body["message"]).toMatch(/oldPassword/);
    });

    it("refuses a short new password, a missing field, and client-credentials tokens", async () => {
      const user = await fixtureUser({ password: "Original-pass-1" });
      const token = await userToken(emulator, user["id"]);
      const short = await http(emulator, "/v1/users/changePassword", {
        method: "PATCH",
        token,
        body: { oldPassword: "Original-pass-1", newPassword: "short" },
      });
      expect(short.status).toBe(400);
      const missing = await http(emulator, "/v1/users/changePassword", {
        method: "PATCH",
        token,
        body: { newPassword: "x" },
      });
      expect(missing.status).toBe(400);
      const client = await http(emulator, "/v1/users/changePassword", {
        method: "PATCH",
        token: tokens.spAdmin,
        body: { oldPassword: "a", newPassword: "Changed-pass-2" },
      });
      expect(client.status).toBe(403);
    });
  });

  describe("forgotPassword and POST /v1/users/{id}/password", () => {
    it("mails a code (204, public), which sets a new password once (204)", async () => {
      const user = await fixtureUser({ password: "Original-pass-1" });
      const forgot = await http(emulator, "/v1/users/forgotPassword", {
        method: "POST",
        body: { username: user["username"] },
      });
      expect(forgot.status).toBe(204);
      const mail = await lastMail(user["username"], "forgot-password");
      expect(mail?.["code"]).toMatch(/^\d{6}$/);

      const wrong = await http(emulator, `/v1/users/${user["id"]}/password`, {
        method: "POST",
        body: { code: "not-the-code", newPassword: "Recovered-pass-2" },
      });
      expect(wrong.status).toBe(400);

      const reset = await http(emulator, `/v1/users/${user["id"]}/password`, {
        method: "POST",
        body: { code: mail?.["code"], password: "Recovered-pass-2" },
      });
      expect(reset.status).toBe(204);

      const reused = await http(emulator, `/v1/users/${user["id"]}/password`, {
        method: "POST",
        body: { code: mail?.["code"], newPassword: "Recovered-pass-3" },
      });
      expect(reused.status).toBe(400);

      // The new password works for changePassword.
      const changed = await http(emulator, "/v1/users/changePassword", {
        method: "PATCH",
        token: await userToken(emulator, user["id"]),
        body: { oldPassword: "Recovered-pass-2", newPassword: "Recovered-pass-4" },
      });
      expect(changed.status).toBe(200);
    });

    it("answers 204 for unknown accounts too, accepts `email`, and 400 without a username", async () => {
      const unknown = await http(emulator, "/v1/users/forgotPassword", {
        method: "POST",
        body: { email: "nobody@example.com" },
      });
      expect(unknown.status).toBe(204);
      const missing = await http(emulator, "/v1/users/forgotPassword", { method: "POST", body: {} });
      expect(missing.status).toBe(400);
    });

    it("refuses an expired code (400) and an unknown user (404)", async () => {
      const user = await fixtureUser();
      await http(emulator, "/v1/users/forgotPassword", {
        method: "POST",
        body: { username: user["username"] },
      });
      const mail = await lastMail(user["username"], "forgot-password");
      await admin(emulator, "/clock", { method: "POST", body: { advanceSeconds: 25 * 3600 } });
      const expired = await http(emulator, `/v1/users/${user["id"]}/password`, {
        method: "POST",
        body: { code: mail?.["code"], newPassword: "Recovered-pass-2" },
      });
      expect(expired.status).toBe(400);
      expect(expired.body["message"]).toMatch(/expired/);
      tokens = await seedTokens(emulator); // the clock jump expired the seed tokens

      const unknown = await http(emulator, `/v1/users/${NON_EXISTENT_ID}/password`, {
        method: "POST",
        body: { code: "123456", newPassword: "Recovered-pass-2" },
      });
      expect(unknown.status).toBe(404);
    });
  });

  describe("admin resets", () => {
    it("resetPassword returns a temporary password (200) that is not mailed", async () => {
      const user = await fixtureUser();
      const reset = await http(emulator, `/v1/users/${user["id"]}/resetPassword`, {
        method: "PATCH",
        token: tokens.spAdmin,
      });
      expect(reset.status).toBe(200);
      expect(reset.body["id"]).toBe(user["id"]);
      const temporaryPassword = reset.body["temporaryPassword"] as string;
      expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);
      const mail = await lastMail(user["username"], "password-reset");
      expect(mail).toBeDefined();
      expect(JSON.stringify(mail)).not.toContain(temporaryPassword);

      const changed = await http(emulator, "/v1/users/changePassword", {
        method: "PATCH",
        token: await userToken(emulator, user["id"]),
        body: { oldPassword: temporaryPassword, newPassword: "Chosen-pass-1" },
      });
      expect(changed.status).toBe(200);
    });

    it("resetMfaToken answers 200 with the user and mails a notice; 404 across tenants; 403 for app owners", async () => {
      const user = await fixtureUser();
      const reset = await http(emulator, `/v1/users/${user["id"]}/resetMfaToken`, {
        method: "POST",
        token: tokens.spAdmin,
      });
      expect(reset.status).toBe(200);
      expect(reset.body["id"]).toBe(user["id"]);
      expect(await lastMail(user["username"], "mfa-reset")).toBeDefined();

      const childAdmin = tokens.child.primaryAdmin.id;
      expect(
        (
          await http(emulator, `/v1/users/${childAdmin}/resetMfaToken`, {
            method: "POST",
            token: tokens.spAdmin,
          })
        ).status,
      ).toBe(404);
      const viaTenant = await http(emulator, `/v1/users/${childAdmin}/resetMfaToken`, {
        method: "POST",
        token: tokens.spAdmin,
        query: { tenantId: tokens.child.id },
      });
      expect(viaTenant.status).toBe(200);
      const refused = await http(emulator, `/v1/users/${childAdmin}/resetMfaToken`, {
        method: "POST",
        token: tokens.appOwner,
      });
      expect(refused.status).toBe(403);
    });
  });

  describe("sendVerification and verify", () => {
    it("lets an unverified user resend (204) and verify with the mailed code (200); the next token is verified", async () => {
      const user = await fixtureUser({ verified: false });
      const unverifiedToken = await userToken(emulator, user["id"]);
      expect(unverifiedToken.split(".").length).toBe(3);
      const sent = await http(emulator, `/v1/users/${user["id"]}/sendVerification`, {
        method: "POST",
        token: unverifiedToken,
      });
      expect(sent.status).toBe(204);
      const mail = await lastMail(user["username"], "verification");
      expect(mail?.["code"]).toMatch(/^\d{6}$/);

      const wrong = await http(emulator, `/v1/users/${user["id"]}/verify`, {
        token: unverifiedToken,
        query: { code: "000000x" },
      });
      expect(wrong.status).toBe(400);
      const noCode = await http(emulator, `/v1/users/${user["id"]}/verify`, { token: unverifiedToken });
      expect(noCode.status).toBe(400);

      const verified = await http(emulator, `/v1/users/${user["id"]}/verify`, {
        token: unverifiedToken,
        query: { code: mail?.["code"] },
      });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ id: user["id"], verified: true });

      const tokenAfter = await admin(emulator, "/user-tokens", {
        method: "POST",
        body: { userId: user["id"] },
      });
      expect(tokenAfter.body["scope"]).toContain("dpod.tenant.spadmin");
      expect(tokenAfter.body["scope"]).not.toContain(".unverified");

      const spAdminUser = await userToken(emulator, tokens.sp.primaryAdmin.id);
      const again = await http(emulator, `/v1/users/${user["id"]}/sendVerification`, {
        method: "POST",
        token: spAdminUser,
      });
      expect(again.status).toBe(409);
    });

    it("user tokens of unverified users carry the .unverified role", async () => {
      const user = await fixtureUser({ verified: false });
      const result = await admin(emulator, "/user-tokens", { method: "POST", body: { userId: user["id"] } });
      expect(result.body["scope"]).toContain("dpod.tenant.spadmin.unverified");
    });

    it("limits unverified tokens to their own account (403); admin users may send (204), api_spadmin may not (403)", async () => {
      const one = await fixtureUser({ verified: false });
      const other = await fixtureUser({ verified: false });
      const token = await userToken(emulator, one["id"]);
      const foreign = await http(emulator, `/v1/users/${other["id"]}/sendVerification`, {
        method: "POST",
        token,
      });
      expect(foreign.status).toBe(403);
      const foreignVerify = await http(emulator, `/v1/users/${other["id"]}/verify`, {
        token,
        query: { code: "1" },
      });
      expect(foreignVerify.status).toBe(403);

      const spAdminUser = await userToken(emulator, tokens.sp.primaryAdmin.id);
      const byAdmin = await http(emulator, `/v1/users/${other["id"]}/sendVerification`, {
        method: "POST",
        token: spAdminUser,
      });
      expect(byAdmin.status).toBe(204);
      const byClient = await http(emulator, `/v1/users/${other["id"]}/sendVerification`, {
        method: "POST",
        token: tokens.spAdmin,
      });
      expect(byClient.status).toBe(403);
      const verifyByClient = await http(emulator, `/v1/users/${other["id"]}/verify`, {
        token: tokens.spAdmin,
        query: { code: "1" },
      });
      expect(verifyByClient.status).toBe(403);
    });
  });
});
