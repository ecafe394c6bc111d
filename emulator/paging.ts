/**
 * Spring-style paging (docs/dpod-api-notes.md#paging): `page` is 0-based, `size` defaults to 20, and a page past the end
 * is an empty 200. The envelope carries content, number, size, totalElements and totalPages.
 *
 * Oversized pages: the real maximum is unknown. The emulator CLAMPS `size` to the maximum (what Spring Data
 * does with its max-page-size setting) and reports the clamped size in the envelope, so a client that follows
 * `totalPages` still sees every item. This is the one place that policy lives (INFERRED).
 *
 * The paging dialects (emulator/dialects.ts) change these rules per request: see {@link pagingRulesOf}.
 */
import type { ActiveDialects } from "./dialects";
import { ApiError } from "./errors";
import { repeatedQueryValues, singleQueryValue } from "./validation";

export const PAGING_DEFAULTS = {
  defaultSize: 20,
  maxSize: 100,
  /** "clamp": size above the maximum is lowered to it; "reject": 400. */
  oversizedPolicy: "clamp" as "clamp" | "reject",
};

export interface PageRequest {
  page: number;
  size: number;
}

export interface Page<T> {
  content: T[];
  number: number;
  size: number;
  totalElements: number;
  totalPages: number;
}

const NON_NEGATIVE_INTEGER = /^\d{1,9}$/;

/**
 * Parses `page` and `size` query values (strings, or undefined when absent).
 * @throws ApiError 400 for non-integers, a negative page, a size below 1, or (policy "reject") above the max
 */
export function parsePageRequest(
  rawPage: string | undefined,
  rawSize: string | undefined,
  maxSize: number = PAGING_DEFAULTS.maxSize,
  policy: "clamp" | "reject" = PAGING_DEFAULTS.oversizedPolicy,
): PageRequest {
  const page = rawPage === undefined ? 0 : parseNonNegativeInteger(rawPage, "page");
  let size =
    rawSize === undefined
      ? Math.min(PAGING_DEFAULTS.defaultSize, maxSize)
      : parseNonNegativeInteger(rawSize, "size");
  if (size < 1) throw new ApiError(400, "Query parameter 'size' must be at least 1");
  if (size > maxSize) {
    if (policy === "reject") throw new ApiError(400, `Query parameter 'size' must be at most ${maxSize}`);
    size = maxSize;
  }
  return { page, size };
}

function parseNonNegativeInteger(raw: string, name: string): number {
  if (!NON_NEGATIVE_INTEGER.test(raw.trim())) {
    throw new ApiError(400, `Query parameter '${name}' must be a non-negative integer`);
  }
  return Number(raw.trim());
}

/** Cuts one page out of the full, already ordered result list. */
export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const start = request.page * request.size;
  return {
    content: items.slice(start, start + request.size),
    number: request.page,
    size: request.size,
    totalElements: items.length,
    totalPages: Math.ceil(items.length / request.size),
  };
}

export interface SortOrder {
  field: string;
  direction: "asc" | "desc";
}

/**
 * Parses Spring's `sort=field[,asc|desc]` (repeatable). Only `sortableFields` are accepted; anything else
 * is a 400 naming the field.
 */
export function parseSort(rawSorts: readonly string[], sortableFields: readonly string[]): SortOrder[] {
  return rawSorts.map((raw) => {
    const [field = "", direction = "asc", ...rest] = raw.split(",").map((part) => part.trim());
    const normalisedDirection = direction.toLowerCase();
    if (!sortableFields.includes(field) || rest.length > 0) {
      throw new ApiError(400, `Cannot sort by '${field}': sortable fields are ${sortableFields.join(", ")}`);
    }
    if (normalisedDirection !== "asc" && normalisedDirection !== "desc") {
      throw new ApiError(400, `Sort direction must be asc or desc, got '${direction}'`);
    }
    return { field, direction: normalisedDirection };
  });
}

/** Stable multi-key sort of response objects; items keep their original order on ties. */
export function applySort<T extends object>(items: readonly T[], orders: readonly SortOrder[]): T[] {
  if (orders.length === 0) return [...items];
  return [...items].sort((left, right) => {
    for (const { field, direction } of orders) {
      const a = String((left as Record<string, unknown>)[field] ?? "");
      const b = String((right as Record<string, unknown>)[field] ?? "");
      const compared = a.localeCompare(b);
      if (compared !== 0) return direction === "asc" ? compared : -compared;
    }
    return 0;
  });
}

/** How lists page, after the paging dialects. */
export interface PagingRules {
  maxSize: number;
  oversizedPolicy: "clamp" | "reject";
  /** The number of the first page, in the query and in the envelope's `number`. */
  firstPage: 0 | 1;
  /** "page": the default envelope; "no-total-pages": without `totalPages`; "slice": Spring's Slice, no totals. */
  envelope: "page" | "no-total-pages" | "slice";
}

/** The largest page under `page-size-cap-20`. */
export const SMALL_PAGE_CAP = 20;

/** The paging rules for the active dialects, on top of the emulator's `maxPageSize` option. */
export function pagingRulesOf(dialects: ActiveDialects, maxPageSize: number): PagingRules {
  return {
    maxSize: dialects.has("page-size-cap-20") ? Math.min(maxPageSize, SMALL_PAGE_CAP) : maxPageSize,
    oversizedPolicy: dialects.has("reject-oversized-pages") ? "reject" : PAGING_DEFAULTS.oversizedPolicy,
    firstPage: dialects.has("one-based-pages") ? 1 : 0,
    envelope: dialects.has("slice-pages")
      ? "slice"
      : dialects.has("no-total-pages")
        ? "no-total-pages"
        : "page",
  };
}

/** A list answer's JSON body: the default page envelope, or the one a paging dialect asks for. */
export type PageAnswer<T> = Page<T> | Omit<Page<T>, "totalPages"> | SliceAnswer<T>;

export interface SliceAnswer<T> {
  content: T[];
  number: number;
  size: number;
  numberOfElements: number;
  first: boolean;
  last: boolean;
  empty: boolean;
}

function envelopeOf<T>(page: Page<T>, rules: PagingRules): PageAnswer<T> {
  const number = page.number + rules.firstPage;
  if (rules.envelope === "slice") {
    return {
      content: page.content,
      number,
      size: page.size,
      numberOfElements: page.content.length,
      first: page.number === 0,
      last: page.number + 1 >= page.totalPages,
      empty: page.content.length === 0,
    };
  }
  if (rules.envelope === "no-total-pages") {
    return { content: page.content, number, size: page.size, totalElements: page.totalElements };
  }
  return { ...page, number };
}

/**
 * One list answer from request query values: sorts `items` by `sort`, then cuts the page given by `page` and
 * `size`. Used by every list operation, so they all page the same way.
 */
export function pageFromQuery<T extends object>(
  query: unknown,
  items: readonly T[],
  sortableFields: readonly string[],
  rules: PagingRules,
): PageAnswer<T> {
  const request = parsePageRequest(
    singleQueryValue(query, "page"),
    singleQueryValue(query, "size"),
    rules.maxSize,
    rules.oversizedPolicy,
  );
  // One-based pages: page 0 and page 1 both name the first page (Spring's one-indexed parameters).
  const index = Math.max(request.page - rules.firstPage, 0);
  const orders = parseSort(repeatedQueryValues(query, "sort"), sortableFields);
  return envelopeOf(paginate(applySort(items, orders), { page: index, size: request.size }), rules);
}
