/**
 * Paged lists (docs/dpod-api-notes.md#paging): `page` is 0-based, the envelope carries `totalPages`.
 *
 * Contract: iteration asks for pages of 100 (the largest size DPoD is known to accept) starting at page
 * 0 and follows `totalPages`; it also stops at the first empty page, so a server that miscounts cannot
 * make it loop, and it never requests more than MAX_PAGES pages.
 */

export interface Page<T> {
  content: T[];
  /** This page's number, 0-based. */
  number: number;
  /** The page size that was applied. */
  size: number;
  totalElements: number;
  totalPages: number;
}

export const LIST_PAGE_SIZE = 100;
/** 10,000 pages of 100: far beyond any tenant, small enough to end a runaway loop. */
const MAX_PAGES = 10_000;

export async function* iteratePages<T>(
  fetchPage: (page: number, size: number) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(page, LIST_PAGE_SIZE);
    yield* result.content;
    if (result.content.length === 0 || page + 1 >= result.totalPages) return;
  }
}
