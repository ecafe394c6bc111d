/**
 * The self-service account flows of the Users and Credentials API, as typed functions for scripts (they
 * are not resources: each acts once). The connection is resolved like everywhere else: the `connection`
 * argument, then stack config `dpod:*`, then environment `DPOD_*`.
 *
 * changePassword acts on the user whose bearer token is configured (`accessToken`); forgotPassword and
 * resetPasswordWithCode are public in DPoD; verifyUser needs the user's own (unverified) token.
 */
import type { Connection } from "./connection";
import { withDpodClient } from "./functions";
import { userResult, type UserResult } from "../../provider/functions/results";

/**
 * forgotPassword and resetPasswordWithCode are public: the client sends them without any token, so they
 * must work where no credential is configured. The client still wants a credential to be built, so one
 * that is never sent stands in when none is configured.
 */
const UNUSED_TOKEN = "public-operation-no-token-is-sent";

function forPublicCall(connection: Connection | undefined): Connection {
  return { ...connection, accessToken: connection?.accessToken ?? UNUSED_TOKEN };
}

/** Changes the signed-in user's password (PATCH /v1/users/changePassword). Needs the old password. */
export async function changePassword(args: {
  oldPassword: string;
  newPassword: string;
  connection?: Connection;
}): Promise<void> {
  await withDpodClient(args.connection, (client) =>
    client.account.changePassword({ oldPassword: args.oldPassword, newPassword: args.newPassword }),
  );
}

/** Asks DPoD to email a password-reset code to the user (POST /v1/users/forgotPassword). */
export async function forgotPassword(args: { username: string; connection?: Connection }): Promise<void> {
  await withDpodClient(forPublicCall(args.connection), (client) =>
    client.account.forgotPassword({ username: args.username }),
  );
}

/** Sets a new password with the code from the reset email (POST /v1/users/{id}/password). */
export async function resetPasswordWithCode(args: {
  userId: string;
  code: string;
  newPassword: string;
  connection?: Connection;
}): Promise<void> {
  await withDpodClient(forPublicCall(args.connection), (client) =>
    client.account.resetPasswordWithCode(args.userId, { code: args.code, newPassword: args.newPassword }),
  );
}

/** Verifies the user's email address with the one-time code from the email (GET /v1/users/{id}/verify). */
export async function verifyUser(args: {
  userId: string;
  code: string;
  connection?: Connection;
}): Promise<UserResult> {
  return withDpodClient(args.connection, async (client) =>
    userResult(await client.account.verify(args.userId, args.code)),
  );
}

/**
 * Sends the verification email again (POST /v1/users/{id}/sendVerification), as the user themselves (their
 * unverified `accessToken`) or as an administrator's user token. For users managed as resources, the
 * `sendVerificationTrigger` input does the same from `pulumi up`.
 */
export async function sendVerification(args: { userId: string; connection?: Connection }): Promise<void> {
  await withDpodClient(args.connection, (client) => client.account.sendVerification(args.userId));
}
