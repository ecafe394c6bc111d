/**
 * Self-service account flows (docs/dpod-api-notes.md#account-flows). profile, changePassword, verify and
 * sendVerification act as the signed-in user and are sent with settings.accessToken (a user token);
 * forgotPassword and resetPasswordWithCode are public and sent without any token.
 * These flows may be dormant since DPoD's 2025 move to OneWelcome (§5.9): expose, do not build on.
 */
import { apiPath, withQuery } from "../path";
import type { ApiRequester } from "../request";
import type { User } from "../types";
import { UserWire } from "./users";
import { parseBody } from "./wire";

export interface AccountEndpoints {
  /** The user the access token belongs to. */
  profile(): Promise<User>;
  /** Changes the signed-in user's password; the old one must be given. Never re-sent after a lost answer. */
  changePassword(body: { oldPassword: string; newPassword: string }): Promise<void>;
  /** Asks DPoD to email a reset code; answers the same whether or not the user exists. */
  forgotPassword(body: { username: string }): Promise<void>;
  /** Sets a new password with the code from the reset email. Never re-sent after a lost answer. */
  resetPasswordWithCode(userId: string, body: { code: string; newPassword: string }): Promise<void>;
  /** Verifies the user's email address with the one-time code and returns the now verified user. */
  verify(userId: string, code: string): Promise<User>;
  /** Asks for a new verification email for the signed-in (unverified) user. */
  sendVerification(userId: string): Promise<void>;
}

export function accountEndpoints(requester: ApiRequester): AccountEndpoints {
  return {
    async profile() {
      const call = { operation: "getUserProfile" as const, path: "/v1/users/profile" };
      return parseBody(requester, call, await requester.call(call), UserWire);
    },
    async changePassword(body) {
      await requester.call({ operation: "changeUserPassword", path: "/v1/users/changePassword", body });
    },
    async forgotPassword(body) {
      await requester.call({ operation: "forgotUserPassword", path: "/v1/users/forgotPassword", body });
    },
    async resetPasswordWithCode(userId, body) {
      await requester.call({
        operation: "resetUserPasswordWithCode",
        path: apiPath`/v1/users/${userId}/password`,
        body,
      });
    },
    async verify(userId, code) {
      requester.registerSecret(code);
      const call = {
        operation: "verifyUser" as const,
        path: withQuery(apiPath`/v1/users/${userId}/verify`, { code }),
      };
      return parseBody(requester, call, await requester.call(call), UserWire);
    },
    async sendVerification(userId) {
      await requester.call({
        operation: "sendOwnVerification",
        path: apiPath`/v1/users/${userId}/sendVerification`,
      });
    },
  };
}
