/**
 * Data functions: read DPoD objects a program does not manage. Each comes as a plain async function and
 * as an Output form (`…Output`) that takes Inputs. They run in the program process and call DPoD directly
 * (one short-lived client per call); the connection is resolved like a resource's: the `connection`
 * argument, then stack config `dpod:*`, then environment `DPOD_*`. Nothing secret is returned.
 */
import * as pulumi from "@pulumi/pulumi";
import { DpodClient } from "../provider/client";
import { resolveConnectionSettings } from "../provider/config";
import { canonicalCredentialRole } from "../provider/resources/client-credential/schema";
import { stripUndefined } from "../provider/resources/common/values";
import { canonicalAccountRole } from "../provider/resources/user/schema";
import type { Connection, ConnectionArgs } from "./connection";
import {
  credentialResult,
  groupResult,
  userResult,
  type ClientCredentialResult,
  type SubscriberGroupResult,
  type UserResult,
} from "./results";

export type { ClientCredentialResult, SubscriberGroupResult, UserResult } from "./results";

/** The Input form of a function's arguments: every field may be an Input; `connection` takes Inputs too. */
export type OutputArgs<A> = { [K in keyof Omit<A, "connection">]?: pulumi.Input<A[K]> } & {
  connection?: pulumi.Input<ConnectionArgs>;
};

type StackConfigKey =
  "apiUrl" | "tokenUrl" | "clientId" | "clientSecret" | "accessToken" | "allowInsecureHttp";

/** Runs `fn` with a client for the resolved connection and closes it afterwards. */
export async function withDpodClient<T>(
  connection: Connection | undefined,
  fn: (client: DpodClient) => Promise<T>,
): Promise<T> {
  const settings = resolveConnectionSettings({
    explicit: connection === undefined ? undefined : stripUndefined(connection),
    stackConfig: (key: StackConfigKey) => pulumi.runtime.getConfig(`dpod:${key}`),
    env: process.env,
  });
  const client = new DpodClient(settings);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
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

async function collect<T>(items: AsyncIterable<T>, keep: (item: T) => boolean = () => true): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) if (keep(item)) out.push(item);
  return out;
}

