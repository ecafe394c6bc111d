/**
 * Reads of many objects of one kind, paid in paged list calls instead of one GET each.
 *
 * A `pulumi refresh` or `preview --refresh` of N objects sends N reads to one provider process, nearly at
 * once. Reads that arrive within a short window are served together: one alone is a plain GET by id (the
 * cheapest for a lone read); several are served from the list, fetched 100 per page, so N objects cost
 * about N/100 calls.
 *
 * That list items are the same model as a GET's answer is an assumption (docs/dpod-api-notes.md), so
 * it is checked rather than trusted. Contract, what keeps drift detection exact:
 * - a listed item serves a read only when it carries every required field, decided on what DPoD sent
 *   (common/read-fields.ts); otherwise the object is read by id;
 * - the first time a list would serve reads, one listed item the reads want is compared with a GET of
 *   the same object (that GET serves its read). On any difference, list reads of that kind are switched
 *   off for the life of the process (every later read is a GET) and one debug line names the kind and
 *   the differing fields, never their values;
 * - a fetched list serves reads only for a short time (LIST_TTL_MS) within the provider process that
 *   fetched it: one command, never a later one;
 * - a write through this process (update, delete, trigger, and a create that takes over an existing
 *   object) forgets that object first: the next read of it is a GET, never an item listed before;
 * - an id missing from a complete list is read by id (a 404 then reports it gone), never assumed gone;
 * - when the list is much larger than the reads waiting (more pages than reads), only the first page is
 *   used and the rest are GETs, so a stack of five users in a tenant of thousands stays at five calls;
 * - a list that fails is logged (one debug line) and its reads are made by id.
 *
 * Cost: reads that arrive while a list is being fetched wait for that list instead of starting another,
 * and the pages after the first are fetched at once (the client's concurrency limit still applies), so a
 * refresh pays about one round trip per kind plus two, not one per page.
 */
import { pageBase, type ClientCredential, type Page, type SubscriberGroup, type User } from "../../client";
import type { DpodApi } from "./dpod-api";
import { describe } from "./errors";
import {
  CREDENTIAL_FIELDS,
  differingFields,
  GROUP_FIELDS,
  USER_FIELDS,
  type ReadFields,
} from "./read-fields";

export const BATCH_WINDOW_MS = 15;
export const LIST_TTL_MS = 60_000;
const PAGE_SIZE = 100;

export interface ListSource<T> {
  /** What debug lines call one object of this kind, e.g. "User". */
  kind: string;
  /** One page of the list (0-based). */
  page(page: number, size: number): Promise<Page<T>>;
  /** One object by id; rejects with the client's not-found error when it does not exist. */
  get(id: string): Promise<T>;
  idOf(item: T): string;
  /** The fields a read needs, by class (common/read-fields.ts). */
  fields: ReadFields<T>;
}

interface Waiting<T> {
  id: string;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** A fetched list: the items that may serve reads, by id, and when it was fetched. */
interface Listed<T> {
  items: Map<string, T>;
  at: number;
}

/** Whether listed items may serve reads: not yet compared with a GET, compared equal, or switched off. */
type Trust = "unchecked" | "trusted" | "off";

export class ListReads<T> {
  private waiting: Waiting<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Items of the last complete, trusted list fetched; undefined when none is usable. */
  private listed: Listed<T> | undefined;
  /** Ids written since the list was fetched: never served from it. */
  private readonly written = new Set<string>();
  /** The list fetch in flight, which reads arriving meanwhile wait for. */
  private fetching: Promise<unknown> | undefined;
  private trust: Trust = "unchecked";

  constructor(
    private readonly source: ListSource<T>,
    private readonly clock: () => number = Date.now,
    /** One debug line (the client's log); never given a value DPoD sent. */
    private readonly note: (line: string) => void = () => undefined,
  ) {}

