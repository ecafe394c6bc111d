/**
 * The resource kinds and their handlers: the one table both adapters (dynamic and native) route by.
 */
import { clientCredentialHandler } from "./client-credential/handler";
import type { ResourceHandler } from "./common/lifecycle";
import { subscriberGroupHandler } from "./subscriber-group/handler";
import { userHandler } from "./user/handler";

export const RESOURCE_KINDS = ["User", "SubscriberGroup", "ClientCredential"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

const HANDLERS: Readonly<Record<ResourceKind, ResourceHandler>> = {
  User: userHandler,
  SubscriberGroup: subscriberGroupHandler,
  ClientCredential: clientCredentialHandler,
};

export function isResourceKind(kind: string): kind is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(kind);
}

/** The handler of a kind; throws for a name that is not one. */
export function handlerFor(kind: string): ResourceHandler {
  if (!isResourceKind(kind)) throw new Error(`pulumi-dpod: unknown resource kind "${kind}"`);
  return HANDLERS[kind];
}
