/**
 * Data functions: read DPoD objects a program does not manage. Each comes as a plain async function and
 * as an Output form (`…Output`) that takes Inputs. They run in the program process and call DPoD directly
 * (one short-lived client per call); the connection is resolved like a resource's: the `connection`
 * argument, then stack config `dpod:*`, then environment `DPOD_*`. Nothing secret is returned.
 */
import * as pulumi from "@pulumi/pulumi";
import { withConnectedClient } from "../../provider/functions/connect";
import {
  currentUser,
  listClientCredentials,
  listSubscriberGroups,
  listUsers,
  lookupClientCredential,
  lookupSubscriberGroup,
  lookupUser,
  type ClientCredentialLookup,
  type ClientCredentialsFilter,
  type ClientCredentialsResult,
  type SubscriberGroupLookup,
  type SubscriberGroupsFilter,
  type SubscriberGroupsResult,
  type UserLookup,
  type UsersFilter,
  type UsersResult,
} from "../../provider/functions/lookups";
import type {
  ClientCredentialResult,
  SubscriberGroupResult,
  UserResult,
} from "../../provider/functions/results";
import type { Connection, ConnectionArgs } from "./connection";

export type {
  ClientCredentialResult,
  SubscriberGroupResult,
  UserResult,
} from "../../provider/functions/results";

/** The Input form of a function's arguments: every field may be an Input; `connection` takes Inputs too. */
export type OutputArgs<A> = { [K in keyof Omit<A, "connection">]?: pulumi.Input<A[K]> } & {
  connection?: pulumi.Input<ConnectionArgs>;
};

/** Runs `fn` with a client for the resolved connection and closes it afterwards. */
export function withDpodClient<T>(
  connection: Connection | undefined,
  fn: Parameters<typeof withConnectedClient<Connection, T>>[2],
): Promise<T> {
  return withConnectedClient(connection, (key) => pulumi.runtime.getConfig(`dpod:${key}`), fn);
}

/** Turns Input args into plain args and calls the plain function: the shape of every `…Output` form. */
function outputForm<A extends object, R>(fn: (args: A) => Promise<R>) {
  return (args?: pulumi.Inputs | pulumi.Input<object>): pulumi.Output<R> => {
    const whole: unknown = args ?? {};
    if (pulumi.Output.isInstance(whole) || whole instanceof Promise) {
      return pulumi.output(whole as pulumi.Input<object>).apply((plain) => fn(plain as A));
    }
    // No result ever contains a connection's secret (the functions never return credentials), so the
    // secretness of `connection` is not carried onto the result: ids and names read with a secret
    // credential stay readable. Any other argument that is secret still makes the result secret.
    const { connection, ...rest } = whole as Record<string, unknown>;
    return pulumi
      .all([pulumi.unsecret(pulumi.output(connection)), pulumi.output(rest)])
      .apply(([plainConnection, plainRest]) =>
        fn({
          ...(plainRest as object),
          ...(plainConnection === undefined ? {} : { connection: plainConnection }),
        } as A),
      );
  };
}

// ---------------------------------------------------------------------------------------------------
// Users

