/**
 * pulumi-dpod: DPoD users, subscriber groups and client credentials as Pulumi resources.
 *
 *     import * as dpod from "pulumi-dpod";
 *     const ops = new dpod.SubscriberGroup("ops", { name: "ops" });
 */
export { User, type UserArgs, type AccountRole } from "./user";
export { SubscriberGroup, type SubscriberGroupArgs } from "./subscriber-group";
export { ClientCredential, type ClientCredentialArgs, type CredentialRole } from "./client-credential";
export { RotatingClientCredential, type RotatingClientCredentialArgs } from "./rotating-client-credential";
export type { ConnectionArgs, Connection } from "./connection";
export * from "./functions";
export * from "./account";

// The API client, for scripts that need more than the resources and functions.
export {
  DpodClient,
  type ClientOptions,
  type ConnectionSettings,
  type ClientCredential as ClientCredentialModel,
  type SubscriberGroup as SubscriberGroupModel,
  type User as UserModel,
  DpodApiError,
  DpodBadRequestError,
  DpodAuthenticationError,
  DpodPermissionError,
  DpodNotFoundError,
  DpodConflictError,
  DpodRateLimitError,
  DpodServerError,
  DpodConnectionError,
  DpodResponseShapeError,
  AmbiguousCreateError,
} from "../../provider/client";
export { resolveConnectionSettings, DpodConfigError } from "../../provider/config";
