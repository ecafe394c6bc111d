/**
 * What the data functions (and the account functions) return: the resources' API-to-state mappings plus
 * the id, so a data function and a refresh always agree on normalisation (full role names, sorted id
 * sets, "" as absent). Shared by the TypeScript SDK and the native plugin.
 */
import type {
  ClientCredential as ApiClientCredential,
  SubscriberGroup as ApiSubscriberGroup,
  User as ApiUser,
} from "../client";
import { stateFromApi as credentialStateFromApi } from "../resources/client-credential/mapping";
import { stateFromApi as groupStateFromApi } from "../resources/subscriber-group/mapping";
import { stateFromApi as userStateFromApi } from "../resources/user/mapping";

/** A DPoD user as the data functions return it. */
export interface UserResult {
  /** The user id. */
  id: string;
  /** The login email address. */
  username: string;
  /** The email address DPoD reports. */
  email?: string;
  givenName: string;
  familyName: string;
  phoneNumber?: string;
  /** The account role, in full form. */
  accountRole: string;
  /** Subscriber group ids, sorted. */
  subscriberGroups: string[];
  tenantId?: string;
  verified?: boolean;
  status?: string;
  /** RFC 3339. */
  createdAt?: string;
}

/** A subscriber group as the data functions return it. */
export interface SubscriberGroupResult {
  /** The group id. */
  id: string;
  name: string;
  description?: string;
  tenantId?: string;
  /** RFC 3339. */
  createdAt?: string;
}

/** A client credential as the data functions return it. It never includes a secret. */
export interface ClientCredentialResult {
  /** The client id. */
  clientId: string;
  name: string;
  /** The role, in full form. */
  role: string;
  /** Service ids, sorted. */
  serviceIds: string[];
  /** Subscriber group ids, sorted. */
  subscriberGroups: string[];
  tenantId?: string;
  /** RFC 3339. */
  createdAt?: string;
  createdBy?: string;
}

/**
 * The output fields of each result besides its id, as the plugin schema declares them (types and
 * descriptions come from the resource's state schema). A unit test keeps them equal to the interfaces.
 */
export const USER_RESULT_FIELDS = [
  "username",
  "email",
  "givenName",
  "familyName",
  "phoneNumber",
  "accountRole",
  "subscriberGroups",
  "tenantId",
  "verified",
  "status",
  "createdAt",
] as const satisfies readonly (keyof UserResult)[];
export const GROUP_RESULT_FIELDS = [
  "name",
  "description",
  "tenantId",
  "createdAt",
] as const satisfies readonly (keyof SubscriberGroupResult)[];
export const CREDENTIAL_RESULT_FIELDS = [
  "clientId",
  "name",
  "role",
  "serviceIds",
  "subscriberGroups",
  "tenantId",
  "createdAt",
  "createdBy",
] as const satisfies readonly (keyof ClientCredentialResult)[];

export function userResult(user: ApiUser): UserResult {
  return { id: user.id, ...userStateFromApi(user, {}) };
}

export function groupResult(group: ApiSubscriberGroup): SubscriberGroupResult {
  return { id: group.id, ...groupStateFromApi(group, undefined) };
}

export function credentialResult(credential: ApiClientCredential): ClientCredentialResult {
  return credentialStateFromApi(credential, {});
}
