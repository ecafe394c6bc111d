/**
 * Subscriber groups (docs/dpod-api-notes.md). Names are unique per tenant (case-insensitive); a group that
 * still has app owners or credentials cannot be deleted.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "../auth";
import { rfc3339 } from "../clock";
import type { EmulatorContext } from "../context";
import { ApiError } from "../errors";
import { TEXT_LIMITS } from "../field-rules";
import { callerOf, type OperationCall, type OperationHandlers } from "../operation-handler";
import { pageFromQuery, pagingRulesOf } from "../paging";
import { RULE_STATUS } from "../status-codes";
import type { SubscriberGroupRecord, TenantRecord } from "../store";
import { isWithinCallerGroups, resolveTargetTenant } from "../tenancy";
import { boundedText, parseBody, parsePatchBody, singleQueryValue } from "../validation";
import { subscriberGroupView } from "../views";

const CreateGroupBody = z.strictObject({
  name: boundedText(TEXT_LIMITS.groupName),
  description: boundedText(TEXT_LIMITS.groupDescription).optional(),
});

const UpdateGroupBody = z.strictObject({
  name: boundedText(TEXT_LIMITS.groupName).optional(),
  description: boundedText(TEXT_LIMITS.groupDescription).optional(),
});

const SORTABLE_FIELDS = ["name", "createdAt", "id"] as const;

export function subscriberGroupHandlers(
  context: EmulatorContext,
): OperationHandlers<
  | "createSubscriberGroups"
  | "listSubscriberGroups"
  | "getSubscriberGroup"
  | "updateSubscriberGroup"
  | "deleteSubscriberGroup"
> {
  const { store, clock } = context;

  function targetTenant(call: OperationCall): { principal: Principal; tenant: TenantRecord } {
    const principal = callerOf(call);
    return {
      principal,
      tenant: resolveTargetTenant(context, principal, singleQueryValue(call.query, "tenantId")),
    };
  }

  /** The group `call.id` names if the caller can see it; 404 otherwise (also for other tenants' groups). */
  function visibleGroup(call: OperationCall): SubscriberGroupRecord {
    const { principal, tenant } = targetTenant(call);
    const group = store.subscriberGroups.get(call.id);
    if (!group || group.tenantId !== tenant.id || !isWithinCallerGroups(principal, [group.id])) {
      throw new ApiError(404, `Subscriber group ${call.id} not found`);
    }
    return group;
  }

  function checkNameFree(tenantId: string, name: string, exceptGroupId?: string): void {
    const clash = store
      .subscriberGroupsOf(tenantId)
      .find((group) => group.id !== exceptGroupId && group.name.toLowerCase() === name.toLowerCase());
    if (clash) {
      throw new ApiError(
        RULE_STATUS.duplicateGroupName,
        `A subscriber group named '${name}' already exists in this tenant`,
        {},
        "duplicateGroupName",
      );
    }
  }

  return {
    createSubscriberGroups(call) {
      const { tenant } = targetTenant(call);
      const body = parseBody(CreateGroupBody, call.body);
      if (tenant.kind === "service-provider") {
        throw new ApiError(400, "Service-provider tenants have no subscriber groups");
      }
      checkNameFree(tenant.id, body.name);
      const group: SubscriberGroupRecord = {
        id: randomUUID(),
        tenantId: tenant.id,
        name: body.name,
        description: body.description ?? "",
        createdAt: rfc3339(clock.now()),
      };
      store.subscriberGroups.set(group.id, group);
      return subscriberGroupView(group);
    },

    listSubscriberGroups(call) {
      const { principal, tenant } = targetTenant(call);
      const visible = store
        .subscriberGroupsOf(tenant.id)
        .filter((group) => isWithinCallerGroups(principal, [group.id]))
        .map(subscriberGroupView);
      return pageFromQuery(
        call.query,
        visible,
        SORTABLE_FIELDS,
        pagingRulesOf(context.dialects, context.maxPageSize),
      );
    },

    getSubscriberGroup(call) {
      return subscriberGroupView(visibleGroup(call));
    },

    updateSubscriberGroup(call) {
      const group = visibleGroup(call);
      const changes = parsePatchBody(
        "subscriberGroup",
        UpdateGroupBody,
        call.body,
        subscriberGroupView(group),
      );
      if (changes.name !== undefined) {
        checkNameFree(group.tenantId, changes.name, group.id);
        group.name = changes.name;
      }
      if (changes.description !== undefined) group.description = changes.description;
      return subscriberGroupView(group);
    },

    deleteSubscriberGroup(call) {
      const group = visibleGroup(call);
      const owners = store
        .usersOf(group.tenantId)
        .filter((user) => user.subscriberGroups.includes(group.id)).length;
      const credentials = store
        .credentialsOf(group.tenantId)
        .filter((credential) => credential.subscriberGroups.includes(group.id)).length;
      if (owners + credentials > 0) {
        throw new ApiError(
          RULE_STATUS.nonEmptyGroupDelete,
          `Subscriber group ${group.id} still has ${owners} member user(s) and ${credentials} credential(s); remove them first`,
        );
      }
      store.subscriberGroups.delete(group.id);
      return undefined;
    },
  };
}
