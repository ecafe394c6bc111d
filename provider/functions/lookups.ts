/**
 * The data functions' logic, free of Pulumi: each takes a client and plain arguments and returns plain
 * results. The TypeScript SDK (sdk/nodejs/functions.ts) calls them in the program process; the native plugin
 * serves them as invokes (dpod:index:getUser, ...). Nothing secret is ever returned.
 *
 * A list item may be a summary (resources/common/read-fields.ts): an object found by name is returned as
 * a GET answers it, and a list is checked against a GET of its first object (every object is read by id
 * when they differ), so no result holds an empty value DPoD did not send.
 */
import type { DpodClient } from "../client";
import type {
  ClientCredentialLookup,
  ClientCredentialsFilter,
  SubscriberGroupLookup,
  SubscriberGroupsFilter,
  UserLookup,
  UsersFilter,
} from "./args";
import { canonicalCredentialRole } from "../resources/client-credential/schema";
import { asGetAnswers, CREDENTIAL_FIELDS, GROUP_FIELDS, USER_FIELDS } from "../resources/common/read-fields";
import { canonicalAccountRole } from "../resources/user/schema";
import {
  credentialResult,
  groupResult,
  userResult,
  type ClientCredentialResult,
  type SubscriberGroupResult,
  type UserResult,
} from "./results";

export type {
  ClientCredentialLookup,
  ClientCredentialsFilter,
  SubscriberGroupLookup,
  SubscriberGroupsFilter,
  UserLookup,
  UsersFilter,
} from "./args";

export type LookupClient = Pick<DpodClient, "users" | "subscriberGroups" | "credentials" | "account">;

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

export async function lookupUser(client: LookupClient, args: UserLookup): Promise<UserResult> {
  const tenant = args.tenantId === undefined ? {} : { tenantId: args.tenantId };
  if (args.id !== undefined) return userResult(await client.users.get(args.id, tenant));
  const username = args.username;
  if (username === undefined) throw new Error("getUser: give id or username.");
  const found = await collect(
    client.users.list(tenant),
    (u) => u.username.toLowerCase() === username.toLowerCase(),
  );
  return userResult(await client.users.get(exactlyOne(found, `user "${username}"`).id, tenant));
}

export interface UsersResult {
  /** The matching users, in DPoD's order. */
  users: UserResult[];
}

export async function listUsers(client: LookupClient, args: UsersFilter): Promise<UsersResult> {
  const role = args.accountRole === undefined ? undefined : canonicalAccountRole(args.accountRole);
  const contains = args.usernameContains?.toLowerCase();
  const tenant = args.tenantId === undefined ? {} : { tenantId: args.tenantId };
  // Every listed user is made whole before filtering: a filter never reads a field DPoD did not send.
  const listed = await collect(client.users.list(tenant));
  const users = (
    await asGetAnswers(
      listed,
      USER_FIELDS,
      (u) => u.id,
      (id) => client.users.get(id, tenant),
    )
  ).map(userResult);
  return {
    users: users.filter(
      (u) =>
        (role === undefined || u.accountRole === role) &&
        (args.subscriberGroup === undefined || u.subscriberGroups.includes(args.subscriberGroup)) &&
        (contains === undefined || u.username.toLowerCase().includes(contains)),
    ),
  };
}

/** The profile of the user whose access token the client holds. */
export async function currentUser(client: LookupClient): Promise<UserResult> {
  return userResult(await client.account.profile());
}

export async function lookupSubscriberGroup(
  client: LookupClient,
  args: SubscriberGroupLookup,
): Promise<SubscriberGroupResult> {
  if (args.id !== undefined) return groupResult(await client.subscriberGroups.get(args.id));
  const name = args.name;
  if (name === undefined) throw new Error("getSubscriberGroup: give id or name.");
  const found = await collect(client.subscriberGroups.list(), (g) => g.name === name);
  return groupResult(await client.subscriberGroups.get(exactlyOne(found, `subscriber group "${name}"`).id));
}

export interface SubscriberGroupsResult {
  /** The matching groups, in DPoD's order. */
  groups: SubscriberGroupResult[];
}

export async function listSubscriberGroups(
  client: LookupClient,
  args: SubscriberGroupsFilter,
): Promise<SubscriberGroupsResult> {
  const contains = args.nameContains?.toLowerCase();
  const groups = await collect(
    client.subscriberGroups.list(),
    (g) => contains === undefined || g.name.toLowerCase().includes(contains),
  );
  const read = await asGetAnswers(
    groups,
    GROUP_FIELDS,
    (g) => g.id,
    (id) => client.subscriberGroups.get(id),
  );
  return { groups: read.map(groupResult) };
}

export async function lookupClientCredential(
  client: LookupClient,
  args: ClientCredentialLookup,
): Promise<ClientCredentialResult> {
  if (args.clientId !== undefined) return credentialResult(await client.credentials.get(args.clientId));
  const name = args.name;
  if (name === undefined) throw new Error("getClientCredential: give clientId or name.");
  const role = args.role === undefined ? undefined : canonicalCredentialRole(args.role);
  const found = await collect(
    client.credentials.list(role === undefined ? {} : { role }),
    (c) => c.name === name && (role === undefined || canonicalCredentialRole(c.role) === role),
  );
  const only = exactlyOne(found, `client credential "${name}"`);
  return credentialResult(await client.credentials.get(only.clientId));
}

export interface ClientCredentialsResult {
  /** The matching credentials, in DPoD's order, without secrets. */
  credentials: ClientCredentialResult[];
}

export async function listClientCredentials(
  client: LookupClient,
  args: ClientCredentialsFilter,
): Promise<ClientCredentialsResult> {
  const role = args.role === undefined ? undefined : canonicalCredentialRole(args.role);
  const found = await collect(
    client.credentials.list(role === undefined ? {} : { role }),
    (c) =>
      (args.name === undefined || c.name === args.name) &&
      (role === undefined || canonicalCredentialRole(c.role) === role),
  );
  const read = await asGetAnswers(
    found,
    CREDENTIAL_FIELDS,
    (c) => c.clientId,
    (id) => client.credentials.get(id),
  );
  return { credentials: read.map(credentialResult) };
}
