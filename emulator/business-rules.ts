/**
 * Business rules shared by the API routes and the /_emulator fixture routes, so a fixture can never be built
 * in a state the API itself would refuse.
 */
import type { EmulatorContext } from "./context";
import { ApiError } from "./errors";
import {
  ACCOUNT_ROLE_ALIASES,
  CREDENTIAL_ROLE_ALIASES,
  ROLES_REQUIRING_SERVICE_IDS,
  ROLES_REQUIRING_SUBSCRIBER_GROUP,
  SERVICE_PROVIDER_TIER_ROLES,
  ROLES_BY_TENANT_KIND,
  USERNAME_PATTERN,
  canonicalAccountRole,
  canonicalCredentialRole,
} from "./field-rules";
import type { RoleScope } from "./scope-matrix";
import { RULE_STATUS } from "./status-codes";
import type { TenantRecord } from "./store";

/** The full scope of a credential role; 400 listing the accepted values otherwise. */
export function requireCredentialRole(role: string, field = "role"): RoleScope {
  const canonical = canonicalCredentialRole(role);
  if (!canonical) {
    throw new ApiError(
      400,
      `Field '${field}': unknown role '${role}', expected one of ${Object.keys(CREDENTIAL_ROLE_ALIASES).join(", ")}`,
    );
  }
  return canonical;
}

/** The full scope of an account role; 400 listing the accepted values otherwise. */
export function requireAccountRole(role: string): RoleScope {
  const canonical = canonicalAccountRole(role);
  if (!canonical) {
    throw new ApiError(
      400,
      `Field 'accountRole': unknown role '${role}', expected one of ${Object.keys(ACCOUNT_ROLE_ALIASES).join(", ")}`,
    );
  }
  return canonical;
}

/** Refuses a role the target tenant cannot hold: 403 when it is above the caller's tier, 400 otherwise. */
export function checkRoleFitsTenant(
  role: RoleScope,
  allowed: readonly RoleScope[],
  tenant: TenantRecord,
): void {
  if (allowed.includes(role)) return;
  if (SERVICE_PROVIDER_TIER_ROLES.includes(role)) {
    throw new ApiError(RULE_STATUS.roleAboveTier, `Role ${role} is above the caller's tier`);
  }
  throw new ApiError(
    RULE_STATUS.roleNotInTenant,
    `Role ${role} is not available in a ${tenant.kind} tenant: expected one of ${allowed.join(", ")}`,
  );
}

/** Every id must name a subscriber group of `tenant` (400 otherwise). */
export function checkSubscriberGroupsExist(
  context: EmulatorContext,
  tenant: TenantRecord,
  groupIds: string[],
): void {
  for (const groupId of groupIds) {
    const group = context.store.subscriberGroups.get(groupId);
    if (!group || group.tenantId !== tenant.id) {
      throw new ApiError(
        RULE_STATUS.unknownSubscriberGroup,
        `Subscriber group ${groupId} does not exist in this tenant`,
      );
    }
  }
}

/** App owners must belong to at least one subscriber group (CONFIRMED-DOC S6). */
export function checkAccountRoleGroups(role: RoleScope, groupIds: readonly string[]): void {
  if (ROLES_REQUIRING_SUBSCRIBER_GROUP.includes(role) && groupIds.length === 0) {
    throw new ApiError(
      400,
      `Field 'subscriberGroups' must name at least one subscriber group for role ${role}`,
    );
  }
}

/** Service credentials must name at least one service. */
export function checkCredentialServices(role: RoleScope, serviceIds: readonly string[]): void {
  if (ROLES_REQUIRING_SERVICE_IDS.includes(role) && serviceIds.length === 0) {
    throw new ApiError(400, `Field 'serviceIds' must name at least one service for role ${role}`);
  }
}

/** Usernames are email addresses and unique across the emulator (a login names one account). */
export function checkUsernameAvailable(context: EmulatorContext, username: string): void {
  if (!USERNAME_PATTERN.test(username)) throw new ApiError(400, "Field 'username' must be an email address");
  if (context.store.findUserByUsername(username)) {
    throw new ApiError(
      RULE_STATUS.duplicateUsername,
      `A user with username ${username} already exists`,
      {},
      "duplicateUsername",
    );
  }
}

/**
 * Every rule a new user must meet, for the API's createUser and the fixture route alike: a known account
 * role that the tenant can hold, the subscriber groups app owners need (existing in that tenant), and a
 * free email username. Returns the role's full scope.
 */
export function checkNewUser(
  context: EmulatorContext,
  tenant: TenantRecord,
  user: { accountRole: string; subscriberGroups: string[]; username: string },
): RoleScope {
  const role = requireAccountRole(user.accountRole);
  checkRoleFitsTenant(role, ROLES_BY_TENANT_KIND[tenant.kind].account, tenant);
  checkAccountRoleGroups(role, user.subscriberGroups);
  checkSubscriberGroupsExist(context, tenant, user.subscriberGroups);
  checkUsernameAvailable(context, user.username);
  return role;
}
