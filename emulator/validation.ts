/**
 * Input validation at the HTTP edge: request bodies through zod strict schemas, path ids and query values by
 * hand. Every failure becomes an ApiError 400 whose message names the offending field, so a client author can
 * see what to fix without reading the emulator's code.
 */
import { z } from "zod";
import { ApiError } from "./errors";
import { findPatchViolation, type PatchableResource, type TextLimit } from "./field-rules";
import { RULE_STATUS } from "./status-codes";

/**
 * Canonical UUID text, any version (DPoD ids are checked as 36-character UUIDs,
 * docs/dpod-api-notes.md#identifiers-and-timestamps).
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_PATTERN.test(value);
}

/** Returns the lower-cased UUID, or throws 400 naming the parameter. */
export function parseUuid(value: unknown, name: string): string {
  if (!isUuid(value)) throw new ApiError(400, `Parameter '${name}' must be a UUID`);
  return value.toLowerCase();
}

/** Reads one optional query value; a repeated key (`?a=1&a=2`) is a 400, not a silent pick. */
export function singleQueryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ApiError(400, `Query parameter '${name}' must be given once`);
  return value;
}

/** Reads a repeatable query value (`?serviceIds=a&serviceIds=b`) as a list. */
export function repeatedQueryValues(query: unknown, name: string): string[] {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** A field path as a client author writes it, e.g. serviceIds[0] or emailHints.locale. */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index > 0 ? "." : ""}${String(part)}`))
    .join("");
}

/** The value at `path` inside `input`, or undefined when any step is missing. */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Turns the first zod issue into one sentence that names the field. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = fieldPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys
        .map((key) => `'${where ? `${where}.` : ""}${key}'`)
        .join(", ")}`;
    case "invalid_type":
      if (!where) return `Request body must be a JSON ${issue.expected}`;
      return valueAt(input, issue.path) === undefined
        ? `Field '${where}' is required`
        : `Field '${where}' must be of type ${issue.expected === "record" ? "object" : issue.expected}`;
    default:
      return where ? `Field '${where}': ${issue.message}` : issue.message;
  }
}

/** Validates a request body; an absent body is treated as `{}` so required fields are named. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const input = body === undefined ? {} : body;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw new ApiError(400, first ? describeIssue(first, input) : "Invalid request body");
}

// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A string within `limit`, without control characters; a required one must not be blank. */
export function boundedText(limit: TextLimit) {
  return z
    .string()
    .min(limit.min, `must be at least ${limit.min} character${limit.min === 1 ? "" : "s"}`)
    .max(limit.max, `must be at most ${limit.max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), "must not contain control characters")
    .refine((value) => limit.min === 0 || value.trim().length > 0, "must not be blank");
}

/** A UUID string, lower-cased. */
export const uuidText = z
  .string()
  .regex(UUID_PATTERN, "must be a UUID")
  .transform((value) => value.toLowerCase());

/** A list of UUIDs, lower-cased and de-duplicated. */
export const uuidList = z.array(uuidText).transform((ids) => [...new Set(ids)]);

/**
 * Validates a PATCH body: it must be a non-empty object; immutable fields may only repeat the current value
 * (field-rules.ts); the mutable fields present are then checked by `mutableSchema`.
 * @param current the object's current response view, to compare immutable fields against
 */
export function parsePatchBody<Schema extends z.ZodType>(
  resource: PatchableResource,
  mutableSchema: Schema,
  body: unknown,
  current: object,
): z.output<Schema> {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError(400, "Request body must be a JSON object");
  }
  const fields = body as Record<string, unknown>;
  if (Object.keys(fields).length === 0)
    throw new ApiError(400, "Request body must contain at least one field");
  const violation = findPatchViolation(resource, fields, current as Record<string, unknown>);
  if (violation?.reason === "unknown") throw new ApiError(400, `Unknown field '${violation.field}'`);
  if (violation?.reason === "immutable") {
    throw new ApiError(
      RULE_STATUS.immutableField,
      `Field '${violation.field}' cannot be changed after creation; delete and re-create the object instead`,
    );
  }
  const schemaShape = (mutableSchema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const mutableFields = Object.fromEntries(Object.entries(fields).filter(([field]) => field in schemaShape));
  return parseBody(mutableSchema, mutableFields);
}
