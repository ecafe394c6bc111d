/**
 * Small pure helpers shared by the three resources: undefined stripping (the engine's Struct conversion
 * refuses `undefined` anywhere, pulumi/pulumi#2205), set and map comparison, and the engine's "unknown"
 * sentinel seen during preview.
 */

/**
 * The value the engine sends for an input that is not known yet (an Output of a resource that preview has
 * not created). Seen by check and diff during `pulumi preview`; never by create, update, read or delete.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The reserved input and output key in which the dynamic-provider runtime stores the serialized provider. */
export const PROVIDER_KEY = "__provider";

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when the value is, or contains at any depth, the engine's unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isPlainObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * A deep copy without `undefined` values: object keys holding undefined are dropped, array holes become
 * nothing (arrays never legitimately hold undefined here). The result is safe for the protobuf Struct.
 */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((item) => item !== undefined).map((item) => stripUndefined(item)) as T;
  }
  if (isPlainObject(value)) {
    const out: PlainObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = stripUndefined(item);
    }
    return out as T;
  }
  return value;
}

/** A copy of the engine's property bag without the serialized provider, which no handler looks at. */
export function withoutProvider(props: unknown): PlainObject {
  if (!isPlainObject(props)) return {};
  const { [PROVIDER_KEY]: _ignored, ...rest } = props;
  return rest;
}

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

/** Order-insensitive comparison of two string lists treated as sets (absent = empty). */
export function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  if (left.size !== right.size) return false;
  for (const item of left) if (!right.has(item)) return false;
  return true;
}

/** A sorted, de-duplicated copy, so that state written for a set never changes with server order. */
export function normalizeSet(values: readonly string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort();
}

/** Comparison of two string maps (absent = empty). */
export function sameStringMap(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  const left = a ?? {};
  const right = b ?? {};
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && right[key] === left[key]);
}

/** Optional text where the API does not distinguish "" from absent (description, phone number). */
export function sameOptionalText(a: string | undefined | null, b: string | undefined | null): boolean {
  return (a ?? "") === (b ?? "");
}

/** The text, or undefined when it is empty: how optional text is kept in state. */
export function textOrUndefined(value: string | undefined | null): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : value;
}

// ---------------------------------------------------------------------------------------------------
// Lenient readers for diff, which may see preview's unknown sentinel where a value is not known yet. An
// unknown value never equals a recorded one, so it always shows as a change (the honest preview answer).

export function readText(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function readNumber(value: unknown): number | undefined {
  return typeof value === "number" ? value : value === UNKNOWN ? Number.NaN : undefined;
}

export function readList(value: unknown): string[] | undefined {
  if (value === UNKNOWN) return [UNKNOWN];
  if (!Array.isArray(value)) return undefined;
  return value.map((item) => (typeof item === "string" ? item : String(item)));
}

export function readMap(value: unknown): Record<string, string> | undefined {
  if (value === UNKNOWN) return { [UNKNOWN]: UNKNOWN };
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = String(item);
  return out;
}
