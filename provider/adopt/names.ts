/**
 * Names for generated declarations: a resource name (a slug: lower-case ASCII letters, digits and
 * hyphens, safe in URNs and import files whatever the DPoD name holds) and a TypeScript variable (a kind
 * prefix and the resource name in PascalCase, so it is a valid identifier and never a reserved word).
 *
 * Contract (docs: examples/adopt-tenant/README.md#names):
 * - Unique: within one kind, no two objects get the same resource name, and distinct resource names
 *   always give distinct variables (`team-1` is `Team_1`, `team1` is `Team1`).
 * - Stable when objects appear: an object's name depends only on the objects of its kind that DPoD
 *   reports as created no later than it, so a newer object never renames an older one. Objects are
 *   named oldest first; each takes the first free name of: its slug, if every other object with that
 *   slug is provably younger (a later `createdAt`); `<slug>-<last 8 characters of its id>`;
 *   `<slug>-<whole id>`; that with `-2`, `-3`... (only names older objects took lead there). A name
 *   with no usable character has the stem `<fallback>` and no plain form. An object without a
 *   `createdAt` is named after all others, and with it (or on a tie) no object of the slug keeps the
 *   plain name: the rule alone cannot hold names there, which is what `kept` is for.
 * - `kept` (the names of a previous run, by id) wins over everything: those objects keep their name, and
 *   no other object takes any name listed there, even of an object that is gone.
 * - The names are computed over every object of the kind DPoD listed, whether or not it is declared,
 *   so changing a filter, or an object becoming declarable, renames nothing else.
 */

export interface DeclarationName {
  /** The Pulumi resource name. */
  resourceName: string;
  /** The TypeScript variable holding the resource. */
  variable: string;
}

export interface NamedObject {
  /** The DPoD id (a credential's client id). */
  id: string;
  /** The DPoD name (a user's username). */
  name: string;
  /** When DPoD says it created the object; undefined when DPoD did not say. */
  createdAt?: string;
}

/** The shape of every resource name this module writes: lower-case slug parts joined by one hyphen. */
export const RESOURCE_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Lower-case ASCII slug: accents dropped, every run of other characters one hyphen, none at the ends. */
export function slug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The variable for a resource name: the prefix, then each hyphen-separated part with its first letter
 * upper-cased, or `_` before a part that starts with a digit (where no capital can mark the boundary).
 * Injective on RESOURCE_NAME_PATTERN: parts hold no capital and no `_`, so the boundaries can be read back.
 */
export function variableFor(prefix: string, resourceName: string): string {
  return (
    prefix +
    resourceName
      .split("-")
      .filter((part) => part !== "")
      .map((part) => (/^[a-z]/.test(part) ? part[0]!.toUpperCase() + part.slice(1) : `_${part}`))
      .join("")
  );
}

function idSlug(id: string): string {
  return slug(id).replace(/-/g, "") || "x";
}

function createdTime(item: NamedObject): number | undefined {
  if (item.createdAt === undefined) return undefined;
  const time = Date.parse(item.createdAt);
  return Number.isNaN(time) ? undefined : time;
}

/** Oldest first; objects without a known creation time last; the id breaks ties. */
function byAge(a: { item: NamedObject; time?: number }, b: { item: NamedObject; time?: number }): number {
  if (a.time !== b.time) {
    if (a.time === undefined) return 1;
    if (b.time === undefined) return -1;
    return a.time - b.time;
  }
  return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
}

/**
 * Names for one kind's objects; the answer maps each id to its names.
 * @param prefix the variable prefix, e.g. "group"
 * @param fallback the resource name stem for a DPoD name without a usable character, e.g. "group"
 * @param kept resource names of a previous run, by id (each must match RESOURCE_NAME_PATTERN)
 */
export function assignNames(
  items: readonly NamedObject[],
  prefix: string,
  fallback: string,
  kept: ReadonlyMap<string, string> = new Map(),
): Map<string, DeclarationName> {
  const resourceNames = new Map<string, string>();
  const taken = new Set<string>(kept.values());
  const present = new Set(items.map((item) => item.id));
  for (const [id, name] of kept) if (present.has(id)) resourceNames.set(id, name);

  const entries = items.map((item) => ({ item, stem: slug(item.name), time: createdTime(item) }));
  const bySlug = new Map<string, typeof entries>();
  for (const entry of entries) bySlug.set(entry.stem, [...(bySlug.get(entry.stem) ?? []), entry]);
  const provablyOldest = (entry: (typeof entries)[number]) =>
    entry.stem !== "" &&
    (bySlug.get(entry.stem) ?? []).every(
      (other) =>
        other === entry || (entry.time !== undefined && other.time !== undefined && other.time > entry.time),
    );

  for (const entry of [...entries].sort(byAge)) {
    if (resourceNames.has(entry.item.id)) continue;
    const stem = entry.stem || fallback;
    const candidates = [
      ...(provablyOldest(entry) ? [stem] : []),
      `${stem}-${idSlug(entry.item.id).slice(-8)}`,
      `${stem}-${idSlug(entry.item.id)}`,
    ];
    let free = candidates.find((candidate) => !taken.has(candidate));
    for (let n = 2; free === undefined; n++) {
      const numbered = `${candidates[candidates.length - 1]}-${n}`;
      if (!taken.has(numbered)) free = numbered;
    }
    taken.add(free);
    resourceNames.set(entry.item.id, free);
  }

  const names = new Map<string, DeclarationName>();
  for (const item of items) {
    const resourceName = resourceNames.get(item.id)!;
    names.set(item.id, { resourceName, variable: variableFor(prefix, resourceName) });
  }
  return names;
}
