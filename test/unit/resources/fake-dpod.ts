/**
 * An in-memory stand-in for the parts of DpodClient the handlers use: no sockets. It records every call
 * (operation name and arguments) and can be told to fail the next call of an operation.
 */
import {
  AmbiguousCreateError,
  DpodConflictError,
  DpodNotFoundError,
  DpodResponseShapeError,
  DpodServerError,
  type ClientCredential,
  type SubscriberGroup,
  type User,
} from "../../../provider/client";
import type { DpodApi, HandlerContext } from "../../../provider/resources/common/lifecycle";

export const GROUP_A = "11111111-1111-4111-8111-111111111111";
export const GROUP_B = "22222222-2222-4222-8222-222222222222";
export const TENANT = "33333333-3333-4333-8333-333333333333";
export const CHILD_TENANT = "44444444-4444-4444-8444-444444444444";
export const SERVICE = "55555555-5555-4555-8555-555555555555";

type Failure = "not-found" | "lost-response" | "server-error" | "conflict" | "bad-body";

const fields = (operation: string) => ({ method: "POST", path: `/fake/${operation}`, operation });

function failure(kind: Failure, operation: string): Error {
  switch (kind) {
    case "not-found":
      return new DpodNotFoundError(`fake 404 for ${operation}`, { ...fields(operation), status: 404 });
    case "lost-response":
      return new AmbiguousCreateError(`fake lost answer for ${operation}`, {
        ...fields(operation),
        requestBody: {},
      });
    case "server-error":
      return new DpodServerError(`fake 500 for ${operation}`, { ...fields(operation), status: 500 });
    case "bad-body":
      return new DpodResponseShapeError(`fake unreadable body for ${operation}`, {
        ...fields(operation),
        status: 201,
        rawBody: "<html>",
        issues: ["id: missing"],
      });
    case "conflict":
      return new DpodConflictError(`fake 409 for ${operation}`, { ...fields(operation), status: 409 });
  }
}

let counter = 0;
function newId(): string {
  counter += 1;
  return `aaaaaaaa-0000-4000-8000-${String(counter).padStart(12, "0")}`;
}

export class FakeDpod {
  readonly calls: { op: string; args: unknown[] }[] = [];
  readonly groups = new Map<string, SubscriberGroup>();
  readonly users = new Map<string, User>();
  readonly credentials = new Map<string, ClientCredential>();
  private readonly failures = new Map<string, { kind: Failure; afterEffect: boolean }>();
  private secretCounter = 0;
  /** DPoD's clock: the createdAt of new objects (the default context's "now" too). */
  dpodNow = "2026-06-01T00:00:00Z";
  /** Whether list calls return every object twice, as a page boundary moving under a changing tenant can. */
  repeatListItems = false;
  /** The createdBy of credentials created from now on (the caller, as DPoD would record it). */
  creator = "tester";
  /** Fields no answer carries (a DPoD that reports no createdAt, say). */
  neverSends: string[] = [];
  /** Fields list items leave out, though GET carries them (list items as summaries). */
  listOmits: string[] = [];
  /** Fields the answers to creates and updates leave out, though GET carries them. */
  writeOmits: string[] = [];
  /** The page size of listPage answers. */
  pageSize = 100;

  /**
   * A credential put straight into the tenant, as someone else or an interrupted run leaves it (with the
   * given name; the other fields as a create of an app-owner credential makes them, unless given).
   */
  plantCredential(name: string, fields: Partial<ClientCredential> = {}): ClientCredential {
    const credential: ClientCredential = {
      clientId: `bbbbbbbb-0000-4000-8000-${String(this.credentials.size + 1).padStart(12, "0")}`,
      name,
      role: "dpod.tenant.api_appowner",
      serviceIds: [],
      subscriberGroups: [],
      createdAt: this.dpodNow,
      ...fields,
    };
    this.credentials.set(credential.clientId, { ...credential });
    return credential;
  }

  /** The next call of `op` fails; with afterEffect the change is made first (a lost response). */
  failNext(op: string, kind: Failure, afterEffect = false): void {
    this.failures.set(op, { kind, afterEffect });
  }

  count(op?: string): number {
    return op === undefined ? this.calls.length : this.calls.filter((c) => c.op === op).length;
  }

  private async call<T>(op: string, args: unknown[], effect: () => T): Promise<T> {
    this.calls.push({ op, args });
    const fail = this.failures.get(op);
    if (fail) {
      this.failures.delete(op);
      if (fail.afterEffect) effect();
      throw failure(fail.kind, op);
    }
    return effect();
  }

  private secret(): string {
    this.secretCounter += 1;
    return `fake-secret-${this.secretCounter}`;
  }

  /** An answer as this DPoD sends it: a copy without the fields it never sends (and, for lists, omits). */
  private sent<T extends object>(item: T, listed = false): T {
    const copy = { ...item } as Record<string, unknown>;
    for (const field of [...this.neverSends, ...(listed ? this.listOmits : [])]) delete copy[field];
    return copy as T;
  }

  /** The answer to a create or an update. */
  private written<T extends object>(item: T): T {
    const copy = this.sent(item) as Record<string, unknown>;
    for (const field of this.writeOmits) delete copy[field];
    return copy as T;
  }

  /** A list call: recorded, failing like other calls when told to, then the items (twice if repeating). */
  private async *list<T extends object>(op: string, args: unknown[], items: () => T[]): AsyncIterable<T> {
    await this.call(op, args, () => undefined);
    const all = items().map((item) => this.sent(item, true));
    for (const item of this.repeatListItems ? [...all, ...all] : all) yield item;
  }

