/**
 * Input validation shared by every resource's check: zod at the edge, strict, and failures shaped the way
 * the engine prints them ({property, reason}, with the reason naming the property and the rule).
 *
 * Values that preview does not know yet (the engine's unknown sentinel) are never reported: they are
 * checked again, with their real value, when `pulumi up` runs check once more.
 */
import { z } from "zod";
import { containsUnknown, isPlainObject, withoutProvider, type PlainObject } from "./values";

/** One check failure as the dynamic-provider runtime forwards it to the engine. */
export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResult<I> {
  /** The inputs to record: the user's inputs unchanged (validated when failures is empty). */
  inputs: PlainObject;
  failures: CheckFailure[];
  /** The parsed inputs, set only when every value was known and valid. */
  parsed?: I;
}

/** Renders a property path the way users write it: `connection.apiUrl`, `subscriberGroups[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const part of path) {
    if (Array.isArray(current) && typeof part === "number") current = current[part];
    else if (isPlainObject(current) && typeof part === "string") current = current[part];
    else return undefined;
  }
  return current;
}

/**
 * Inputs that hold secrets (or objects holding secrets): the resources' password and connection, and the
 * provider's clientSecret and accessToken. The engine prints a failure's top-level property value next to
 * the reason, secret or not ("property password value {…} has a problem"), so failures about these are
 * reported without a property: the reason alone names it, and no value is printed.
 */
export const SECRET_INPUTS: ReadonlySet<string> = new Set([
  "password",
  "connection",
  "clientSecret",
  "accessToken",
]);

/** What a value is, for messages that must not repeat it: "a number", "an object", "nothing". */
export function kindOfValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "an object";
  if (typeof value === "boolean") return "a boolean";
  return typeof value === "number" ? "a number" : `a ${typeof value}`;
}

/**
 * Whether the engine may be told the failing property by name. It prints `inputs[property]` beside the
 * reason, so a name is given only for a top-level input that is present (a nested path or a missing input
 * would print `{<nil>}`) and not secret (its value would be printed). Otherwise the reason, which always
 * starts with the full path, names it alone.
 */
export function nameableProperty(
  property: string,
  inputs: unknown,
  secretKeys: ReadonlySet<string> = SECRET_INPUTS,
): boolean {
  return (
    property !== "" &&
    !secretKeys.has(property) &&
    !SECRET_INPUTS.has(property) &&
    isPlainObject(inputs) &&
    inputs[property] !== undefined
  );
}

/** A failure about `path`: the reason names the path; the property only when the engine can show it. */
function failure(input: unknown, path: readonly PropertyKey[], rule: string): CheckFailure {
  const property = formatPath(path);
  const reason = property ? `${property}: ${rule}` : rule;
  return { property: nameableProperty(property, input) ? property : "", reason };
}

/** Type errors say what they got (never the value itself, which may be a secret). */
const TYPE_ISSUES: ReadonlySet<string> = new Set(["invalid_type", "invalid_union"]);

/** Turns zod issues into check failures, skipping those about values preview does not know yet. */
export function issuesToFailures(issues: readonly z.core.$ZodIssue[], input: unknown): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        failures.push(
          failure(input, [...issue.path, key], "is not a known property; remove it or check its spelling"),
        );
      }
      continue;
    }
    const value = valueAt(input, issue.path);
    if (containsUnknown(value)) continue;
    const rule = TYPE_ISSUES.has(issue.code) ? `${issue.message}; got ${kindOfValue(value)}` : issue.message;
    failures.push(failure(input, issue.path, rule));
  }
  return failures;
}

/**
 * Validates the new inputs with a strict schema. Rules that depend on several fields are given as `rules`,
 * run only on a successful parse, so their messages are not drowned by simpler ones.
 */
export function checkInputs<S extends z.ZodType>(
  schema: S,
  news: unknown,
  rules: (parsed: z.output<S>) => CheckFailure[] = () => [],
): CheckResult<z.output<S>> {
  const inputs = withoutProvider(news);
  const result = schema.safeParse(inputs);
  if (!result.success) {
    return { inputs, failures: issuesToFailures(result.error.issues, inputs) };
  }
  if (containsUnknown(inputs)) return { inputs, failures: [] };
  const failures = rules(result.data);
  return failures.length ? { inputs, failures } : { inputs, failures, parsed: result.data };
}

/**
 * Parses inputs that check has already accepted (create, update, diff). A failure here means the engine
 * skipped check or the state was written by another version; the error names every problem.
 */
export function parseInputs<S extends z.ZodType>(
  schema: S,
  resourceKind: string,
  news: unknown,
): z.output<S> {
  const inputs = withoutProvider(news);
  const result = schema.safeParse(inputs);
  if (!result.success) {
    const reasons = issuesToFailures(result.error.issues, inputs).map((f) => f.reason);
    throw new Error(`Invalid ${resourceKind} inputs: ${reasons.join("; ")}`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------------
// Reusable field schemas, each with a message that states the rule.

export function text(min: number, max: number) {
  const rule = min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters`;
  return z.string({ error: "must be a string" }).min(min, { error: rule }).max(max, { error: rule });
}

export const uuid = z
  .string({ error: "must be a string" })
  .regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, {
    error: "must be a UUID",
  });

export function uuidList() {
  return z.array(uuid, { error: "must be a list of UUIDs" });
}

/**
 * A trigger value: any string, number or boolean, taken as its string form (2 and "2" are the same value).
 * Changing it runs the action once. Pulumi YAML passes config values that look like numbers as numbers.
 */
export const triggerValue = z
  .union([z.string(), z.number(), z.boolean()], {
    error: "must be a string, a number or a boolean (any value; change it to run the action)",
  })
  .transform(String);

/** The `adopt` input: whether create takes over an existing object with the same unique key. */
export const adoptFlag = z.boolean({ error: "must be true or false" });

export const email = z
  .string({ error: "must be a string" })
  .max(254, { error: "must be at most 254 characters" })
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: "must be an email address" });

/**
 * Attaches a user-facing description to every field of an object shape (zod metadata). The descriptions
 * are the one source of the field documentation the native plugin's schema and the SDKs generated from it
 * carry; the mapped type makes a field without a description a compile error.
 */
export function withDescriptions<T extends z.ZodRawShape>(
  shape: T,
  descriptions: { [K in keyof T]: string },
): T {
  const described = Object.entries(shape).map(([key, field]) => [
    key,
    (field as z.ZodType).meta({ description: descriptions[key as keyof T] }),
  ]);
  return Object.fromEntries(described) as T;
}