/** Arguments of {@link getUser}: give `id` or `username`. */
export interface GetUserArgs extends UserLookup {
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

/** Finds one user by id or username; fails when there is none. */
export async function getUser(args: GetUserArgs): Promise<UserResult> {
  return withDpodClient(args.connection, (client) => lookupUser(client, args));
}

/** Input form of {@link GetUserArgs}. */
export type GetUserOutputArgs = OutputArgs<GetUserArgs>;
/** {@link getUser} taking Inputs and returning an Output. */
export const getUserOutput = outputForm(getUser) as (args: GetUserOutputArgs) => pulumi.Output<UserResult>;

/** Arguments of {@link getUsers}; every filter is optional and they combine. */
export interface GetUsersArgs extends UsersFilter {
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

export type GetUsersResult = UsersResult;

/** Lists the users of a tenant, filtered. */
export async function getUsers(args: GetUsersArgs = {}): Promise<GetUsersResult> {
  return withDpodClient(args.connection, (client) => listUsers(client, args));
}

/** Input form of {@link GetUsersArgs}. */
export type GetUsersOutputArgs = OutputArgs<GetUsersArgs>;
/** {@link getUsers} taking Inputs and returning an Output. */
export const getUsersOutput = outputForm(getUsers) as (
  args?: GetUsersOutputArgs,
) => pulumi.Output<GetUsersResult>;

/** Arguments of {@link getCurrentUser}. */
export interface GetCurrentUserArgs {
  /**
   * Connection override. The profile belongs to a user, so this needs a user's bearer token
   * (`accessToken`, or `dpod:accessToken` / `DPOD_ACCESS_TOKEN`); client credentials have no profile.
   */
  connection?: Connection;
}

/** The profile of the user whose access token is configured. */
export async function getCurrentUser(args: GetCurrentUserArgs = {}): Promise<UserResult> {
  return withDpodClient(args.connection, currentUser);
}

/** Input form of {@link GetCurrentUserArgs}. */
export interface GetCurrentUserOutputArgs {
  connection?: pulumi.Input<ConnectionArgs>;
}
/** {@link getCurrentUser} taking Inputs and returning an Output. */
export const getCurrentUserOutput = outputForm(getCurrentUser) as (
  args?: GetCurrentUserOutputArgs,
) => pulumi.Output<UserResult>;

// ---------------------------------------------------------------------------------------------------
// Subscriber groups

/** Arguments of {@link getSubscriberGroup}: give `id` or `name`. */
export interface GetSubscriberGroupArgs extends SubscriberGroupLookup {
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

/** Finds one subscriber group by id or name; fails when there is none. */
export async function getSubscriberGroup(args: GetSubscriberGroupArgs): Promise<SubscriberGroupResult> {
  return withDpodClient(args.connection, (client) => lookupSubscriberGroup(client, args));
}

/** Input form of {@link GetSubscriberGroupArgs}. */
export type GetSubscriberGroupOutputArgs = OutputArgs<GetSubscriberGroupArgs>;
/** {@link getSubscriberGroup} taking Inputs and returning an Output. */
export const getSubscriberGroupOutput = outputForm(getSubscriberGroup) as (
  args: GetSubscriberGroupOutputArgs,
) => pulumi.Output<SubscriberGroupResult>;

/** Arguments of {@link getSubscriberGroups}. */
export interface GetSubscriberGroupsArgs extends SubscriberGroupsFilter {
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

export type GetSubscriberGroupsResult = SubscriberGroupsResult;

/** Lists the subscriber groups visible to the credential. */
export async function getSubscriberGroups(
  args: GetSubscriberGroupsArgs = {},
): Promise<GetSubscriberGroupsResult> {
  return withDpodClient(args.connection, (client) => listSubscriberGroups(client, args));
}

/** Input form of {@link GetSubscriberGroupsArgs}. */
export type GetSubscriberGroupsOutputArgs = OutputArgs<GetSubscriberGroupsArgs>;
/** {@link getSubscriberGroups} taking Inputs and returning an Output. */
export const getSubscriberGroupsOutput = outputForm(getSubscriberGroups) as (
  args?: GetSubscriberGroupsOutputArgs,
) => pulumi.Output<GetSubscriberGroupsResult>;

// ---------------------------------------------------------------------------------------------------
// Client credentials

/** Arguments of {@link getClientCredential}: give `clientId`, or `name` (and `role` to disambiguate). */
export interface GetClientCredentialArgs extends ClientCredentialLookup {
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

/** Finds one client credential by client id, or by name (and role). The secret is never returned. */
export async function getClientCredential(args: GetClientCredentialArgs): Promise<ClientCredentialResult> {
  return withDpodClient(args.connection, (client) => lookupClientCredential(client, args));
}

/** Input form of {@link GetClientCredentialArgs}. */
export type GetClientCredentialOutputArgs = OutputArgs<GetClientCredentialArgs>;
/** {@link getClientCredential} taking Inputs and returning an Output. */
export const getClientCredentialOutput = outputForm(getClientCredential) as (
  args: GetClientCredentialOutputArgs,
) => pulumi.Output<ClientCredentialResult>;

/** Arguments of {@link getClientCredentials}; the filters combine. */
export interface GetClientCredentialsArgs extends ClientCredentialsFilter {
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

export type GetClientCredentialsResult = ClientCredentialsResult;

/** Lists the client credentials visible to the credential in use. */
export async function getClientCredentials(
  args: GetClientCredentialsArgs = {},
): Promise<GetClientCredentialsResult> {
  return withDpodClient(args.connection, (client) => listClientCredentials(client, args));
}

/** Input form of {@link GetClientCredentialsArgs}. */
export type GetClientCredentialsOutputArgs = OutputArgs<GetClientCredentialsArgs>;
/** {@link getClientCredentials} taking Inputs and returning an Output. */
export const getClientCredentialsOutput = outputForm(getClientCredentials) as (
  args?: GetClientCredentialsOutputArgs,
) => pulumi.Output<GetClientCredentialsResult>;