  /** One page of a list call, as listPage answers it. */
  private page<T extends object>(op: string, page: number, items: () => T[]) {
    return this.call(op, [page], () => {
      const all = items();
      const size = this.pageSize;
      return {
        content: all.slice(page * size, (page + 1) * size).map((item) => this.sent(item, true)),
        number: page,
        size,
        totalElements: all.length,
        totalPages: Math.ceil(all.length / size),
        reported: { number: page, size, totalElements: all.length, totalPages: Math.ceil(all.length / size) },
        source: { operation: op, path: `/fake/${op}` },
      };
    });
  }

  private must<T>(map: Map<string, T>, id: string, op: string): T {
    const found = map.get(id);
    if (found === undefined) throw failure("not-found", op);
    return found;
  }

  readonly api: DpodApi = {
    subscriberGroups: {
      create: (body) =>
        this.call("groups.create", [body], () => {
          const group: SubscriberGroup = {
            id: newId(),
            name: body.name,
            tenantId: TENANT,
            createdAt: this.dpodNow,
          };
          if (body.description !== undefined) group.description = body.description;
          this.groups.set(group.id, group);
          return this.written(group);
        }),
      get: (id) => this.call("groups.get", [id], () => this.sent(this.must(this.groups, id, "groups.get"))),
      list: () => this.list("groups.list", [], () => [...this.groups.values()]),
      listPage: (query) => this.page("groups.listPage", query?.page ?? 0, () => [...this.groups.values()]),
      update: (id, patch) =>
        this.call("groups.update", [id, patch], () => {
          const group = this.must(this.groups, id, "groups.update");
          Object.assign(group, patch);
          return this.written(group);
        }),
      delete: (id) =>
        this.call("groups.delete", [id], () => {
          this.must(this.groups, id, "groups.delete");
          this.groups.delete(id);
        }),
    },
    users: {
      create: (body) =>
        this.call("users.create", [body], () => {
          const user: User = {
            id: newId(),
            username: body.username,
            email: body.username,
            givenName: body.givenName,
            familyName: body.familyName,
            accountRole: body.accountRole,
            subscriberGroups: [...(body.subscriberGroups ?? [])],
            tenantId: body.tenantId ?? TENANT,
            verified: false,
            status: "ACTIVE",
            createdAt: this.dpodNow,
          };
          if (body.phoneNumber !== undefined) user.phoneNumber = body.phoneNumber;
          this.users.set(user.id, user);
          return this.written(user);
        }),
      get: (id, opts) =>
        this.call("users.get", [id, opts], () => this.sent(this.must(this.users, id, "users.get"))),
      list: (opts) => this.list("users.list", [opts], () => [...this.users.values()]),
      listPage: (query) => this.page("users.listPage", query?.page ?? 0, () => [...this.users.values()]),
      update: (id, patch, opts) =>
        this.call("users.update", [id, patch, opts], () => {
          const user = this.must(this.users, id, "users.update");
          Object.assign(user, patch);
          return this.written(user);
        }),
      delete: (id, opts) =>
        this.call("users.delete", [id, opts], () => {
          this.must(this.users, id, "users.delete");
          this.users.delete(id);
        }),
      resetMfaToken: (id, opts) =>
        this.call("users.resetMfaToken", [id, opts], () => {
          this.must(this.users, id, "users.resetMfaToken");
        }),
      resetPassword: (id, opts) =>
        this.call("users.resetPassword", [id, opts], () => {
          this.must(this.users, id, "users.resetPassword");
          return { temporaryPassword: this.secret() };
        }),
      sendVerification: (id, opts) =>
        this.call("users.sendVerification", [id, opts], () => {
          this.must(this.users, id, "users.sendVerification");
        }),
    },
    credentials: {
      create: (body) =>
        this.call("credentials.create", [body], () => {
          const credential: ClientCredential = {
            clientId: newId(),
            name: body.name,
            role: body.role,
            serviceIds: [...(body.serviceIds ?? [])],
            subscriberGroups: [...(body.subscriberGroups ?? [])],
            tenantId: TENANT,
            createdAt: this.dpodNow,
            createdBy: this.creator,
          };
          this.credentials.set(credential.clientId, credential);
          return { ...this.written(credential), clientSecret: this.secret() };
        }),
      get: (id) =>
        this.call("credentials.get", [id], () =>
          this.sent(this.must(this.credentials, id, "credentials.get")),
        ),
      list: (query) => this.list("credentials.list", [query], () => [...this.credentials.values()]),
      listPage: (query) =>
        this.page("credentials.listPage", query?.page ?? 0, () => [...this.credentials.values()]),
      update: (id, patch) =>
        this.call("credentials.update", [id, patch], () => {
          const credential = this.must(this.credentials, id, "credentials.update");
          Object.assign(credential, patch);
          return this.written(credential);
        }),
      delete: (id) =>
        this.call("credentials.delete", [id], () => {
          this.must(this.credentials, id, "credentials.delete");
          this.credentials.delete(id);
        }),
      resetSecret: (id) =>
        this.call("credentials.resetSecret", [id], () => ({
          ...this.sent(this.must(this.credentials, id, "credentials.resetSecret")),
          clientSecret: this.secret(),
        })),
    },
  };

  context(
    now = new Date(this.dpodNow),
    policy: Pick<HandlerContext, "adoptIdentical" | "urn" | "journal"> = {},
  ): HandlerContext & { warnings: string[] } {
    const warnings: string[] = [];
    return {
      client: this.api,
      now: () => now,
      warn: (message) => warnings.push(message),
      warnings,
      ...policy,
    };
  }
}

/** Recursively finds undefined values; returns their paths. */
export function undefinedPaths(value: unknown, path = "$"): string[] {
  if (value === undefined) return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => undefinedPaths(item, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => undefinedPaths(item, `${path}.${key}`));
  }
  return [];
}

export const PROVIDER = "exports.handler = function () { /* serialized provider */ };";
