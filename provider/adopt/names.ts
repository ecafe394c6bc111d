/**
 * Names for generated declarations, derived from DPoD names only, so that the same tenant always gives
 * the same program: a resource name (a slug: lower-case ASCII letters, digits and hyphens, safe in URNs
 * and import files whatever the DPoD name holds) and a TypeScript variable (a kind prefix and the slug in
 * PascalCase, so it is a valid identifier and never a reserved word).
 *
 * Contract: within one kind, objects whose slugs collide (names differ only in case or odd characters,
 * or are equal, as credential names may be) get `-<last 8 characters of the id>` appended, each of them;
 * a name with no usable character becomes `<fallback>-<id prefix>`.
 */

export interface DeclarationName {
  /** The Pulumi resource name. */
  resourceName: string;
  /** The TypeScript variable holding the resource. */
  variable: string;
}

/** Lower-case ASCII slug: accents dropped, every run of other characters one hyphen, none at the ends. */
export function slug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function pascal(slugText: string): string {
  return slugText
    .split("-")
    .filter((part) => part !== "")
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");
}

function idPrefix(id: string): string {
  return slug(id).replace(/-/g, "").slice(-8) || "x";
}

/**
 * Names for one kind's objects. `items` are [id, DPoD name] pairs; the answer maps each id to its names.
 * @param prefix the variable prefix, e.g. "group"
 * @param fallback the resource name stem for a DPoD name without a usable character, e.g. "group"
 */
export function assignNames(
  items: ReadonlyArray<readonly [id: string, name: string]>,
  prefix: string,
  fallback: string,
): Map<string, DeclarationName> {
  const stems = items.map(([id, name]) => [id, slug(name)] as const);
  const counts = new Map<string, number>();
  for (const [, stem] of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
  const names = new Map<string, DeclarationName>();
  const used = new Set<string>();
  for (const [id, stem] of stems) {
    let resourceName =
      stem === "" ? `${fallback}-${idPrefix(id)}` : counts.get(stem) === 1 ? stem : `${stem}-${idPrefix(id)}`;
    if (used.has(resourceName)) resourceName = `${stem || fallback}-${slug(id)}`;
    used.add(resourceName);
    names.set(id, { resourceName, variable: `${prefix}${pascal(resourceName)}` });
  }
  return names;
}
