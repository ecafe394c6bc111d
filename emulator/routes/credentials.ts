/**
 * Client credentials (docs/dpod-api-notes.md): create, list, get, update (name only), delete, resetSecret.
 * Secrets are returned only by create and resetSecret; the store keeps a digest.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "../auth";
import { rfc3339 } from "../clock";
import type { EmulatorContext } from "../context";
import { ApiError } from "../errors";
import {
  checkCredentialServices,
  checkRoleFitsTenant,
  checkSubscriberGroupsExist,
  requireCredentialRole,
} from "../business-rules";
import { ROLES_BY_TENANT_KIND, TEXT_LIMITS, canonicalCredentialRole } from "../field-rules";
import { callerOf, expectNoBody, type OperationCall, type OperationHandlers } from "../operation-handler";
import { pageFromQuery, pagingRulesOf } from "../paging";
import { digestSecret, generateClientSecret } from "../secrets";
import type { CredentialRecord } from "../store";
import { isWithinCallerGroups, resolveTargetTenant } from "../tenancy";
import {
  boundedText,
  parseBody,
  parsePatchBody,
  parseUuid,
  repeatedQueryValues,
  singleQueryValue,
  uuidList,
} from "../validation";
import { credentialView } from "../views";

const CreateClientBody = z.strictObject({
  name: boundedText(TEXT_LIMITS.credentialName),
  role: z.string(),
  serviceIds: uuidList.optional(),
  subscriberGroups: uuidList.optional(),
});

const UpdateClientBody = z.strictObject({
  name: boundedText(TEXT_LIMITS.credentialName).optional(),
});

const SORTABLE_FIELDS = ["name", "role", "createdAt", "clientId"] as const;

export function credentialHandlers(
  context: EmulatorContext,
): OperationHandlers<
  "createClient" | "listClients" | "getClient" | "updateClient" | "deleteClient" | "resetClient"
> {
  const { store, clock } = context;

  /** The credential `call.id` names, if the caller can see it; 404 otherwise (also for other tenants). */
  function visibleCredential(call: OperationCall): { principal: Principal; credential: CredentialRecord } {
    const principal = callerOf(call);
    const tenant = resolveTargetTenant(context, principal, singleQueryValue(call.query, "tenantId"));
    const credential = store.credentials.get(call.id);
    if (
      !credential ||
      credential.tenantId !== tenant.id ||
      !isWithinCallerGroups(principal, credential.subscriberGroups)
    ) {
      throw new ApiError(404, `Client credential ${call.id} not found`);
    }
    return { principal, credential };
  }

  return {
    createClient(call) {
      const principal = callerOf(call);
      const tenant = resolveTargetTenant(context, principal, singleQueryValue(call.query, "tenantId"));
      const body = parseBody(CreateClientBody, call.body);
      const role = requireCredentialRole(body.role);
      checkRoleFitsTenant(role, ROLES_BY_TENANT_KIND[tenant.kind].credential, tenant);
      const serviceIds = body.serviceIds ?? [];
      checkCredentialServices(role, serviceIds);
      // A caller bound to subscriber groups creates credentials inside them (by default all of its groups).
      let subscriberGroups = body.subscriberGroups ?? [];
      if (principal.subscriberGroupIds.length > 0) {
        if (body.subscriberGroups === undefined) subscriberGroups = [...principal.subscriberGroupIds];
        const outside = subscriberGroups.find((groupId) => !principal.subscriberGroupIds.includes(groupId));
        if (outside)
          throw new ApiError(403, `Subscriber group ${outside} is outside the caller's subscriber groups`);
      }
      checkSubscriberGroupsExist(context, tenant, subscriberGroups);

      const clientSecret = generateClientSecret();
      const credential: CredentialRecord = {
        clientId: randomUUID(),
        tenantId: tenant.id,
        name: body.name,
        role: body.role,
        serviceIds,
        subscriberGroups,
        secret: digestSecret(clientSecret),
        createdAt: rfc3339(clock.now()),
        createdBy: principal.subject,
      };
      store.credentials.set(credential.clientId, credential);
      return credentialView(credential, clientSecret);
    },

    listClients(call) {
      const principal = callerOf(call);
      const tenant = resolveTargetTenant(context, principal, singleQueryValue(call.query, "tenantId"));
      const roleFilter = singleQueryValue(call.query, "role");
      const canonicalRoleFilter =
        roleFilter === undefined ? undefined : requireCredentialRole(roleFilter, "role (query)");
      const serviceFilter = repeatedQueryValues(call.query, "serviceIds").map((id) =>
        parseUuid(id, "serviceIds"),
      );

      const matching = store
        .credentialsOf(tenant.id)
        .filter((credential) => isWithinCallerGroups(principal, credential.subscriberGroups))
        .filter(
          (credential) =>
            !canonicalRoleFilter || canonicalCredentialRole(credential.role) === canonicalRoleFilter,
        )
        .filter(
          (credential) =>
            serviceFilter.length === 0 || credential.serviceIds.some((id) => serviceFilter.includes(id)),
        )
        .map((credential) => credentialView(credential));
      return pageFromQuery(
        call.query,
        matching,
        SORTABLE_FIELDS,
        pagingRulesOf(context.dialects, context.maxPageSize),
      );
    },

    getClient(call) {
      return credentialView(visibleCredential(call).credential);
    },

    updateClient(call) {
      const { credential } = visibleCredential(call);
      const changes = parsePatchBody("credential", UpdateClientBody, call.body, credentialView(credential));
      if (changes.name !== undefined) credential.name = changes.name;
      return credentialView(credential);
    },

    deleteClient(call) {
      const { credential } = visibleCredential(call);
      store.credentials.delete(credential.clientId);
      return undefined;
    },

    resetClient(call) {
      expectNoBody(call.body);
      const { credential } = visibleCredential(call);
      const clientSecret = generateClientSecret();
      credential.secret = digestSecret(clientSecret);
      // Fixture credentials stay listable with their current secret (see store.ts).
      if (credential.fixtureSecret !== undefined) credential.fixtureSecret = clientSecret;
      return credentialView(credential, clientSecret);
    },
  };
}