function exactlyOne<T>(found: T[], what: string): T {
  const [only] = found;
  if (found.length === 1 && only !== undefined) return only;
  throw new Error(
    found.length === 0
      ? `No ${what} exists (or it is not visible to this credential).`
      : `${found.length} objects match ${what}; give the id instead.`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Users

/** Arguments of {@link getUser}: give `id` or `username`. */
export interface GetUserArgs {
  /** The user id. */
  id?: string;
  /** The login email address (compared without regard to case). */
  username?: string;
  /** A child tenant to look in (service-provider credentials). */
  tenantId?: string;
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

/** Finds one user by id or username; fails when there is none. */
export async function getUser(args: GetUserArgs): Promise<UserResult> {
  const tenant = args.tenantId === undefined ? {} : { tenantId: args.tenantId };
  return withDpodClient(args.connection, async (client) => {
    if (args.id !== undefined) return userResult(await client.users.get(args.id, tenant));
    const username = args.username;
    if (username === undefined) throw new Error("getUser: give id or username.");
    const found = await collect(
      client.users.list(tenant),
      (u) => u.username.toLowerCase() === username.toLowerCase(),
    );
    return userResult(exactlyOne(found, `user "${username}"`));
  });
}

/** Input form of {@link GetUserArgs}. */
export type GetUserOutputArgs = OutputArgs<GetUserArgs>;
/** {@link getUser} taking Inputs and returning an Output. */
export const getUserOutput = outputForm(getUser) as (args: GetUserOutputArgs) => pulumi.Output<UserResult>;

/** Arguments of {@link getUsers}; every filter is optional and they combine. */
export interface GetUsersArgs {
  /** Only users with this account role (full or short form). */
  accountRole?: string;
  /** Only members of this subscriber group id. */
  subscriberGroup?: string;
  /** Only users whose username contains this text (without regard to case). */
  usernameContains?: string;
  /** A child tenant to list (service-provider credentials). */
  tenantId?: string;
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

export interface GetUsersResult {
  /** The matching users, in DPoD's order. */
  users: UserResult[];
}

/** Lists the users of a tenant, filtered. */
export async function getUsers(args: GetUsersArgs = {}): Promise<GetUsersResult> {
  const role = args.accountRole === undefined ? undefined : canonicalAccountRole(args.accountRole);
  const contains = args.usernameContains?.toLowerCase();
  return withDpodClient(args.connection, async (client) => {
    const users = await collect(
      client.users.list(args.tenantId === undefined ? {} : { tenantId: args.tenantId }),
      (u) =>
        (role === undefined || canonicalAccountRole(u.accountRole) === role) &&
        (args.subscriberGroup === undefined || u.subscriberGroups.includes(args.subscriberGroup)) &&
        (contains === undefined || u.username.toLowerCase().includes(contains)),
    );
    return { users: users.map(userResult) };
  });
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
  return withDpodClient(args.connection, async (client) => userResult(await client.account.profile()));
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
export interface GetSubscriberGroupArgs {
  /** The group id. */
  id?: string;
  /** The exact group name. */
  name?: string;
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

/** Finds one subscriber group by id or name; fails when there is none. */
export async function getSubscriberGroup(args: GetSubscriberGroupArgs): Promise<SubscriberGroupResult> {
  return withDpodClient(args.connection, async (client) => {
    if (args.id !== undefined) return groupResult(await client.subscriberGroups.get(args.id));
    const name = args.name;
    if (name === undefined) throw new Error("getSubscriberGroup: give id or name.");
    const found = await collect(client.subscriberGroups.list(), (g) => g.name === name);
    return groupResult(exactlyOne(found, `subscriber group "${name}"`));
  });
}

/** Input form of {@link GetSubscriberGroupArgs}. */
export type GetSubscriberGroupOutputArgs = OutputArgs<GetSubscriberGroupArgs>;
/** {@link getSubscriberGroup} taking Inputs and returning an Output. */
export const getSubscriberGroupOutput = outputForm(getSubscriberGroup) as (
  args: GetSubscriberGroupOutputArgs,
) => pulumi.Output<SubscriberGroupResult>;

/** Arguments of {@link getSubscriberGroups}. */
export interface GetSubscriberGroupsArgs {
  /** Only groups whose name contains this text (without regard to case). */
  nameContains?: string;
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

export interface GetSubscriberGroupsResult {
  /** The matching groups, in DPoD's order. */
  groups: SubscriberGroupResult[];
}

/** Lists the subscriber groups visible to the credential. */
export async function getSubscriberGroups(
  args: GetSubscriberGroupsArgs = {},
): Promise<GetSubscriberGroupsResult> {
  const contains = args.nameContains?.toLowerCase();
  return withDpodClient(args.connection, async (client) => {
    const groups = await collect(
      client.subscriberGroups.list(),
      (g) => contains === undefined || g.name.toLowerCase().includes(contains),
    );
    return { groups: groups.map(groupResult) };
  });
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
export interface GetClientCredentialArgs {
  /** The client id. */
  clientId?: string;
  /** The exact credential name. */
  name?: string;
  /** With `name`: only credentials of this role (full or short form). */
  role?: string;
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

/** Finds one client credential by client id, or by name (and role). The secret is never returned. */
export async function getClientCredential(args: GetClientCredentialArgs): Promise<ClientCredentialResult> {
  return withDpodClient(args.connection, async (client) => {
    if (args.clientId !== undefined) return credentialResult(await client.credentials.get(args.clientId));
    const name = args.name;
    if (name === undefined) throw new Error("getClientCredential: give clientId or name.");
    const role = args.role === undefined ? undefined : canonicalCredentialRole(args.role);
    const found = await collect(
      client.credentials.list(role === undefined ? {} : { role }),
      (c) => c.name === name && (role === undefined || canonicalCredentialRole(c.role) === role),
    );
    return credentialResult(exactlyOne(found, `client credential "${name}"`));
  });
}

/** Input form of {@link GetClientCredentialArgs}. */
export type GetClientCredentialOutputArgs = OutputArgs<GetClientCredentialArgs>;
/** {@link getClientCredential} taking Inputs and returning an Output. */
export const getClientCredentialOutput = outputForm(getClientCredential) as (
  args: GetClientCredentialOutputArgs,
) => pulumi.Output<ClientCredentialResult>;

/** Arguments of {@link getClientCredentials}; the filters combine. */
export interface GetClientCredentialsArgs {
  /** Only credentials of this role (full or short form). */
  role?: string;
  /** Only credentials with exactly this name. */
  name?: string;
  /** Connection override; see {@link ConnectionArgs}. */
  connection?: Connection;
}

export interface GetClientCredentialsResult {
  /** The matching credentials, in DPoD's order, without secrets. */
  credentials: ClientCredentialResult[];
}

/** Lists the client credentials visible to the credential in use. */
export async function getClientCredentials(
  args: GetClientCredentialsArgs = {},
): Promise<GetClientCredentialsResult> {
  const role = args.role === undefined ? undefined : canonicalCredentialRole(args.role);
  return withDpodClient(args.connection, async (client) => {
    const found = await collect(
      client.credentials.list(role === undefined ? {} : { role }),
      (c) =>
        (args.name === undefined || c.name === args.name) &&
        (role === undefined || canonicalCredentialRole(c.role) === role),
    );
    return { credentials: found.map(credentialResult) };
  });
}

/** Input form of {@link GetClientCredentialsArgs}. */
export type GetClientCredentialsOutputArgs = OutputArgs<GetClientCredentialsArgs>;
/** {@link getClientCredentials} taking Inputs and returning an Output. */
export const getClientCredentialsOutput = outputForm(getClientCredentials) as (
  args?: GetClientCredentialsOutputArgs,
) => pulumi.Output<GetClientCredentialsResult>;
