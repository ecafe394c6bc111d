/**
 * Client credentials: /v1/credentials/clients (docs/dpod-api-notes.md).
 */
import { z } from "zod";
import { apiPath, withQuery } from "../path";
import { iteratePages, type Page } from "../paging";
import type { ApiRequester } from "../request";
import type { ClientCredential } from "../types";
import { compact, idList, optionalText, parseBody, parsePage, text } from "./wire";

/**
 * docs/dpod-api-notes.md#resource-models: the id may come as `clientId` or `id`, the secret as `clientSecret` or
 * `secret`; either spelling is accepted, `clientId`/`clientSecret` preferred.
 */
export const ClientCredentialWire = z
  .object({
    clientId: optionalText,
    id: optionalText,
    name: text,
    role: text,
    serviceIds: idList,
    subscriberGroups: idList,
    tenantId: optionalText,
    createdAt: optionalText,
    createdBy: optionalText,
    clientSecret: optionalText,
    secret: optionalText,
  })
  .refine((wire) => Boolean(wire.clientId ?? wire.id), {
    message: "neither clientId nor id is present",
    path: ["clientId"],
  })
  .transform((wire): ClientCredential =>
    compact({
      clientId: (wire.clientId ?? wire.id) as string,
      name: wire.name,
      role: wire.role,
      serviceIds: wire.serviceIds,
      subscriberGroups: wire.subscriberGroups,
      tenantId: wire.tenantId,
      createdAt: wire.createdAt,
      createdBy: wire.createdBy,
      clientSecret: wire.clientSecret ?? wire.secret,
    }),
  );

export interface CreateClientCredentialBody {
  name: string;
  /** Full scope string, e.g. `dpod.tenant.api_appowner` (docs/dpod-api-notes.md#credentials-and-roles). */
  role: string;
  serviceIds?: string[];
  subscriberGroups?: string[];
}

export interface ClientCredentialQuery {
  role?: string;
  serviceIds?: string[];
}

export interface CredentialsEndpoints {
  /** Creates a credential; the answer includes the only copy of `clientSecret`. 200 or 201. */
  create(body: CreateClientCredentialBody): Promise<ClientCredential>;
  /** Throws DpodNotFoundError on 404. */
  get(clientId: string): Promise<ClientCredential>;
  /** Every credential visible to the caller, following pages of 100. */
  list(query?: ClientCredentialQuery): AsyncIterable<ClientCredential>;
  listPage(query?: ClientCredentialQuery & { page?: number; size?: number }): Promise<Page<ClientCredential>>;
  /** Renames a credential (the only mutable field). */
  update(clientId: string, patch: { name?: string }): Promise<ClientCredential>;
  /** 404 throws DpodNotFoundError, except on a retry (then the earlier attempt deleted it). */
  delete(clientId: string): Promise<void>;
  /** Issues a new secret and returns it; the old one stops working. */
  resetSecret(clientId: string): Promise<ClientCredential>;
}

export function credentialsEndpoints(requester: ApiRequester): CredentialsEndpoints {
  const listPage = async (
    query: ClientCredentialQuery & { page?: number; size?: number } = {},
  ): Promise<Page<ClientCredential>> => {
    const requested = { page: query.page ?? 0, size: query.size ?? 100 };
    const call = {
      operation: "listClients" as const,
      path: withQuery("/v1/credentials/clients", {
        ...requested,
        role: query.role,
        serviceIds: query.serviceIds,
      }),
    };
    return parsePage(requester, call, await requester.call(call), ClientCredentialWire, requested);
  };

  return {
    async create(body) {
      const call = { operation: "createClient" as const, path: "/v1/credentials/clients", body };
      return parseBody(requester, call, await requester.call(call), ClientCredentialWire);
    },
    async get(clientId) {
      const call = { operation: "getClient" as const, path: apiPath`/v1/credentials/clients/${clientId}` };
      return parseBody(requester, call, await requester.call(call), ClientCredentialWire);
    },
    list(query = {}) {
      return iteratePages((page, size) => listPage({ ...query, page, size }));
    },
    listPage,
    async update(clientId, patch) {
      const call = {
        operation: "updateClient" as const,
        path: apiPath`/v1/credentials/clients/${clientId}`,
        body: patch,
      };
      return parseBody(requester, call, await requester.call(call), ClientCredentialWire);
    },
    async delete(clientId) {
      await requester.call({ operation: "deleteClient", path: apiPath`/v1/credentials/clients/${clientId}` });
    },
    async resetSecret(clientId) {
      const call = {
        operation: "resetClient" as const,
        path: apiPath`/v1/credentials/clients/${clientId}/resetSecret`,
      };
      return parseBody(requester, call, await requester.call(call), ClientCredentialWire);
    },
  };
}
