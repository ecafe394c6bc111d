/**
 * Reads of many objects of one kind, paid in paged list calls instead of one GET each.
 *
 * A `pulumi refresh` or `preview --refresh` of N objects sends N reads to one provider process, nearly at
 * once. Reads that arrive within a short window are served together: one alone is a plain GET by id (the
 * cheapest for a lone read); several are served from the list, fetched 100 per page, so N objects cost
 * about N/100 calls. List items are the same model as a GET's answer (docs/dpod-api-notes.md), so they
 * carry every field a read maps; an item that lacks a required one is read again by id.
 *
 * Contract, what keeps drift detection exact:
 * - a fetched list serves reads only for a short time (LIST_TTL_MS) within the provider process that
 *   fetched it: one command, never a later one;
 * - a write through this process (create, update, delete, trigger) forgets that object first: the next read
 *   of it is a GET, never an item listed before the write;
 * - an id missing from a complete list is read by id (a 404 then reports it gone), never assumed gone;
 * - when the list is much larger than the reads waiting (more pages than reads), only the first page is
 *   used and the rest are GETs, so a stack of five users in a tenant of thousands stays at five calls.
 *
 * Cost: reads that arrive while a list is being fetched wait for that list instead of starting another,
 * and the pages after the first are fetched at once (the client's concurrency limit still applies), so a
 * refresh pays about one round trip per kind plus one, not one per page.
 */
import type { ClientCredential, SubscriberGroup, User } from "../../client";
import type { Page } from "../../client/paging";
import type { DpodApi } from "./lifecycle";

export const BATCH_WINDOW_MS = 15;
export const LIST_TTL_MS = 60_000;
const PAGE_SIZE = 100;

export interface ListSource<T> {
  /** One page of the list (0-based). */
  page(page: number, size: number): Promise<Page<T>>;
  /** One object by id; rejects with the client's not-found error when it does not exist. */
  get(id: string): Promise<T>;
  idOf(item: T): string;
  /** Whether a list item carries every field a read needs (else it is read by id). */
  complete(item: T): boolean;
}

interface Waiting<T> {
  id: string;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class ListReads<T> {
  private waiting: Waiting<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Items of the last list fetched, by id, and when; undefined when none is usable. */
  private listed: { items: Map<string, T>; at: number } | undefined;
  /** Ids written since the list was fetched: never served from it. */
  private readonly written = new Set<string>();
  /** The list fetch in flight, which reads arriving meanwhile wait for. */
  private fetching: Promise<unknown> | undefined;

  constructor(
    private readonly source: ListSource<T>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Reads one object: from a fresh list when there is one, else batched with reads arriving now. */
  read(id: string): Promise<T> {
    const fromList = this.fromList(id);
    if (fromList !== undefined) return Promise.resolve(fromList);
    if (this.fetching !== undefined) {
      // Served by the list being fetched when it has the object; otherwise (not listed, written since,
      // only a first page, or the list failed) read by id.
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

  /** The object from a fresh list, when listed with every field a read needs and not written since. */
  private fromList(id: string): T | undefined {
    if (this.listed === undefined || this.written.has(id)) return undefined;
    if (this.clock() - this.listed.at > LIST_TTL_MS) {
      this.listed = undefined;
      return undefined;
    }
    const item = this.listed.items.get(id);
    return item !== undefined && this.source.complete(item) ? item : undefined;
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
    if (batch.length === 1) {
      await byGet(batch[0]!);
      return;
    }
    let items: Map<string, T>;
    const fetching = this.fetchList(batch.length);
    this.fetching = fetching;
    try {
      items = await fetching;
    } catch {
      // The list failed: each read is made by id instead, and fails (or not) on its own.
      await Promise.all(batch.map(byGet));
      return;
    } finally {
      if (this.fetching === fetching) this.fetching = undefined;
    }
    await Promise.all(
      batch.map((entry) => {
        const item = this.written.has(entry.id) ? undefined : items.get(entry.id);
        return item !== undefined && this.source.complete(item) ? entry.resolve(item) : byGet(entry);
      }),
    );
  }

  /**
   * Fetches the list: every page when it has no more pages than reads are waiting, else only the first.
   * Only a complete list is kept for later reads.
   */
  private async fetchList(waiting: number): Promise<Map<string, T>> {
    const at = this.clock();
    const items = new Map<string, T>();
    const first = await this.source.page(0, PAGE_SIZE);
    for (const item of first.content) items.set(this.source.idOf(item), item);
    if (first.totalPages > 1 && first.totalPages - 1 > waiting) return items;
    const rest = await Promise.all(
      Array.from({ length: Math.max(0, first.totalPages - 1) }, (_, i) => this.source.page(i + 1, PAGE_SIZE)),
    );
    for (const page of rest) for (const item of page.content) items.set(this.source.idOf(item), item);
    this.listed = { items, at };
    for (const id of this.written) items.delete(id);
    return items;
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

const present = (value: unknown) => typeof value === "string" && value !== "";

export function batchedReads(client: DpodApi): BatchedReads {
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
        reads = new ListReads<User>({
          page: (page, size) => client.users.listPage({ ...query, page, size }),
          get: (id) => client.users.get(id, query),
          idOf: (user) => user.id,
          complete: (user) => present(user.username) && present(user.accountRole),
        });
        users.set(key, reads);
      }
      return reads;
    },
    groups() {
      groups ??= new ListReads<SubscriberGroup>({
        page: (page, size) => client.subscriberGroups.listPage({ page, size }),
        get: (id) => client.subscriberGroups.get(id),
        idOf: (group) => group.id,
        complete: (group) => present(group.name),
      });
      return groups;
    },
    credentials() {
      credentials ??= new ListReads<ClientCredential>({
        page: (page, size) => client.credentials.listPage({ page, size }),
        get: (id) => client.credentials.get(id),
        idOf: (credential) => credential.clientId,
        complete: (credential) => present(credential.name) && present(credential.role),
      });
      return credentials;
    },
    forget(id) {
      for (const reads of all()) reads.forget(id);
    },
  };
}

const perClient = new WeakMap<object, BatchedReads>();

/** The batched reads of a client, one set per client for the life of the process. */
export function readsFor(client: DpodApi): BatchedReads {
  let reads = perClient.get(client);
  if (reads === undefined) {
    reads = batchedReads(client);
    perClient.set(client, reads);
  }
  return reads;
}
