/**
 * Account flows (docs/dpod-api-notes.md#account-flows): profile, changePassword, forgotPassword, resetMfaToken,
 * resetPassword (temporary password), password with a mailed code, sendVerification and verify.
 *
 * Mails the real service would send go to the outbox with their one-time codes. An admin-set temporary
 * password is returned to the admin only; the user's mail just says the password was reset.
 */
import { z } from "zod";
import type { Principal } from "../auth";
import { rfc3339 } from "../clock";
import type { EmulatorContext } from "../context";
import { ApiError } from "../errors";
import { ONE_TIME_CODE_TTL_SECONDS, TEXT_LIMITS } from "../field-rules";
import { callerOf, expectNoBody, type OperationCall, type OperationHandlers } from "../operation-handler";
import {
  digestSecret,
  generateOneTimeCode,
  generateTemporaryPassword,
  matchesDigest,
  safeEqual,
} from "../secrets";
import { RULE_STATUS } from "../status-codes";
import type { OneTimeCodePurpose, UserRecord } from "../store";
import { boundedText, parseBody, singleQueryValue } from "../validation";
import { userView } from "../views";
import { findManagedUser, sendVerificationCode } from "./users";

const ChangePasswordBody = z.strictObject({
  oldPassword: z.string().min(1, "must not be empty"),
  newPassword: boundedText(TEXT_LIMITS.password),
});

/** `email` is accepted as an alias of `username` (docs/dpod-api-notes.md#account-flows). */
const ForgotPasswordBody = z
  .strictObject({
    username: boundedText(TEXT_LIMITS.username).optional(),
    email: boundedText(TEXT_LIMITS.username).optional(),
  })
  .refine((body) => body.username !== undefined || body.email !== undefined, "Field 'username' is required");

/** `password` is accepted as an alias of `newPassword` (docs/dpod-api-notes.md#account-flows). */
const PasswordWithCodeBody = z
  .strictObject({
    code: boundedText(TEXT_LIMITS.oneTimeCode),
    newPassword: boundedText(TEXT_LIMITS.password).optional(),
    password: boundedText(TEXT_LIMITS.password).optional(),
  })
  .refine(
    (body) => body.newPassword !== undefined || body.password !== undefined,
    "Field 'newPassword' is required",
  );

export function accountHandlers(
  context: EmulatorContext,
): OperationHandlers<
  | "getUserProfile"
  | "changeUserPassword"
  | "forgotUserPassword"
  | "resetMfaToken"
  | "resetUserPassword"
  | "resetUserPasswordWithCode"
  | "sendUserVerification"
  | "verifyUser"
> {
  const { store, clock, outbox } = context;

  /** The user behind a user token; client-credentials tokens have none (403). */
  function currentUser(principal: Principal): UserRecord {
    if (principal.userId === undefined) {
      throw new ApiError(
        RULE_STATUS.noUserInToken,
        "This operation needs a user token; client credentials have no user",
      );
    }
    const user = store.users.get(principal.userId);
    if (!user) throw new ApiError(404, `User ${principal.userId} not found`);
    return user;
  }

  /**
   * The target of an operation an admin runs on someone, or an unverified user on themselves: server.ts has
   * already refused self-only callers naming another id, so a self call resolves to the caller.
   */
  function managedOrSelf(call: OperationCall): UserRecord {
    const principal = callerOf(call);
    if (principal.userId === call.id) return currentUser(principal);
    return findManagedUser(context, call);
  }

  /** Consumes a valid one-time code; 400 for a wrong, used or expired one. */
  function consumeCode(user: UserRecord, purpose: OneTimeCodePurpose, code: string): void {
    const pending = store.getOneTimeCode(user.id, purpose);
    if (!pending || !safeEqual(pending.code, code)) {
      throw new ApiError(RULE_STATUS.badCode, "The code is wrong or has already been used");
    }
    if (pending.expiresAt <= clock.now()) {
      store.removeOneTimeCode(user.id, purpose);
      throw new ApiError(RULE_STATUS.badCode, "The code has expired; request a new one");
    }
    store.removeOneTimeCode(user.id, purpose);
  }

  const nowText = () => rfc3339(clock.now());

  return {
    getUserProfile(call) {
      return userView(currentUser(callerOf(call)));
    },

    changeUserPassword(call) {
      const user = currentUser(callerOf(call));
      const body = parseBody(ChangePasswordBody, call.body);
      if (!user.password || !matchesDigest(body.oldPassword, user.password)) {
        throw new ApiError(
          RULE_STATUS.wrongOldPassword,
          "Field 'oldPassword' does not match the current password",
        );
      }
      if (body.newPassword === body.oldPassword) {
        throw new ApiError(
          RULE_STATUS.wrongOldPassword,
          "Field 'newPassword' must differ from the old password",
        );
      }
      user.password = digestSecret(body.newPassword);
      outbox.send(user.username, "password-changed", nowText());
      return userView(user);
    },

    forgotUserPassword(call) {
      const body = parseBody(ForgotPasswordBody, call.body);
      const username = body.username ?? body.email ?? "";
      const user = store.findUserByUsername(username);
      // Same answer whether or not the account exists, so the endpoint reveals nothing.
      if (user) {
        const code = generateOneTimeCode();
        store.putOneTimeCode({
          userId: user.id,
          purpose: "password-reset",
          code,
          expiresAt: clock.now() + ONE_TIME_CODE_TTL_SECONDS * 1000,
        });
        outbox.send(user.username, "forgot-password", nowText(), code);
      }
      return undefined;
    },

    resetMfaToken(call) {
      expectNoBody(call.body);
      const user = findManagedUser(context, call);
      user.mfaResetAt = nowText();
      outbox.send(user.username, "mfa-reset", user.mfaResetAt);
      return userView(user);
    },

    resetUserPassword(call) {
      expectNoBody(call.body);
      const user = findManagedUser(context, call);
      const temporaryPassword = generateTemporaryPassword();
      user.password = digestSecret(temporaryPassword);
      outbox.send(user.username, "password-reset", nowText());
      return { ...userView(user), temporaryPassword };
    },

    resetUserPasswordWithCode(call) {
      const body = parseBody(PasswordWithCodeBody, call.body);
      const user = store.users.get(call.id);
      if (!user) throw new ApiError(404, `User ${call.id} not found`);
      consumeCode(user, "password-reset", body.code);
      user.password = digestSecret(body.newPassword ?? body.password ?? "");
      outbox.send(user.username, "password-changed", nowText());
      return undefined;
    },

    sendUserVerification(call) {
      expectNoBody(call.body);
      const user = managedOrSelf(call);
      if (user.verified)
        throw new ApiError(RULE_STATUS.alreadyVerified, `User ${user.id} is already verified`);
      sendVerificationCode(context, user);
      return undefined;
    },

    verifyUser(call) {
      const user = managedOrSelf(call);
      const code = singleQueryValue(call.query, "code");
      if (code === undefined || code === "") throw new ApiError(400, "Query parameter 'code' is required");
      // Verifying twice is harmless: a verified user is returned as is.
      if (!user.verified) {
        consumeCode(user, "verification", code);
        user.verified = true;
      }
      return userView(user);
    },
  };
}
