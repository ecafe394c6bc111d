/**
 * Users (docs/dpod-api-notes.md): create, list, get, edit details, delete. Usernames are email addresses,
 * unique across the emulator; the primary administrator cannot be deleted; app owners need a subscriber group.
 * A user made through the API starts unverified and is sent a verification code (see the outbox).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { checkNewUser } from "../business-rules";
import { rfc3339 } from "../clock";
import type { EmulatorContext } from "../context";
import { ApiError } from "../errors";
import { ONE_TIME_CODE_TTL_SECONDS, TEXT_LIMITS } from "../field-rules";
import { callerOf, type OperationCall, type OperationHandlers } from "../operation-handler";
import { pageFromQuery, pagingRulesOf } from "../paging";
import { digestSecret, generateOneTimeCode } from "../secrets";
import { RULE_STATUS } from "../status-codes";
import type { UserRecord } from "../store";
import { resolveTargetTenant } from "../tenancy";
import { boundedText, parseBody, parsePatchBody, singleQueryValue, uuidList, uuidText } from "../validation";
import { userView } from "../views";

/** emailHints: free-form values for the invitation mail; stored and echoed (docs/dpod-api-notes.md#resource-models). */
const EmailHints = z.record(z.string(), z.unknown());

const CreateUserBody = z.strictObject({
  username: boundedText(TEXT_LIMITS.username),
  givenName: boundedText(TEXT_LIMITS.givenName),
  familyName: boundedText(TEXT_LIMITS.familyName),
  accountRole: z.string(),
  emailHints: EmailHints.optional(),
  phoneNumber: boundedText(TEXT_LIMITS.phoneNumber).optional(),
  password: boundedText(TEXT_LIMITS.password).optional(),
  subscriberGroups: uuidList.optional(),
  tenantId: uuidText.optional(),
});

const EditUserBody = z.strictObject({
  givenName: boundedText(TEXT_LIMITS.givenName).optional(),
  familyName: boundedText(TEXT_LIMITS.familyName).optional(),
  phoneNumber: boundedText(TEXT_LIMITS.phoneNumber).optional(),
  emailHints: EmailHints.optional(),
});

const SORTABLE_FIELDS = ["username", "givenName", "familyName", "accountRole", "createdAt", "id"] as const;

/**
 * The user `call.id` names in the request's target tenant (own, or a child through ?tenantId); 404 when the
 * user does not exist there. Shared with the account routes.
 */
export function findManagedUser(context: EmulatorContext, call: OperationCall): UserRecord {
  const principal = callerOf(call);
  const tenant = resolveTargetTenant(context, principal, singleQueryValue(call.query, "tenantId"));
  const user = context.store.users.get(call.id);
  if (!user || user.tenantId !== tenant.id) throw new ApiError(404, `User ${call.id} not found`);
  return user;
}

/** Records a fresh verification code for `user` and mails it. Does not commit. */
export function sendVerificationCode(context: EmulatorContext, user: UserRecord): void {
  const code = generateOneTimeCode();
  const now = context.clock.now();
  context.store.putOneTimeCode({
    userId: user.id,
    purpose: "verification",
    code,
    expiresAt: now + ONE_TIME_CODE_TTL_SECONDS * 1000,
  });
  context.outbox.send(user.username, "verification", rfc3339(now), code);
}

export function userHandlers(
  context: EmulatorContext,
): OperationHandlers<"createUser" | "listUsers" | "getUser" | "editUserDetails" | "deleteUser"> {
  const { store, clock } = context;

  return {
    createUser(call) {
      const principal = callerOf(call);
      const body = parseBody(CreateUserBody, call.body);
      const queryTenantId = singleQueryValue(call.query, "tenantId");
      if (body.tenantId && queryTenantId && body.tenantId !== queryTenantId.toLowerCase()) {
        throw new ApiError(400, "Field 'tenantId' and query parameter 'tenantId' disagree");
      }
      const tenant = resolveTargetTenant(context, principal, body.tenantId ?? queryTenantId);
      const subscriberGroups = body.subscriberGroups ?? [];
      checkNewUser(context, tenant, { ...body, subscriberGroups });

      const user: UserRecord = {
        id: randomUUID(),
        tenantId: tenant.id,
        username: body.username,
        givenName: body.givenName,
        familyName: body.familyName,
        accountRole: body.accountRole,
        subscriberGroups,
        verified: false,
        createdAt: rfc3339(clock.now()),
      };
      if (body.phoneNumber !== undefined) user.phoneNumber = body.phoneNumber;
      if (body.emailHints !== undefined) user.emailHints = body.emailHints;
      if (body.password !== undefined) user.password = digestSecret(body.password);
      store.putUser(user);
      sendVerificationCode(context, user);
      return userView(user);
    },

    listUsers(call) {
      const principal = callerOf(call);
      const tenant = resolveTargetTenant(context, principal, singleQueryValue(call.query, "tenantId"));
      return pageFromQuery(
        call.query,
        store.usersOf(tenant.id).map(userView),
        SORTABLE_FIELDS,
        pagingRulesOf(context.dialects, context.maxPageSize),
      );
    },

    getUser(call) {
      return userView(findManagedUser(context, call));
    },

    editUserDetails(call) {
      const user = findManagedUser(context, call);
      const changes = parsePatchBody("user", EditUserBody, call.body, userView(user));
      if (changes.givenName !== undefined) user.givenName = changes.givenName;
      if (changes.familyName !== undefined) user.familyName = changes.familyName;
      if (changes.phoneNumber !== undefined) user.phoneNumber = changes.phoneNumber;
      if (changes.emailHints !== undefined) user.emailHints = changes.emailHints;
      return userView(user);
    },

    deleteUser(call) {
      const user = findManagedUser(context, call);
      if (store.tenants.get(user.tenantId)?.primaryAdminId === user.id) {
        throw new ApiError(
          RULE_STATUS.primaryAdminDelete,
          `User ${user.id} is the tenant's primary administrator and cannot be deleted`,
        );
      }
      store.removeUser(user.id);
      return undefined;
    },
  };
}
