/**
 * Reads what the adopt command declares from a live tenant, through the client: every subscriber group
 * and client credential visible to the tenant connection, and every user visible to the users
 * connection (a service-provider credential with the child tenant's id, or the tenant connection
 * itself). Read-only: GET calls only. Lists are de-duplicated by id (a page boundary can repeat an
 * object while the tenant changes) and sorted, so the result does not depend on DPoD's order.
 *
 * Every object whose name is wanted is then read by id, and declared from that answer: a list item may
 * be a summary that leaves fields out (our reading that it does not is unconfirmed), and a program
 * declared from one would drop a user's groups or a group's description at its first `up`. An object
 * gone between the list and its read (404) is left out. Objects not wanted keep their list item, which
 * serves only for naming (id, name, creation time).
 */
import type { ClientCredential, SubscriberGroup, User } from "../client";
import { listDistinct, readEach } from "../resources/common/find-by-key";
import type { DpodApi } from "../resources/common/lifecycle";
import type { AdoptKind } from "./selection";

export interface TenantObjects {
  groups: SubscriberGroup[];
  users: User[];
  credentials: ClientCredential[];
}

export interface TenantSources {
  /** The tenant connection: subscriber groups and client credentials. */
  tenant: Pick<DpodApi, "subscriberGroups" | "credentials">;
  /** The connection users are listed with, and the child tenant to list them in (if any). */
  users: { client: Pick<DpodApi, "users">; tenantId?: string };
}

/** Code-point order, independent of the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders by each key in turn, the id last, so that equal names keep a stable order. */
function byKeys<T>(...keys: Array<(item: T) => string>) {
  return (a: T, b: T) => {
    for (const key of keys) {
      const order = compareText(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  };
}

/** The listed objects, each wanted one as a GET answers it (one gone since is left out); in no order. */
async function readWanted<T>(
  listed: readonly T[],
  idOf: (item: T) => string,
  wanted: (item: T) => boolean,
  get: (id: string) => Promise<T>,
): Promise<T[]> {
  const read = await readEach(
    listed.filter((item) => wanted(item)),
    idOf,
    get,
  );
  return [...listed.filter((item) => !wanted(item)), ...read];
}

/**
 * @param wanted whether an object of this DPoD name (a user's username) may be declared; only those are
 *   read by id
 */
export async function readTenant(
  sources: TenantSources,
  kinds: ReadonlySet<AdoptKind>,
  wanted: (name: string) => boolean = () => true,
): Promise<TenantObjects> {
  const usersOptions = sources.users.tenantId === undefined ? {} : { tenantId: sources.users.tenantId };
  const [listedGroups, listedCredentials, listedUsers] = await Promise.all([
    kinds.has("groups") ? listDistinct(sources.tenant.subscriberGroups.list(), (g) => g.id) : [],
    kinds.has("credentials") ? listDistinct(sources.tenant.credentials.list(), (c) => c.clientId) : [],
    kinds.has("users") ? listDistinct(sources.users.client.users.list(usersOptions), (u) => u.id) : [],
  ]);
  const [groups, credentials, users] = await Promise.all([
    readWanted(
      listedGroups,
      (g) => g.id,
      (g) => wanted(g.name),
      (id) => sources.tenant.subscriberGroups.get(id),
    ),
    readWanted(
      listedCredentials,
      (c) => c.clientId,
      (c) => wanted(c.name),
      (id) => sources.tenant.credentials.get(id),
    ),
    readWanted(
      listedUsers,
      (u) => u.id,
      (u) => wanted(u.username),
      (id) => sources.users.client.users.get(id, usersOptions),
    ),
  ]);
  return {
    groups: groups.sort(
      byKeys(
        (g) => g.name.toLowerCase(),
        (g) => g.name,
        (g) => g.id,
      ),
    ),
    users: users.sort(
      byKeys(
        (u) => u.username.toLowerCase(),
        (u) => u.id,
      ),
    ),
    credentials: credentials.sort(
      byKeys(
        (c) => c.name.toLowerCase(),
        (c) => c.name,
        (c) => c.role,
        (c) => c.clientId,
      ),
    ),
  };
}
