/**
 * The resource kinds and their handlers: the one table both adapters route by.
 *
 * Every kind is offered by both adapters: the dynamic SDK (TypeScript classes in sdk/nodejs) and the
 * native plugin (the token dpod:index:<Kind> in its schema, so YAML, Python and Go). Where they differ:
 * - `pulumi import` (native only) reads an existing object by id: User, SubscriberGroup and
 *   ClientCredential. A RotatingClientCredential is two credentials whose secrets DPoD never reveals, so
 *   it is not importable (its read refuses a state without a current client id).
 * - Per-resource `connection` settings exist in the dynamic SDK only; the native plugin takes them from
 *   its provider configuration.
 */
import { clientCredentialHandler } from "./client-credential/handler";
import type { ResourceHandler } from "./common/lifecycle";
import { rotatingClientCredentialHandler } from "./rotating-client-credential/handler";
import { subscriberGroupHandler } from "./subscriber-group/handler";
import { userHandler } from "./user/handler";

export const RESOURCE_KINDS = [
  "User",
  "SubscriberGroup",
  "ClientCredential",
  "RotatingClientCredential",
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

const HANDLERS: Readonly<Record<ResourceKind, ResourceHandler>> = {
  User: userHandler,
  SubscriberGroup: subscriberGroupHandler,
  ClientCredential: clientCredentialHandler,
  RotatingClientCredential: rotatingClientCredentialHandler,
};

export function isResourceKind(kind: string): kind is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(kind);
}

/** The handler of a kind; throws for a name that is not one. */
export function handlerFor(kind: string): ResourceHandler {
  if (!isResourceKind(kind)) throw new Error(`pulumi-dpod: unknown resource kind "${kind}"`);
  return HANDLERS[kind];
}
