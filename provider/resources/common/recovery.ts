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
 *   - User and SubscriberGroup (unique keys): the one object with the key matches every create field and
 *     DPoD's `createdAt` is no earlier than CLOCK_SKEW_MS before the request. A missing `createdAt` proves
 *     nothing: such an object is taken over only under dpod:adoptIdentical, with a warning that names
 *     the rule and the missing fact.
 *   Anything less fails with an error that says the create may or may not have happened, names the
 *   candidates by id and the rule that failed. Nothing is adopted, so no secret is reset and no later
 *   destroy deletes it.
 * - Candidates are compared as a GET answers them (the handlers' `find`), never from a list item, which
 *   may be a summary; a field DPoD did not send counts as a difference.
 * - A lookup that fails keeps the "may have reached DPoD" context in its message, and a 409 keeps its
 *   explanation when the lookup dpod:adoptIdentical makes fails.
 * - Lookups are de-duplicated by id: a page boundary can repeat an object while the tenant changes.
 *
 * No message built here contains a secret: only kinds, names, ids and already redacted client messages.
 */
import { DpodConflictError } from "../../client";
import { describe } from "./errors";

/** How far DPoD's clock may run behind ours when `createdAt` is compared with the time of a request. */
export const CLOCK_SKEW_MS = 2 * 60 * 1000;

/**
 * What DPoD's `createdAt` says about whether an object can have come from a request sent at
 * `requestStart`: "since-request" (the only verdict that proves it), "before-request" (earlier than the
 * request by more than the allowed clock skew), "unreadable", or "not-reported" (no createdAt: nothing
 * is proven either way).
 */
export type CreatedAtVerdict = "since-request" | "before-request" | "unreadable" | "not-reported";

export function createdAtVerdict(createdAt: string | undefined, requestStart: Date): CreatedAtVerdict {
  if (createdAt === undefined || createdAt === "") return "not-reported";
  const created = Date.parse(createdAt);
  if (Number.isNaN(created)) return "unreadable";
  return created >= requestStart.getTime() - CLOCK_SKEW_MS ? "since-request" : "before-request";
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
  /** Why the existing object could not be looked up for comparison (policy on). */
  lookupError?: unknown;
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
  const head = `${kind} ${key} already exists in DPoD${existing} (${error.status ?? 409}: ${error.dpodMessage ?? "conflict"}), and this stack has no record of it.`;
  const notTakenOver =
    context.lookupError !== undefined
      ? `looking it up to compare it with the program failed (${describe(context.lookupError).replace(/[.!?]$/, "")})`
      : context.differing && context.differing.length > 0
        ? `it differs from the program in ${context.differing.join(", ")}`
        : context.existingIds?.length === 0
          ? "no object with this key was found when it was looked up"
          : "more than one object has this key";
  const interrupted = context.adoptIdenticalOn
    ? `dpod:adoptIdentical is on, but it was not taken over: ${notTakenOver}. If an interrupted \`pulumi up\` of this stack created it, make the program match it (or change it in DPoD) and run \`pulumi up\` again.`
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

/** The warning when dpod:adoptIdentical takes over, after a lost create, an object DPoD gave no createdAt. */
export function adoptedUnprovenWarning(kind: string, key: string, id: string): string {
  return (
    `${kind} ${key}: the create's answer was lost, and DPoD reported no createdAt for the ${kind} now ` +
    `holding this key (id ${id}), so nothing proves this create made it. It was taken over because it is ` +
    `identical to the program and dpod:adoptIdentical is on (that rule assumes an identical object is this ` +
    `stack's). If it belongs to someone else, remove it from this stack with \`pulumi state delete\`.`
  );
}

/**
 * After a create of a unique-key object whose answer was lost: the object it made, when one object has
 * the key, matches every create field and DPoD's createdAt proves it was not created before the request.
 * With no createdAt, the identical object is taken over only under dpod:adoptIdentical (with a warning).
 * Else an error saying which rule failed and that nothing was adopted.
 */
export async function recoverUniqueKeyCreate<T>(
  lookup: UniqueKeyLookup<T>,
  cause: unknown,
  requestStart: Date,
  policy: { adoptIdentical?: boolean; warn: (message: string) => void },
): Promise<T> {
  const { kind, key, noun } = lookup;
  const found = await lookupAfterLostCreate(kind, key, cause, lookup.find);
  const existing = found[0];
  if (existing === undefined) {
    throw unresolvedLostCreate(
      kind,
      key,
      cause,
      `No ${noun} ${key} exists now, so it was most likely not created; run \`pulumi up\` again.`,
    );
  }
  const ids = found.map(lookup.idOf).join(", ");
  const advice =
    `If it is this stack's, make the program match it and set \`adopt: true\` (or turn on ` +
    `dpod:adoptIdentical); if it is someone else's, choose another ${lookup.keyName}.`;
  if (found.length > 1) {
    throw unresolvedLostCreate(
      kind,
      key,
      cause,
      `${found.length} objects hold this key (id ${ids}), so none can be proven to be this create's. ${advice}`,
    );
  }
  const differing = lookup.differences(existing);
  if (differing.length > 0) {
    throw unresolvedLostCreate(
      kind,
      key,
      cause,
      `A ${noun} ${key} exists (id ${ids}), but it differs from the program in ${differing.join(", ")}, so ` +
        `it cannot be proven to be this create's. ${advice}`,
    );
  }
  const createdAt = lookup.createdAtOf(existing);
  const verdict = createdAtVerdict(createdAt, requestStart);
  if (verdict === "since-request") return existing;
  if (verdict === "not-reported" && policy.adoptIdentical) {
    policy.warn(adoptedUnprovenWarning(kind, key, ids));
    return existing;
  }
  const why =
    verdict === "not-reported"
      ? `DPoD reported no createdAt for it, and without one nothing proves this create made it (an ` +
        `identical object may be someone else's; only dpod:adoptIdentical takes one over on that ground)`
      : verdict === "unreadable"
        ? `DPoD's createdAt for it ("${createdAt}") is not a readable time, so nothing proves this create ` +
          `made it`
        : `DPoD reports it created at ${createdAt}, before this request`;
  throw unresolvedLostCreate(
    kind,
    key,
    cause,
    `A ${noun} ${key} identical to the program exists (id ${ids}), but ${why}, so it cannot be proven to ` +
      `be this create's. ${advice}`,
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
  let found: T[];
  try {
    found = await lookup.find();
  } catch (lookupError) {
    // The 409 is the user's story: a lookup that fails is added to it, never replaces it.
    throw explainCreateConflict(kind, key, conflict, { adoptIdenticalOn: true, lookupError });
  }
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
