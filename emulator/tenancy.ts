/**
 * Tenant confinement (docs/dpod-api-notes.md#tenancy): a caller acts in its own tenant; a service-provider caller may name
 * one of its child tenants through `tenantId`. Objects of any other tenant are invisible (404), and naming a
 * tenant that is not the caller's own or a child is refused (403).
 */
import type { Principal } from "./auth";
import type { EmulatorContext } from "./context";
import { ApiError } from "./errors";
import { SERVICE_PROVIDER_TIER_ROLES } from "./field-rules";
import { RULE_STATUS } from "./status-codes";
import type { TenantRecord } from "./store";
import { parseUuid } from "./validation";

export function isServiceProviderCaller(principal: Principal): boolean {
  return principal.scopes.some((scope) => (SERVICE_PROVIDER_TIER_ROLES as readonly string[]).includes(scope));
}

/**
 * The tenant a request acts in.
 * @param requestedTenantId the `tenantId` query or body value, if any
 * @throws ApiError 400 for a non-UUID, 403 for a tenant the caller may not reach
 */
export function resolveTargetTenant(
  context: EmulatorContext,
  principal: Principal,
  requestedTenantId: unknown,
): TenantRecord {
  const ownTenant = context.store.tenants.get(principal.tenantId);
  if (!ownTenant) throw new ApiError(401, "Access token names no existing tenant");
  if (requestedTenantId === undefined || requestedTenantId === null) return ownTenant;
  const tenantId = parseUuid(requestedTenantId, "tenantId");
  if (tenantId === ownTenant.id) return ownTenant;
  const target = context.store.tenants.get(tenantId);
  if (target && target.parentId === ownTenant.id && isServiceProviderCaller(principal)) return target;
  throw new ApiError(
    RULE_STATUS.foreignTenantId,
    `tenantId ${tenantId} is neither the caller's tenant nor one of its child tenants`,
  );
}

/** Whether a caller bound to subscriber groups may see an object belonging to `groupIds`. */
export function isWithinCallerGroups(principal: Principal, groupIds: readonly string[]): boolean {
  if (principal.subscriberGroupIds.length === 0) return true;
  return groupIds.some((groupId) => principal.subscriberGroupIds.includes(groupId));
}
