/**
 * Create recovery: what a handler may do when a create's outcome is unknown, or its key is already taken.
 *
 * Contract (every handler follows it; the reasons are in docs/troubleshooting.md):
 * - The stack never takes over an object it cannot prove it created, unless the program opted in: `adopt:
 *   true` on a User or SubscriberGroup, or the provider-wide `dpod:adoptIdentical` policy, which takes over
 *   a user or group that exists identical to the declaration (an interrupted `pulumi up` leaves those).
 * - After a create whose answer was lost (AmbiguousCreateError), the proof is:
 *   - ClientCredential (names are not unique): the credential carries the temporary name unique to that
 *     create attempt (client-credential/temporary-name.ts), under which it was created before its rename;
 *   - User and SubscriberGroup (unique keys): the one object with the key matches every create field and,
 *     where DPoD reports `createdAt`, was created no earlier than CLOCK_SKEW_MS before the request.
 *   Anything less fails with an error that says the create may or may not have happened and names the
 *   candidates by id. Nothing is adopted, so no secret is reset and no later destroy deletes it.
 * - A lookup that fails keeps the "may have reached DPoD" context in its message.
 * - Lookups are de-duplicated by id: a page boundary can repeat an object while the tenant changes.
 *
 * No message built here contains a secret: only kinds, names, ids and already redacted client messages.
 */
import { DpodConflictError } from "../../client";
import { describe } from "./errors";

/** How far DPoD's clock may run behind ours when `createdAt` is compared with the time of a request. */
export const CLOCK_SKEW_MS = 2 * 60 * 1000;

/** The items with distinct ids, first occurrence kept, in order. */
export function distinctById<T>(items: Iterable<T>, idOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  const distinct: T[] = [];
  for (const item of items) {
    const id = idOf(item);
    if (seen.has(id)) continue;
    seen.add(id);
    distinct.push(item);
  }
  return distinct;
}

/**
 * Whether an object DPoD reports as created at `createdAt` can have come from a request sent at
 * `requestStart`: true when DPoD does not report the time (nothing to disprove), false when it is
 * unreadable or earlier than the request by more than the allowed clock skew.
 */
export function createdSince(createdAt: string | undefined, requestStart: Date): boolean {
  if (createdAt === undefined || createdAt === "") return true;
  const created = Date.parse(createdAt);
  return !Number.isNaN(created) && created >= requestStart.getTime() - CLOCK_SKEW_MS;
}

/** "ids a, b" or "no id", for messages. */
export function idsText(ids: readonly string[]): string {
  return ids.length === 0 ? "none" : ids.join(", ");
}

/**
 * Runs the lookup that follows a create whose answer was lost. A failure of the lookup itself is reported
 * together with the create's: the object may exist, and the user must know that before retrying.
 */
export async function lookupAfterLostCreate<T>(
  kind: string,
  key: string,
  cause: unknown,
  lookup: () => Promise<T>,
): Promise<T> {
  try {
    return await lookup();
  } catch (lookupError) {
    throw new Error(
      `Creating ${kind} ${key} may or may not have reached DPoD (${describe(cause)}) Looking it up ` +
        `afterwards failed too (${describe(lookupError)}) Nothing was recorded. Check the tenant for ${kind} ` +
        `${key} before running \`pulumi up\` again: if the create happened and you run again, a ${kind} ` +
        `whose key must be unique fails with 409 (a ClientCredential is found by its temporary name and taken over).`,
    );
  }
}

/** The error when a create whose answer was lost cannot be proven to have made exactly one object. */
export function unresolvedLostCreate(kind: string, key: string, cause: unknown, detail: string): Error {
  return new Error(
    `Creating ${kind} ${key} may or may not have reached DPoD (${describe(cause)}) ${detail} Nothing was ` +
      `adopted: the stack only takes over an object it can prove it created.`,
  );
}

/** How the 409 explanation should read: whether dpod:adoptIdentical was on, and what differed then. */
export interface ConflictContext {
  adoptIdenticalOn: boolean;
  /** The fields in which the existing object differs from the program (policy on). */
  differing?: readonly string[];
  /** The ids of the existing objects with the key (more than one means it was not adoptable). */
  existingIds?: readonly string[];
}

/**
 * A create refused because the unique key is taken (409), explained with both usual stories: the stack's
 * own object left by an interrupted `pulumi up`, or someone else's object. Other errors pass through.
 */
