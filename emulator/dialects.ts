/**
 * THE dialect table: every switchable departure from the emulator's reading of the DPoD contract.
 *
 * Much of that reading is INFERRED (docs/dpod-api-notes.md). Each dialect flips one inference to a plausible
 * alternative, so a client can be tried against a DPoD that differs in one way at a time. With no dialect
 * the emulator answers exactly as its default reading says. The modules that implement a dialect read it
 * from here by name (`ActiveDialects.has`); this table is the only list of names, and docs/emulator.md and
 * docs/dpod-api-notes.md name every entry (a test holds that).
 *
 * Dialects change only DPoD-contract answers (/v1 and the token endpoints), never the /_emulator routes.
 * They are chosen at start (CLI `--dialect`, option `dialects`) and switched at run time through
 * /_emulator/dialects; they are not kept in the state file.
 */

export interface DialectEntry {
  /** The emulator's default reading that this dialect contradicts. */
  readonly assumes: string;
  /** What the emulator does instead while the dialect is active. */
  readonly instead: string;
  /** Dialects sharing a group contradict each other; at most one of a group is active. */
  readonly group?: string;
}

export const DIALECTS = {
  "no-created-at": {
    assumes: "users, subscriber groups and credentials report `createdAt`",
    instead: "no answer carries `createdAt`",
  },
  "no-created-by": {
    assumes: "credentials report `createdBy` (the client id that created them)",
    instead: "no credential answer carries `createdBy`",
  },
  "summary-lists": {
    assumes: "list items are the same model as a GET by id",
    instead:
      "list items leave out `subscriberGroups`, `serviceIds`, `phoneNumber`, `emailHints` and `description`; a GET by id still answers the full object",
  },
  "short-role-names": {
    assumes:
      "`role` and `accountRole` are echoed in the form they were sent (the provider sends the full scope)",
    instead: "answers give roles in short form (`admin`, `api_appowner`, ...) whatever form was sent",
  },
  "create-status-200": {
    assumes: "creating a user or a subscriber group answers 201 (a credential 200)",
    instead: "every create answers 200",
    group: "create-status",
  },
  "create-status-201": {
    assumes: "creating a client credential answers 200 (users and groups 201)",
    instead: "every create answers 201",
    group: "create-status",
  },
  "one-based-pages": {
    assumes: "`page` counts from 0, in the query and in the envelope's `number`",
    instead:
      "`page` counts from 1 in the query and in `number`; `page=0` is served as the first page, as Spring's one-indexed parameters do",
  },
  "no-total-pages": {
    assumes: "the page envelope carries `totalPages`",
    instead: "the envelope has no `totalPages` (`totalElements` is still there)",
  },
  "slice-pages": {
    assumes: "the page envelope carries `totalElements` and `totalPages`",
    instead:
      "the envelope is a Spring slice: `content`, `number`, `size`, `numberOfElements`, `first`, `last`, `empty`, no totals",
  },
  "page-size-cap-20": {
    assumes: "a page holds up to 100 items",
    instead: "a page holds at most 20 items (a larger `size` is lowered to 20, and the envelope says so)",
  },
  "reject-oversized-pages": {
    assumes: "a `size` above the maximum is lowered to it",
    instead: "a `size` above the maximum is refused with 400",
  },
  "error-body-nested": {
    assumes: "/v1 error bodies are Spring's (`timestamp`, `status`, `error`, `message`, `path`) plus `code`",
    instead: 'error bodies are `{"error": {"code": <status>, "message": "..."}}`',
    group: "error-body",
  },
  "error-body-text": {
    assumes: "/v1 error bodies are Spring's (`timestamp`, `status`, `error`, `message`, `path`) plus `code`",
    instead: "error bodies are the message alone, as `text/plain`",
    group: "error-body",
  },
  "scope-claim-string": {
    assumes: "the access token's `scope` claim is a JSON array",
    instead: "the `scope` claim is one space-separated string",
  },
  "scope-answer-array": {
    assumes: "the token answer's `scope` is one space-separated string (RFC 6749)",
    instead: "the token answer's `scope` is a JSON array",
  },
  "duplicate-400": {
    assumes: "a duplicate username or subscriber-group name is refused with 409",
    instead: "a duplicate username or subscriber-group name is refused with 400",
  },
} as const satisfies Record<string, DialectEntry>;

export type DialectName = keyof typeof DIALECTS;

export const DIALECT_NAMES = Object.keys(DIALECTS) as DialectName[];

export function isDialectName(name: string): name is DialectName {
  return Object.hasOwn(DIALECTS, name);
}

/** A dialect name, or a list of them, that is not in the table or combines contradicting dialects. */
export class DialectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DialectError";
  }
}

/**
 * Checks a list of dialect names: each must be in the table, and at most one of each group.
 * Duplicates are dropped; the result keeps the table's order.
 * @throws DialectError naming the unknown names and every valid one, or the contradicting pair
 */
export function parseDialectNames(names: readonly string[]): DialectName[] {
  const wanted = names.map((name) => name.trim()).filter((name) => name !== "");
  const unknown = wanted.filter((name) => !isDialectName(name));
  if (unknown.length > 0) {
    throw new DialectError(
      `Unknown dialect${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => `'${name}'`).join(", ")}; valid dialects are ${DIALECT_NAMES.join(", ")}`,
    );
  }
  const chosen = DIALECT_NAMES.filter((name) => wanted.includes(name));
  const byGroup = new Map<string, DialectName>();
  for (const name of chosen) {
    const group = (DIALECTS[name] as DialectEntry).group;
    if (group === undefined) continue;
    const other = byGroup.get(group);
    if (other) throw new DialectError(`Dialects '${other}' and '${name}' contradict each other; choose one`);
    byGroup.set(group, name);
  }
  return chosen;
}

/** Splits a comma-separated list, as given to the CLI's `--dialect`, and checks it. */
export function parseDialectList(list: string): DialectName[] {
  return parseDialectNames(list.split(","));
}

/** The dialects one emulator answers in now; switched at run time through /_emulator/dialects. */
export class ActiveDialects {
  private active: ReadonlySet<DialectName>;

  constructor(names: readonly string[] = []) {
    this.active = new Set(parseDialectNames(names));
  }

  has(name: DialectName): boolean {
    return this.active.has(name);
  }

  /** True when the emulator answers in its default reading. */
  get isEmpty(): boolean {
    return this.active.size === 0;
  }

  /** The active dialects, in the table's order. */
  list(): DialectName[] {
    return DIALECT_NAMES.filter((name) => this.active.has(name));
  }

  /**
   * Replaces the active set; nothing changes when a name is refused.
   * @throws DialectError as {@link parseDialectNames}
   */
  replace(names: readonly string[]): DialectName[] {
    this.active = new Set(parseDialectNames(names));
    return this.list();
  }
}
