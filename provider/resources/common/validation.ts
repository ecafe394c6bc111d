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
 * Inputs that hold secrets (or objects holding secrets). The engine prints a failure's top-level property
 * value next to the reason, secret or not ("property password value {…} has a problem"), so failures about
 * these are reported without a property: the reason alone names it, and no value is printed.
 */
export const SECRET_INPUTS: ReadonlySet<string> = new Set(["password", "connection"]);

function failure(path: readonly PropertyKey[], property: string, rule: string): CheckFailure {
  const reason = property ? `${property}: ${rule}` : rule;
  const root = path[0];
  return { property: typeof root === "string" && SECRET_INPUTS.has(root) ? "" : property, reason };
}

/** Turns zod issues into check failures, skipping those about values preview does not know yet. */
export function issuesToFailures(issues: readonly z.core.$ZodIssue[], input: unknown): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const parent = formatPath(issue.path);
      for (const key of issue.keys) {
        const property = parent ? `${parent}.${key}` : key;
        failures.push(
          failure([...issue.path, key], property, "is not a known property; remove it or check its spelling"),
        );
      }
      continue;
    }
    if (containsUnknown(valueAt(input, issue.path))) continue;
    failures.push(failure(issue.path, formatPath(issue.path), issue.message));
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

/** A trigger value: any string; changing it runs the action once. */
export const triggerValue = z.string({ error: "must be a string (any value; change it to run the action)" });

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
