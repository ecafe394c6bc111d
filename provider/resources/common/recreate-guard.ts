/**
 * The guard on replacements that destroy something a person or another team relies on.
 *
 * Contract: when a diff would replace a User (a person's account: a new id, no password, no MFA) or a
 * ClientCredential (a new client id and secret: every consumer of the old one is cut off), the diff fails,
 * and so `pulumi preview` and `pulumi up` fail before any API call, naming each field, its recorded and
 * desired values, and the way out: change the program back, or set `allowRecreate: true` on the resource.
 * This matters most where DPoD's immutability is our inference (docs/troubleshooting.md), and when
 * `pulumi up --refresh` would "repair" an edit made in the console by recreating the object.
 * A replacement forced with `pulumi up --replace` changes none of these fields, so it is not refused; a
 * program that lists such a field in `replaceOnChanges` still needs `allowRecreate` for it.
 */
import { readText, UNKNOWN } from "./values";

export interface ReplacedField {
  key: string;
  /** The value the stack records (DPoD's, after a refresh), already safe to print. */
  recorded: string;
  /** The value the program declares, already safe to print. */
  desired: string;
}

/** A value as messages show it: lists in brackets, absent as "(none)". Only for non-secret fields. */
export function shown(value: unknown): string {
  if (value === undefined || value === null || value === "") return "(none)";
  if (value === UNKNOWN) return "(a value known only during the update)";
  if (Array.isArray(value)) return `[${value.map(shown).join(", ")}]`;
  return readText(value) ?? String(value);
}

/** Whether the program opted in (`allowRecreate: true`); an unknown or absent value does not. */
export function recreateAllowed(inputs: Record<string, unknown>): boolean {
  return inputs.allowRecreate === true;
}

/**
 * Throws when `fields` (the replacing changes) is not empty and the program did not opt in.
 * @param subject e.g. `User "alice@example.com" (id …)`
 * @param consequence what the replacement destroys, as a sentence fragment
 */
export function guardRecreate(
  subject: string,
  fields: readonly ReplacedField[],
  allowed: boolean,
  consequence: string,
): void {
  if (fields.length === 0 || allowed) return;
  const changes = fields.map((f) => `${f.key} (${f.recorded} in the stack, ${f.desired} in the program)`);
  throw new Error(
    `${subject}: changing ${changes.join(" and ")} cannot be done in place, so it would ${consequence}. ` +
      `Nothing was changed. To keep the object, change the program back to the recorded ` +
      `value${fields.length > 1 ? "s" : ""} (after \`pulumi refresh\`, the stack records DPoD's). To accept ` +
      `the replacement, set \`allowRecreate: true\` on the resource and run again.`,
  );
}
