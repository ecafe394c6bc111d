/**
 * List iteration against the paging variants DPoD may answer with (docs/dpod-api-notes.md#paging): the
 * default reading, pages counted from 1, no totals, Spring slices, a lower size cap (lowered or refused),
 * and answers that contradict any reading, which must stop the list with a DpodPagingError.
 */
import {
  DpodBadRequestError,
  DpodPagingError,
  DpodResponseShapeError,
  type Page,
} from "../../../provider/client";
import { iteratePages, type PageFacts } from "../../../provider/client/paging";

interface ServerRules {
  total: number;
  /** The number of the first page, in the query and in `number`; page 0 is the first page too. */
  firstPage?: 0 | 1;
  /** "page": all totals; "no-total-pages"; "slice": `last`, no totals; "bare": no envelope numbers at all. */
  envelope?: "page" | "no-total-pages" | "slice" | "bare";
  maxSize?: number;
  /** Refuse (400) a size above maxSize instead of lowering it. */
  rejectOversized?: boolean;
  /** Report the applied size in the envelope (default true). */
  reportSize?: boolean;
}

const source = { operation: "listSubscriberGroups", path: "/v1/subscriber_groups" };

/** A fake DPoD list of `total` items paged by `rules`; records each page and size asked for. */
function server(rules: ServerRules) {
  const asked: string[] = [];
  const items = Array.from({ length: rules.total }, (_, i) => ({ id: `g-${i}` }));
  const fetchPage = async (page: number, size: number): Promise<Page<{ id: string }>> => {
    asked.push(`${page}/${size}`);
    const maxSize = rules.maxSize ?? 100;
    if (size > maxSize && rules.rejectOversized) {
      throw new DpodBadRequestError("DPoD rejected the size (400)", {
        method: "GET",
        path: "/x",
        status: 400,
      });
    }
    const applied = Math.min(size, maxSize);
    const firstPage = rules.firstPage ?? 0;
    const index = Math.max(page - firstPage, 0);
    const content = items.slice(index * applied, (index + 1) * applied);
    const totalPages = Math.ceil(items.length / applied);
    const envelope = rules.envelope ?? "page";
    const reported: PageFacts = {};
    if (envelope !== "bare") reported.number = index + firstPage;
    if (envelope !== "bare" && rules.reportSize !== false) reported.size = applied;
    if (envelope === "page" || envelope === "no-total-pages") reported.totalElements = items.length;
    if (envelope === "page") reported.totalPages = totalPages;
    if (envelope === "slice") reported.last = index + 1 >= totalPages;
    return { content, number: index, size: applied, totalElements: 0, totalPages: 0, reported, source };
  };
  return { fetchPage, asked };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

async function ids(fetchPage: Parameters<typeof iteratePages<{ id: string }>>[0]): Promise<string[]> {
  return (await collect(iteratePages(fetchPage))).map((item) => item.id);
}

const expected = (n: number) => Array.from({ length: n }, (_, i) => `g-${i}`);

describe("list iteration follows what DPoD reports", () => {
  it("reads every item exactly once in the default reading", async () => {
    const { fetchPage, asked } = server({ total: 250 });
    expect(await ids(fetchPage)).toEqual(expected(250));
    expect(asked).toEqual(["0/100", "1/100", "2/100"]);
  });

  it("follows pages counted from 1: page 0 answered as number 1, then 2 and 3, none read twice", async () => {
    const { fetchPage, asked } = server({ total: 250, firstPage: 1 });
    expect(await ids(fetchPage)).toEqual(expected(250));
    expect(asked).toEqual(["0/100", "2/100", "3/100"]);
  });

  it.each(["no-total-pages", "slice"] as const)(
    "without totalPages (%s) reads to the end, one call per page",
    async (envelope) => {
      for (const firstPage of [0, 1] as const) {
        const { fetchPage, asked } = server({ total: 200, envelope, firstPage });
        expect(await ids(fetchPage)).toEqual(expected(200));
        // a slice says `last`; totalElements says where the end is: neither needs an empty page
        expect(asked).toHaveLength(2);
      }
    },
  );

  it("without any envelope numbers, stops at the first short page", async () => {
    const { fetchPage, asked } = server({ total: 150, envelope: "bare", reportSize: false });
    expect(await ids(fetchPage)).toEqual(expected(150));
    expect(asked).toEqual(["0/100", "1/100", "2/100"]); // the short page is confirmed by an empty one
  });

  it("follows a size the server lowers, whether it says so or not", async () => {
    const told = server({ total: 45, maxSize: 20, firstPage: 1, envelope: "slice" });
    expect(await ids(told.fetchPage)).toEqual(expected(45));
    expect(told.asked).toEqual(["0/100", "2/100", "3/100"]);

    const silent = server({ total: 45, maxSize: 20, envelope: "bare", reportSize: false });
    expect(await ids(silent.fetchPage)).toEqual(expected(45));
    expect(silent.asked).toEqual(["0/100", "1/100", "2/100"]);
  });

  it("asks again at 20 when the first page of 100 is refused with 400, and keeps that size", async () => {
    const { fetchPage, asked } = server({ total: 45, maxSize: 20, rejectOversized: true, firstPage: 1 });
    expect(await ids(fetchPage)).toEqual(expected(45));
    expect(asked).toEqual(["0/100", "0/20", "2/20", "3/20"]);
  });

  it("gives up on a 400 that a smaller size does not cure, with DPoD's error", async () => {
    const { fetchPage, asked } = server({ total: 45, maxSize: 10, rejectOversized: true });
    await expect(collect(iteratePages(fetchPage))).rejects.toBeInstanceOf(DpodBadRequestError);
    expect(asked).toEqual(["0/100", "0/20"]);
  });

  it("does not retry other failures of the first page", async () => {
    let calls = 0;
    const failing = async (): Promise<Page<{ id: string }>> => {
      calls++;
      throw new DpodResponseShapeError("bad", { method: "GET", path: "/x", rawBody: "", issues: [] });
    };
    await expect(collect(iteratePages(failing))).rejects.toBeInstanceOf(DpodResponseShapeError);
    expect(calls).toBe(1);
  });

  it("stops at an empty page even when totalPages promised more", async () => {
    const { fetchPage } = server({ total: 100 });
    const shrinking = async (page: number, size: number) => {
      const answer = await fetchPage(page, size);
      return {
        ...answer,
        content: page === 0 ? answer.content : [],
        reported: { ...answer.reported, totalPages: 5 },
      };
    };
    expect(await ids(shrinking)).toEqual(expected(100));
  });
});

describe("answers that contradict every reading stop the list with a DpodPagingError", () => {
  async function pagingError(fetchPage: Parameters<typeof iteratePages<{ id: string }>>[0]) {
    const error = await collect(iteratePages(fetchPage)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DpodPagingError);
    return error as DpodPagingError;
  }

  it("a page repeating the previous one (pages counted from 1, with no number to tell)", async () => {
    const { fetchPage } = server({ total: 250, firstPage: 1, envelope: "bare", reportSize: false });
    const error = await pagingError(fetchPage);
    expect(error.message).toMatch(
      /^DPoD paging: listing \/v1\/subscriber_groups, page 1 holds exactly the items of page 0; the provider assumes pages are numbered from 0/,
    );
    expect(error.assumption).toMatch(/numbered from 0/);
  });

  it("a page number other than the one asked for", async () => {
    const { fetchPage } = server({ total: 250 });
    const stuck = async (page: number, size: number) => ({
      ...(await fetchPage(page, size)),
      reported: { number: 0, size: 100 },
    });
    const error = await pagingError(stuck);
    expect(error.message).toMatch(/page 1 was asked for and page 0 came back/);
  });

  it("a first page numbered neither 0 nor 1", async () => {
    const { fetchPage } = server({ total: 10 });
    const odd = async (page: number, size: number) => ({
      ...(await fetchPage(page, size)),
      reported: { number: 7 },
    });
    expect((await pagingError(odd)).message).toMatch(/asked for as page 0 and answered as page 7/);
  });

  it("more items than the page size", async () => {
    const { fetchPage } = server({ total: 30 });
    const overfull = async (page: number, size: number) => ({
      ...(await fetchPage(page, size)),
      reported: { number: page, size: 20 },
    });
    expect((await pagingError(overfull)).message).toMatch(/page 0 holds 30 items, more than its size 20/);
  });

  it("yields nothing past the contradiction, and never loops", async () => {
    let calls = 0;
    const same = async (): Promise<Page<{ id: string }>> => {
      calls++;
      return {
        content: [{ id: "a" }],
        number: 0,
        size: 1,
        totalElements: 0,
        totalPages: 0,
        reported: {},
        source,
      };
    };
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of iteratePages(same)) seen.push(item.id);
      })(),
    ).rejects.toBeInstanceOf(DpodPagingError);
    expect(seen).toEqual(["a"]);
    expect(calls).toBe(2);
  });
});