export function explainCreateConflict(
  kind: string,
  key: string,
  error: unknown,
  context: ConflictContext,
): unknown {
  if (!(error instanceof DpodConflictError)) return error;
  const existing =
    context.existingIds && context.existingIds.length > 0 ? ` (id ${idsText(context.existingIds)})` : "";
  const head = `${kind} ${key} already exists in DPoD${existing} (409: ${error.dpodMessage ?? "conflict"}), and this stack has no record of it.`;
  const interrupted = context.adoptIdenticalOn
    ? `dpod:adoptIdentical is on, but it was not taken over: ${
        context.differing && context.differing.length > 0
          ? `it differs from the program in ${context.differing.join(", ")}`
          : "more than one object has this key"
      }. If an interrupted \`pulumi up\` of this stack created it, make the program match it (or change it in DPoD) and run \`pulumi up\` again.`
    : `If an earlier \`pulumi up\` of this stack was interrupted after DPoD created it (the CLI warns about ` +
      `pending operations), run \`pulumi config set dpod:adoptIdentical true\` and \`pulumi up\` again: an ` +
      `object identical to the program is then taken over; then \`pulumi refresh --clear-pending-creates ` +
      `--yes\` clears the warning.`;
  return new Error(
    `${head} ${interrupted} If it belongs to someone else, choose another name, set \`adopt: true\` on the ` +
      `resource to take it over on purpose, or delete it.`,
  );
}

/**
 * For `adopt: true`: the one existing object with the resource's unique key, or undefined when there is
 * none. Several would mean the key is not unique after all: adopting any of them could take over the
 * wrong one, so that is an error.
 */
export function onlyCandidate<T>(found: readonly T[], kind: string, key: string): T | undefined {
  if (found.length > 1) {
    throw new Error(
      `${kind} ${key}: ${found.length} objects with this key exist in DPoD, so adopt cannot tell which one to ` +
        `take over; remove the extra ones or drop \`adopt\`.`,
    );
  }
  return found[0];
}

/** The warning when dpod:adoptIdentical takes an object over. */
export function adoptedIdenticalWarning(kind: string, key: string, id: string): string {
  return (
    `${kind} ${key} already existed in DPoD (id ${id}) identical to the program; it was taken over because ` +
    `dpod:adoptIdentical is on (an interrupted \`pulumi up\` of this stack leaves such objects). If it ` +
    `belongs to someone else, remove it from this stack with \`pulumi state delete\`.`
  );
}

/** How to find and compare the objects of a kind whose key DPoD keeps unique (users, groups). */
export interface UniqueKeyLookup<T> {
  kind: string;
  /** The key as messages show it, e.g. `"alice@example.com"`. */
  key: string;
  /** What messages call one object, e.g. `user` or `group named`. */
  noun: string;
  /** What to change when the key is someone else's, e.g. `username`. */
  keyName: string;
  /** The objects with the key, by distinct id. */
  find: () => Promise<T[]>;
  /** The create fields in which an object differs from the program; [] when identical. */
  differences: (item: T) => string[];
  idOf: (item: T) => string;
  createdAtOf: (item: T) => string | undefined;
}

/**
 * After a create of a unique-key object whose answer was lost: the object it made, when one object has
 * the key, matches every create field and was not created before the request; else an error saying why
 * nothing was adopted.
 */
export async function recoverUniqueKeyCreate<T>(
  lookup: UniqueKeyLookup<T>,
  cause: unknown,
  requestStart: Date,
): Promise<T> {
  const { kind, key, noun } = lookup;
  const found = await lookupAfterLostCreate(kind, key, cause, lookup.find);
  const proven = found.filter(
    (item) => lookup.differences(item).length === 0 && createdSince(lookup.createdAtOf(item), requestStart),
  );
  const only = proven[0];
  if (proven.length === 1 && only !== undefined) return only;
  const existing = found[0];
  if (existing === undefined) {
    throw unresolvedLostCreate(
      kind,
      key,
      cause,
      `No ${noun} ${key} exists now, so it was most likely not created; run \`pulumi up\` again.`,
    );
  }
  const differing = lookup.differences(existing);
  const why =
    differing.length > 0
      ? `it differs from the program in ${differing.join(", ")}`
      : `DPoD reports it created at ${lookup.createdAtOf(existing)}, before this request`;
  throw unresolvedLostCreate(
    kind,
    key,
    cause,
    `A ${noun} ${key} exists (id ${found.map(lookup.idOf).join(", ")}), but ${why}, so it cannot be proven ` +
      `to be this create's. If it is this stack's, make the program match it and set \`adopt: true\` (or ` +
      `turn on dpod:adoptIdentical); if it is someone else's, choose another ${lookup.keyName}.`,
  );
}

/**
 * A unique-key create refused with 409: under dpod:adoptIdentical, the one existing object identical to
 * the program (returned, with a warning); otherwise the explanation of the conflict.
 */
export async function adoptIdenticalOrExplain<T>(
  lookup: UniqueKeyLookup<T>,
  conflict: unknown,
  policy: { adoptIdentical?: boolean; warn: (message: string) => void },
): Promise<T> {
  const { kind, key } = lookup;
  if (!policy.adoptIdentical) throw explainCreateConflict(kind, key, conflict, { adoptIdenticalOn: false });
  const found = await lookup.find();
  const only = found[0];
  const differing = only === undefined ? [] : lookup.differences(only);
  if (found.length === 1 && only !== undefined && differing.length === 0) {
    policy.warn(adoptedIdenticalWarning(kind, key, lookup.idOf(only)));
    return only;
  }
  throw explainCreateConflict(kind, key, conflict, {
    adoptIdenticalOn: true,
    differing,
    existingIds: found.map(lookup.idOf),
  });
}
