/**
 * Which objects of a tenant the adopt command declares: by kind, by name pattern, and never the
 * credentials the command itself runs as (unless asked), since a program that manages its own
 * credential can lock itself out.
 *
 * Patterns are shell-style globs (`*` any run, `?` one character) matched against the whole DPoD name
 * (a user's username), without regard to case. An object is kept when it matches some include pattern
 * (or none are given) and no exclude pattern.
 */

export const ADOPT_KINDS = ["groups", "users", "credentials"] as const;
export type AdoptKind = (typeof ADOPT_KINDS)[number];

export interface Selection {
  kinds: ReadonlySet<AdoptKind>;
  include: readonly string[];
  exclude: readonly string[];
  /** Client ids never declared (the credentials the command runs as). */
  excludedClientIds: ReadonlySet<string>;
}

export function globToRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "is");
}

/** Whether an object named `name` is kept by the include and exclude patterns. */
export function nameSelected(selection: Pick<Selection, "include" | "exclude">, name: string): boolean {
  const matches = (pattern: string) => globToRegExp(pattern).test(name);
  return (
    (selection.include.length === 0 || selection.include.some(matches)) && !selection.exclude.some(matches)
  );
}

/** Parses the --kinds option: a comma-separated list of groups, users, credentials. */
export function parseKinds(value: string): Set<AdoptKind> {
  const kinds = new Set<AdoptKind>();
  for (const raw of value.split(",")) {
    const kind = raw.trim();
    if (kind === "") continue;
    if (!(ADOPT_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`"${kind}" is not one of ${ADOPT_KINDS.join(", ")}`);
    }
    kinds.add(kind as AdoptKind);
  }
  if (kinds.size === 0) throw new Error(`name at least one of ${ADOPT_KINDS.join(", ")}`);
  return kinds;
}