  /** Reads one object: from a fresh list when there is one, else batched with reads arriving now. */
  read(id: string): Promise<T> {
    if (this.trust === "off") return this.source.get(id);
    const fromList = this.fromList(id);
    if (fromList !== undefined) return Promise.resolve(fromList);
    if (this.fetching !== undefined) {
      // Served by the list being fetched when it has the object; otherwise (not listed, written since,
      // lacking a field, only a first page, list reads switched off, or the list failed) read by id.
      return this.fetching.then(
        () => this.fromList(id) ?? this.source.get(id),
        () => this.source.get(id),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ id, resolve, reject });
      this.timer ??= setTimeout(() => void this.flush(), BATCH_WINDOW_MS);
    });
  }

  /** Call before writing an object: later reads of it go to DPoD, never to an older list. */
  forget(id: string): void {
    this.written.add(id);
    this.listed?.items.delete(id);
  }

  /** The object from a fresh, trusted list, when it may serve a read and was not written since. */
  private fromList(id: string): T | undefined {
    if (this.listed === undefined || this.trust !== "trusted" || this.written.has(id)) return undefined;
    if (this.clock() - this.listed.at > LIST_TTL_MS) {
      this.listed = undefined;
      return undefined;
    }
    return this.listed.items.get(id);
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.timer = undefined;
    // Every waiting read settles, whatever fails: a source that throws rejects that read, never hangs it.
    const byGet = (entry: Waiting<T>) =>
      Promise.resolve()
        .then(() => this.source.get(entry.id))
        .then(entry.resolve, entry.reject);
    if (batch.length === 1 || this.trust === "off") {
      await Promise.all(batch.map(byGet));
      return;
    }
    let served: Map<string, Promise<T>>;
    const fetching = this.fetchList(batch);
    this.fetching = fetching;
    try {
      served = await fetching;
    } catch (error) {
      this.note(
        `listing ${this.source.kind} objects for ${batch.length} reads failed (${describe(error)}) ` +
          `Each is read by id instead.`,
      );
      await Promise.all(batch.map(byGet));
      return;
    } finally {
      if (this.fetching === fetching) this.fetching = undefined;
    }
    await Promise.all(
      batch.map((entry) => {
        const item = this.written.has(entry.id) ? undefined : served.get(entry.id);
        return item === undefined ? byGet(entry) : item.then(entry.resolve, entry.reject);
      }),
    );
  }

  /**
   * Fetches the list (every page when it has no more pages than reads are waiting, else only the first),
   * checks it against a GET the first time, and returns what may serve the batch: listed items that
   * carry every field a read needs, and the checking GET's answer. Only a complete, trusted list is kept.
   */
  private async fetchList(batch: readonly Waiting<T>[]): Promise<Map<string, Promise<T>>> {
    const at = this.clock();
    const all = new Map<string, T>();
    const first = await this.source.page(0, PAGE_SIZE);
    for (const item of first.content) all.set(this.source.idOf(item), item);
    const whole = !(first.totalPages > 1 && first.totalPages - 1 > batch.length);
    if (whole) {
      // The next pages as DPoD numbers them: from 1 after a first page it numbered 0, else from 2.
      const base = pageBase(first);
      const rest = await Promise.all(
        Array.from({ length: Math.max(0, first.totalPages - 1) }, (_, i) =>
          this.source.page(base + i + 1, PAGE_SIZE),
        ),
      );
      for (const page of rest) for (const item of page.content) all.set(this.source.idOf(item), item);
    }
    const served = new Map<string, Promise<T>>();
    if (this.trust === "unchecked") {
      const sample = batch.find((entry) => all.has(entry.id) && !this.written.has(entry.id));
      if (sample === undefined) return served; // nothing listed to check against: every read is a GET
      const answer = Promise.resolve().then(() => this.source.get(sample.id));
      served.set(sample.id, answer);
      let differing: string[];
      try {
        differing = differingFields(all.get(sample.id) as T, await answer, this.source.fields);
      } catch {
        return served; // the GET failed (its read reports why); the list stays unchecked, unused
      }
      if (differing.length > 0) {
        this.trust = "off";
        this.note(
          `list reads of ${this.source.kind} switched off for this process: a listed item differs from a ` +
            `GET of the same object in ${differing.join(", ")}. Every read of this kind is a GET.`,
        );
        return served;
      }
      this.trust = "trusted";
    }
    const usable = this.servable(all);
    for (const [id, item] of usable) if (!served.has(id)) served.set(id, Promise.resolve(item));
    if (whole) {
      this.listed = { items: usable, at };
      for (const id of this.written) usable.delete(id);
    }
    return served;
  }

  /** The listed items that carry every required field (common/read-fields.ts). */
  private servable(all: ReadonlyMap<string, T>): Map<string, T> {
    const { required } = this.source.fields;
    const usable = new Map<string, T>();
    for (const [id, item] of all) {
      if (required.every((field) => item[field] !== undefined)) usable.set(id, item);
    }
    return usable;
  }
}

/** The batched reads of one client: one ListReads per kind (and per child tenant, for users). */
export interface BatchedReads {
  users(tenantId: string | undefined): ListReads<User>;
  groups(): ListReads<SubscriberGroup>;
  credentials(): ListReads<ClientCredential>;
  /** Before a write of object `id`: no list fetched earlier serves it again. */
  forget(id: string): void;
}

export function batchedReads(client: DpodApi, note: (line: string) => void = () => undefined): BatchedReads {
  const users = new Map<string, ListReads<User>>();
  let groups: ListReads<SubscriberGroup> | undefined;
  let credentials: ListReads<ClientCredential> | undefined;
  const all = (): ListReads<unknown>[] =>
    [
      ...users.values(),
      ...(groups ? [groups] : []),
      ...(credentials ? [credentials] : []),
    ] as ListReads<unknown>[];
  return {
    users(tenantId) {
      const key = tenantId ?? "";
      let reads = users.get(key);
      if (reads === undefined) {
        const query = tenantId === undefined ? {} : { tenantId };
        reads = new ListReads<User>(
          {
            kind: "User",
            page: (page, size) => client.users.listPage({ ...query, page, size }),
            get: (id) => client.users.get(id, query),
            idOf: (user) => user.id,
            fields: USER_FIELDS,
          },
          Date.now,
          note,
        );
        users.set(key, reads);
      }
      return reads;
    },
    groups() {
      groups ??= new ListReads<SubscriberGroup>(
        {
          kind: "SubscriberGroup",
          page: (page, size) => client.subscriberGroups.listPage({ page, size }),
          get: (id) => client.subscriberGroups.get(id),
          idOf: (group) => group.id,
          fields: GROUP_FIELDS,
        },
        Date.now,
        note,
      );
      return groups;
    },
    credentials() {
      credentials ??= new ListReads<ClientCredential>(
        {
          kind: "ClientCredential",
          page: (page, size) => client.credentials.listPage({ page, size }),
          get: (id) => client.credentials.get(id),
          idOf: (credential) => credential.clientId,
          fields: CREDENTIAL_FIELDS,
        },
        Date.now,
        note,
      );
      return credentials;
    },
    forget(id) {
      for (const reads of all()) reads.forget(id);
    },
  };
}

const perClient = new WeakMap<object, BatchedReads>();

/**
 * The batched reads of a client, one set per client for the life of the process; debug lines go to the
 * client's log.
 */
export function readsFor(client: DpodApi & { note?: (line: string) => void }): BatchedReads {
  let reads = perClient.get(client);
  if (reads === undefined) {
    reads = batchedReads(client, (line) => client.note?.(line));
    perClient.set(client, reads);
  }
  return reads;
}
