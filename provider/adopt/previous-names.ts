/**
 * The names of a previous run, read from the import file it wrote (`--import-file`, passed back with
 * `--names-from`): the one place that maps each declared object's DPoD id to its resource name, so that a
 * regenerated program keeps every name the stack already holds (a renamed declaration would be deleted).
 *
 * Contract: the file must be what the command writes ({"resources":[{"type","name","id"}]} with this
 * provider's type tokens and resource names); anything else is refused with an error naming the entry,
 * rather than guessed at. A user's id may carry its child tenant (`<tenant id>/<user id>`).
 */
import { NATIVE_TYPE_TOKENS, type DeclaredKind } from "./kinds";
import { RESOURCE_NAME_PATTERN } from "./names";

export type PreviousNames = Readonly<Record<DeclaredKind, ReadonlyMap<string, string>>>;

export function emptyPreviousNames(): PreviousNames {
  return { SubscriberGroup: new Map(), User: new Map(), ClientCredential: new Map() };
}

export function parsePreviousNames(text: string, source: string): PreviousNames {
  const fail = (what: string) => new Error(`${source}: ${what}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw fail(`not JSON (${(error as Error).message})`);
  }
  const resources = (document as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(resources)) {
    throw fail('expected {"resources": [...]}, as written by --import-file');
  }
  const kinds = new Map(Object.entries(NATIVE_TYPE_TOKENS).map(([kind, token]) => [token, kind]));
  const names = { SubscriberGroup: new Map(), User: new Map(), ClientCredential: new Map() } as Record<
    DeclaredKind,
    Map<string, string>
  >;
  resources.forEach((entry: unknown, index) => {
    const at = `resources[${index}]`;
    const { type, name, id } = (entry ?? {}) as Record<string, unknown>;
    const kind = typeof type === "string" ? (kinds.get(type) as DeclaredKind | undefined) : undefined;
    if (kind === undefined) {
      throw fail(`${at}.type: must be one of ${Object.values(NATIVE_TYPE_TOKENS).join(", ")}`);
    }
    if (typeof name !== "string" || !RESOURCE_NAME_PATTERN.test(name)) {
      throw fail(`${at}.name: must be lower-case letters and digits joined by single hyphens`);
    }
    if (typeof id !== "string" || id === "") throw fail(`${at}.id: must be a non-empty string`);
    const dpodId = kind === "User" ? id.slice(id.lastIndexOf("/") + 1) : id;
    const ofKind = names[kind];
    if (ofKind.has(dpodId)) throw fail(`${at}.id: ${JSON.stringify(id)} is listed twice`);
    if ([...ofKind.values()].includes(name)) {
      throw fail(`${at}.name: ${JSON.stringify(name)} is given to two ${kind} objects`);
    }
    ofKind.set(dpodId, name);
  });
  return names;
}
