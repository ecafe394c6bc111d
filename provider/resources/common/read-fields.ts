/**
 * What a read may conclude from DPoD's answers, field by field: the one rule for every kind.
 *
 * The client leaves a field undefined exactly when DPoD did not send it (client/types.ts). Each field a
 * state is made of is in one of three classes:
 * - required: the state cannot be written without it (an input, or a key that forces replacement). An
 *   answer that lacks it stops the read, or the write that got the answer, with MissingFieldError naming
 *   the field and the assumption; nothing is recorded. A listed item that lacks it is read again by id.
 * - optional: DPoD leaves it out when it is not set (docs/dpod-api-notes.md#resource-models), so an
 *   answer without it records "not set". A list that leaves it out where GET sends it is caught by the
 *   check below, when the checked object has it set.
 * - reported: facts DPoD may or may not report at all. Recorded when sent, left out when not, never
 *   inferred; their absence proves nothing (common/recovery.ts).
 * Every field of every class is compared between the first listed item of a kind and a GET of the same
 * object (common/list-reads.ts).
 */
import type { ClientCredential, SubscriberGroup, User } from "../../client";
import { orUndefinedIfNotFound } from "./errors";

export interface ReadFields<T> {
  required: readonly (keyof T & string)[];
  optional: readonly (keyof T & string)[];
  reported: readonly (keyof T & string)[];
}

export const USER_FIELDS: ReadFields<User> = {
  required: ["username", "givenName", "familyName", "accountRole", "subscriberGroups"],
  optional: ["phoneNumber"],
  reported: ["email", "tenantId", "verified", "status", "createdAt"],
};

export const GROUP_FIELDS: ReadFields<SubscriberGroup> = {
  required: ["name"],
  optional: ["description"],
  reported: ["tenantId", "createdAt"],
};

export const CREDENTIAL_FIELDS: ReadFields<ClientCredential> = {
  required: ["name", "role", "serviceIds", "subscriberGroups"],
  optional: [],
  reported: ["tenantId", "createdAt", "createdBy"],
};

/** An answer of DPoD lacks a field the provider cannot do without. */
export class MissingFieldError extends Error {
  constructor(
    readonly kind: string,
    readonly id: string,
    readonly fields: readonly string[],
  ) {
    const names = fields.join(", ");
    super(
      `DPoD's answer for ${kind} ${id} carries no ${names}. The provider assumes DPoD always sends a ` +
        `${kind}'s ${names} (docs/dpod-api-notes.md#resource-models), and it never records a value DPoD ` +
        `did not send, so nothing was recorded for ${kind} ${id} from this answer (a refresh changed ` +
        `nothing; after a create, the object exists in DPoD but not in the stack). Please report this ` +
        `answer's shape (DPOD_LOG=debug shows it).`,
    );
    this.name = "MissingFieldError";
  }
}

export type Sent<T, K extends keyof T> = T & { [P in K]-?: Exclude<T[P], undefined> };

/** The required fields DPoD did not send, in declaration order. */
export function unsent<T>(item: T, fields: readonly (keyof T & string)[]): string[] {
  return fields.filter((field) => item[field] === undefined);
}

/**
 * A write's answer, or a GET of the object when the answer lacks a required field (read-after-write: an
 * answer to a create or a PATCH may be shorter than a GET's).
 */
export async function wholeAnswer<T>(answer: T, fields: ReadFields<T>, get: () => Promise<T>): Promise<T> {
  return unsent(answer, fields.required).length === 0 ? answer : get();
}

/** `item`, known to carry every one of `fields`; else MissingFieldError naming those it lacks. */
export function requireSent<T, K extends keyof T & string>(
  kind: string,
  id: string,
  item: T,
  fields: readonly K[],
): Sent<T, K> {
  const missing = unsent(item, fields);
  if (missing.length > 0) throw new MissingFieldError(kind, id, missing);
  return item as Sent<T, K>;
}

function comparable(value: unknown): string {
  return JSON.stringify(Array.isArray(value) ? [...value].map(String).sort() : value);
}

/**
 * The fields in which two answers for the same object differ: one carries a field the other lacks, or the
 * values differ (lists compared as sets). Names only, never values.
 */
export function differingFields<T>(a: T, b: T, fields: ReadFields<T>): string[] {
  return [...fields.required, ...fields.optional, ...fields.reported].filter((field) => {
    const left = a[field];
    const right = b[field];
    if (left === undefined || right === undefined) return left !== right;
    return comparable(left) !== comparable(right);
  });
}

/**
 * Listed objects as a GET answers them, for a caller that returns every field (the data functions'
 * lists). A list may be a summary: the first object is compared with its
 * GET, and on any difference every object is read by id; one whose list item lacks a required field is
 * read by id in any case. An object gone meanwhile (404) is left out.
 */
export async function asGetAnswers<T>(
  listed: readonly T[],
  fields: ReadFields<T>,
  idOf: (item: T) => string,
  get: (id: string) => Promise<T>,
): Promise<T[]> {
  const first = listed[0];
  if (first === undefined) return [];
  const checked = await orUndefinedIfNotFound(() => get(idOf(first)));
  const summary = checked === undefined || differingFields(first, checked, fields).length > 0;
  const read = await Promise.all(
    listed.map((item, index) =>
      index === 0
        ? checked
        : summary || unsent(item, fields.required).length > 0
          ? orUndefinedIfNotFound(() => get(idOf(item)))
          : item,
    ),
  );
  return read.filter((item) => item !== undefined) as T[];
}
