/**
 * Subscriber groups: /v1/subscriber_groups (docs/dpod-api-notes.md).
 */
import { z } from "zod";
import { apiPath, withQuery } from "../path";
import { iteratePages, type Page } from "../paging";
import type { ApiRequester } from "../request";
import type { SubscriberGroup } from "../types";
import { compact, optionalText, parseBody, parsePage, text } from "./wire";

export const SubscriberGroupWire = z
  .object({
    id: text,
    name: text,
    description: optionalText,
    tenantId: optionalText,
    createdAt: optionalText,
  })
  .transform((wire): SubscriberGroup =>
    compact({
      id: wire.id,
      name: wire.name,
      description: wire.description,
      tenantId: wire.tenantId,
      createdAt: wire.createdAt,
    }),
  );

export interface SubscriberGroupsEndpoints {
  /** Creates a group (DPoD answers 201; 200 is accepted too). */
  create(body: { name: string; description?: string }): Promise<SubscriberGroup>;
  /** Throws DpodNotFoundError on 404. */
  get(id: string): Promise<SubscriberGroup>;
  /** Every group visible to the caller, following pages of 100. */
  list(): AsyncIterable<SubscriberGroup>;
  listPage(query?: { page?: number; size?: number }): Promise<Page<SubscriberGroup>>;
  update(id: string, patch: { name?: string; description?: string }): Promise<SubscriberGroup>;
  /** DPoD answers 409 while the group still has members. */
  delete(id: string): Promise<void>;
}

export function subscriberGroupsEndpoints(requester: ApiRequester): SubscriberGroupsEndpoints {
  const listPage = async (query: { page?: number; size?: number } = {}): Promise<Page<SubscriberGroup>> => {
    const requested = { page: query.page ?? 0, size: query.size ?? 100 };
    const call = {
      operation: "listSubscriberGroups" as const,
      path: withQuery("/v1/subscriber_groups", requested),
    };
    return parsePage(requester, call, await requester.call(call), SubscriberGroupWire, requested);
  };

  return {
    async create(body) {
      const call = { operation: "createSubscriberGroups" as const, path: "/v1/subscriber_groups", body };
      return parseBody(requester, call, await requester.call(call), SubscriberGroupWire);
    },
    async get(id) {
      const call = { operation: "getSubscriberGroup" as const, path: apiPath`/v1/subscriber_groups/${id}` };
      return parseBody(requester, call, await requester.call(call), SubscriberGroupWire);
    },
    list() {
      return iteratePages((page, size) => listPage({ page, size }));
    },
    listPage,
    async update(id, patch) {
      const call = {
        operation: "updateSubscriberGroup" as const,
        path: apiPath`/v1/subscriber_groups/${id}`,
        body: patch,
      };
      return parseBody(requester, call, await requester.call(call), SubscriberGroupWire);
    },
    async delete(id) {
      await requester.call({
        operation: "deleteSubscriberGroup",
        path: apiPath`/v1/subscriber_groups/${id}`,
      });
    },
  };
}
