/**
 * Reads what the adopt command declares from a live tenant, through the client: every subscriber group
 * and client credential visible to the tenant connection, and every user visible to the users
 * connection (a service-provider credential with the child tenant's id, or the tenant connection
 * itself). Read-only: list calls, and one GET per kind that checks the list (more when it is a summary).
 * Lists are de-duplicated by id (a page boundary can repeat an object while the tenant changes) and
 * sorted, so the result does not depend on DPoD's order.
 */
import type { ClientCredential, SubscriberGroup, User } from "../client";
import type { DpodApi } from "../resources/common/lifecycle";
import { asGetAnswers, CREDENTIAL_FIELDS, GROUP_FIELDS, USER_FIELDS } from "../resources/common/read-fields";
import { distinctById } from "../resources/common/recovery";
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

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
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

export async function readTenant(
  sources: TenantSources,
  kinds: ReadonlySet<AdoptKind>,
): Promise<TenantObjects> {
  const { tenant } = sources;
  const usersQuery = sources.users.tenantId === undefined ? {} : { tenantId: sources.users.tenantId };
  const usersApi = sources.users.client.users;
  const [groups, credentials, users] = await Promise.all([
    kinds.has("groups")
      ? collect(tenant.subscriberGroups.list()).then((listed) =>
          asGetAnswers(
            distinctById(listed, (g) => g.id),
            GROUP_FIELDS,
            (g) => g.id,
            (id) => tenant.subscriberGroups.get(id),
          ),
        )
      : Promise.resolve([]),
    kinds.has("credentials")
      ? collect(tenant.credentials.list()).then((listed) =>
          asGetAnswers(
            distinctById(listed, (c) => c.clientId),
            CREDENTIAL_FIELDS,
            (c) => c.clientId,
            (id) => tenant.credentials.get(id),
          ),
        )
      : Promise.resolve([]),
    kinds.has("users")
      ? collect(usersApi.list(usersQuery)).then((listed) =>
          asGetAnswers(
            distinctById(listed, (u) => u.id),
            USER_FIELDS,
            (u) => u.id,
            (id) => usersApi.get(id, usersQuery),
          ),
        )
      : Promise.resolve([]),
  ]);
  return {
    groups: distinctById(groups, (g) => g.id).sort(
      byKeys(
        (g) => g.name.toLowerCase(),
        (g) => g.name,
        (g) => g.id,
      ),
    ),
    users: distinctById(users, (u) => u.id).sort(
      byKeys(
        (u) => u.username.toLowerCase(),
        (u) => u.id,
      ),
    ),
    credentials: distinctById(credentials, (c) => c.clientId).sort(
      byKeys(
        (c) => c.name.toLowerCase(),
        (c) => c.name,
        (c) => c.role,
        (c) => c.clientId,
      ),
    ),
  };
}
