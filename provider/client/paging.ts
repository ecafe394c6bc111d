/**
 * Paged lists (docs/dpod-api-notes.md#paging).
 *
 * Our reading: `page` counts from 0 and the envelope carries `number`, `size`, `totalElements` and
 * `totalPages`. DPoD may differ (pages counted from 1, no totals, a Spring slice with `last`, a smaller
 * size cap), so iteration follows what each answer reports rather than what it asked for:
 * - the page base comes from the first answer's `number` (page 0 answered as number 1 means pages count
 *   from 1), and each next request is the reported number plus one;
 * - the end is where the envelope puts it: `last`, else `totalPages`, else `totalElements`, else the first
 *   short or empty page (a short page whose size the server did not report is confirmed by one more call,
 *   since it may be a silent cap), and always the first empty page;
 * - the page size is the one the server reports (a server that lowers 100 to 20 is followed), and a first
 *   page refused with 400 is asked once more at FALLBACK_PAGE_SIZE (a server that refuses large sizes);
 * - an answer that contradicts these readings (a page repeating the previous one, a number other than the
 *   one asked for, more items than the page size) stops the iteration with a DpodPagingError naming the
 *   assumption: a list is never returned partial, nor with a page read twice, without saying so.
 * It never requests more than MAX_PAGES pages.
 */
import { DpodBadRequestError, pagingError } from "./errors";

/** What a list answer's envelope said, before anything was derived; absent when it did not say. */
export interface PageFacts {
  number?: number;
  size?: number;
  totalElements?: number;
  totalPages?: number;
  /** Spring slices: whether this is the last page. */
  last?: boolean;
}

export interface Page<T> {
  content: T[];
  /** This page's number as the server reported it, else the number asked for. */
  number: number;
  /** The page size the server reported, else the size asked for. */
  size: number;
  /** As reported, else derived from what came back (a lower bound when the server gave no totals). */
  totalElements: number;
  /** As reported, else derived (one more than this page while full pages come without totals). */
  totalPages: number;
  /** What the envelope actually said (iteration trusts only these). */
  reported: PageFacts;
  /** The request that produced the page, for messages. */
  source: { operation: string; path: string };
}

export const LIST_PAGE_SIZE = 100;
/** The size asked for after a first page of LIST_PAGE_SIZE is refused with 400: Spring's default size. */
export const FALLBACK_PAGE_SIZE = 20;
/** 10,000 pages: far beyond any tenant, small enough to end a runaway loop. */
const MAX_PAGES = 10_000;

export type PageFetcher<T> = (page: number, size: number) => Promise<Page<T>>;

/** Every item of a list, page by page, following the server's numbering and size (see the module comment). */
export async function* iteratePages<T>(fetchPage: PageFetcher<T>): AsyncGenerator<T, void, undefined> {
  const first = await fetchFirstPage(fetchPage);
  let page = first.page;
  const asked = first.size; // every page is asked at the same size, so page boundaries stay put
  let pageSize = asked; // what the server pages by, when it caps silently
  const base = pageBase(page);
  let previous: string | undefined;
  let probed = false;
  for (let index = 0; index < MAX_PAGES; index++) {
    checkPage(page, base, index, pageSize, previous);
    yield* page.content;
    if (page.content.length === 0) return;
    const end = isLastPage(page, index, pageSize);
    if (end === true || (end === "probe" && probed)) return;
    const next = await fetchPage(base + index + 1, asked);
    if (end === "probe") {
      // A short page with no size and no totals: a silent cap or the end; the next page told which.
      probed = true;
      if (next.content.length === 0) return;
      pageSize = page.content.length;
    }
    previous = signature(page);
    page = next;
  }
}

/** The first page, asked at LIST_PAGE_SIZE and, when that is refused with 400, once at FALLBACK_PAGE_SIZE. */
async function fetchFirstPage<T>(fetchPage: PageFetcher<T>): Promise<{ page: Page<T>; size: number }> {
  try {
    return { page: await fetchPage(0, LIST_PAGE_SIZE), size: LIST_PAGE_SIZE };
  } catch (error) {
    if (!(error instanceof DpodBadRequestError)) throw error;
    // A server that refuses large pages (instead of lowering the size) says 400; any other 400 fails again.
    return { page: await fetchPage(0, FALLBACK_PAGE_SIZE), size: FALLBACK_PAGE_SIZE };
  }
}

/** 0 or 1: the number the server gives its first page (page 0 answered as number 1 means 1-based). */
export function pageBase(first: Page<unknown>): 0 | 1 {
  const reported = first.reported.number;
  if (reported === undefined || reported === 0) return 0;
  if (reported === 1) return 1;
  throw pagingError(
    first.source,
    `the first page was asked for as page 0 and answered as page ${reported}`,
    "the first page is numbered 0 (or 1)",
  );
}

function checkPage<T>(
  page: Page<T>,
  base: 0 | 1,
  index: number,
  pageSize: number,
  previous: string | undefined,
): void {
  const expected = base + index;
  if (index > 0 && page.reported.number !== undefined && page.reported.number !== expected) {
    throw pagingError(
      page.source,
      `page ${expected} was asked for and page ${page.reported.number} came back`,
      `pages are numbered from ${base}, as the first page said, and each request gets the page it names`,
    );
  }
  const limit = page.reported.size ?? pageSize;
  if (page.content.length > limit) {
    throw pagingError(
      page.source,
      `page ${expected} holds ${page.content.length} items, more than its size ${limit}`,
      "a page holds at most the size the envelope reports (or the size asked for)",
    );
  }
  if (previous !== undefined && page.content.length > 0 && signature(page) === previous) {
    throw pagingError(
      page.source,
      `page ${expected} holds exactly the items of page ${expected - 1}`,
      base === 0 && page.reported.number === undefined
        ? "pages are numbered from 0 (the answers carry no `number` to tell otherwise)"
        : "each page number names a different page",
    );
  }
}

/** Whether `page` ends the list, by what the envelope reports; "probe" when only a next call can tell. */
function isLastPage(page: Page<unknown>, index: number, pageSize: number): boolean | "probe" {
  const { reported } = page;
  if (reported.last !== undefined) return reported.last;
  const size = reported.size ?? pageSize;
  if (reported.totalPages !== undefined) return index + 1 >= reported.totalPages;
  if (reported.totalElements !== undefined) return (index + 1) * size >= reported.totalElements;
  if (page.content.length >= size) return false;
  return reported.size === undefined ? "probe" : true;
}

/** What identifies a page's content, to tell a repeated page. */
function signature(page: Page<unknown>): string {
  return JSON.stringify(page.content);
}
