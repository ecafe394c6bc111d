import type { Page } from "../../../provider/client/paging";
import {
  BATCH_WINDOW_MS,
  LIST_TTL_MS,
  ListReads,
  type ListSource,
} from "../../../provider/resources/common/list-reads";

interface Item {
  id: string;
  name: string;
}

/** A list of `count` items with call counters; `missing` ids 404 on GET. */
function source(count: number, options: { failList?: boolean; pagesWaitFor?: Promise<void> } = {}) {
  const items: Item[] = Array.from({ length: count }, (_, i) => ({ id: `id-${i}`, name: `n-${i}` }));
  const calls = { pages: 0, gets: 0, pagesInFlight: 0, mostPagesInFlight: 0 };
  const src: ListSource<Item> = {
    async page(page, size): Promise<Page<Item>> {
      calls.pages += 1;
      calls.pagesInFlight += 1;
      calls.mostPagesInFlight = Math.max(calls.mostPagesInFlight, calls.pagesInFlight);
      await options.pagesWaitFor;
      await new Promise((resolve) => setImmediate(resolve));
      calls.pagesInFlight -= 1;
      if (options.failList) throw new Error("list refused");
      return {
        content: items.slice(page * size, (page + 1) * size).map((item) => ({ ...item })),
        number: page,
        size,
        totalElements: items.length,
        totalPages: Math.ceil(items.length / size),
        reported: { number: page, size, totalElements: items.length },
        source: { operation: "listItems", path: "/items" },
      };
    },
    async get(id) {
      calls.gets += 1;
      const found = items.find((item) => item.id === id);
      if (!found) throw new Error(`404 ${id}`);
      return { ...found };
    },
    idOf: (item) => item.id,
    complete: (item) => item.name !== "",
  };
  return { src, items, calls };
}

describe("reads served from paged lists", () => {
  it("makes a lone read one GET and no list call", async () => {
    const { src, calls } = source(500);
    expect(await new ListReads(src).read("id-7")).toEqual({ id: "id-7", name: "n-7" });
    expect(calls).toMatchObject({ pages: 0, gets: 1 });
  });

  it("serves 250 reads arriving together from 3 pages, with no GET", async () => {
    const { src, calls } = source(250);
    const reads = new ListReads(src);
    const results = await Promise.all(Array.from({ length: 250 }, (_, i) => reads.read(`id-${i}`)));
    expect(results.map((item) => item.name)).toEqual(Array.from({ length: 250 }, (_, i) => `n-${i}`));
    expect(calls).toMatchObject({ pages: 3, gets: 0 });
    // A later read in the same operation is served from the list fetched for it.
    expect((await reads.read("id-3")).name).toBe("n-3");
    expect(calls).toMatchObject({ pages: 3, gets: 0 });
  });

  it("never serves an object written since the list was fetched: it is read again", async () => {
    const { src, items, calls } = source(150);
    const reads = new ListReads(src);
    await Promise.all([reads.read("id-1"), reads.read("id-2")]);
    reads.forget("id-1");
    items[1]!.name = "renamed";
    expect((await reads.read("id-1")).name).toBe("renamed");
    expect(calls.gets).toBe(1);
    // A list fetched after the write does not serve it either.
    await Promise.all([reads.read("id-1"), reads.read("id-4")]);
    expect(calls.gets).toBe(2);
  });

  it("reads by id what a complete list lacks, and what lacks a required field, so 404 reports it gone", async () => {
    const { src, items, calls } = source(120);
    items[5]!.name = "";
    const reads = new ListReads(src);
    const [gone, incomplete] = await Promise.allSettled([reads.read("id-999"), reads.read("id-5")]);
    expect(gone).toMatchObject({ status: "rejected", reason: new Error("404 id-999") });
    expect(incomplete).toMatchObject({ status: "fulfilled", value: { id: "id-5" } });
    expect(calls).toMatchObject({ pages: 2, gets: 2 });
  });

  it("uses only the first page when the list is much longer than the reads waiting", async () => {
    const { src, calls } = source(5_000);
    const reads = new ListReads(src);
    await Promise.all(["id-1", "id-2", "id-4000"].map((id) => reads.read(id)));
    expect(calls).toMatchObject({ pages: 1, gets: 1 });
  });

  it("reads by id when the list call fails", async () => {
    const { src, calls } = source(10, { failList: true });
    const reads = new ListReads(src);
    expect((await Promise.all([reads.read("id-1"), reads.read("id-2")])).map((i) => i.name)).toEqual([
      "n-1",
      "n-2",
    ]);
    expect(calls).toMatchObject({ pages: 1, gets: 2 });
  });

  it("does not serve a list older than its time to live", async () => {
    const { src, calls } = source(150);
    let now = 1_000;
    const reads = new ListReads(src, () => now);
    await Promise.all([reads.read("id-1"), reads.read("id-2")]);
    now += LIST_TTL_MS + 1;
    await reads.read("id-3");
    expect(calls).toMatchObject({ pages: 2, gets: 1 });
  });

  it("makes reads that arrive while the list is fetched wait for it: one list, no second one, no GET", async () => {
    let release!: () => void;
    const { src, calls } = source(150, { pagesWaitFor: new Promise<void>((resolve) => (release = resolve)) });
    const reads = new ListReads(src);
    const early = [reads.read("id-1"), reads.read("id-2")];
    // The batch window has passed: the list is being fetched.
    await new Promise((resolve) => setTimeout(resolve, 3 * BATCH_WINDOW_MS));
    expect(calls.pages).toBe(1);
    const late = [reads.read("id-3"), reads.read("id-140"), reads.read("id-999")];
    release();
    const results = await Promise.allSettled([...early, ...late]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value.name : "gone"))).toEqual([
      "n-1",
      "n-2",
      "n-3",
      "n-140",
      "gone",
    ]);
    expect(calls).toMatchObject({ pages: 2, gets: 1 }); // the one GET: id-999, not in the complete list
  });

  it("fetches the pages after the first at once", async () => {
    const { src, calls } = source(350);
    const reads = new ListReads(src);
    await Promise.all(Array.from({ length: 350 }, (_, i) => reads.read(`id-${i}`)));
    expect(calls).toMatchObject({ pages: 4, gets: 0, mostPagesInFlight: 3 });
  });

  it("never serves a later read a listed item that lacks a required field", async () => {
    const { src, items, calls } = source(120);
    items[5]!.name = "";
    const reads = new ListReads(src);
    await Promise.all([reads.read("id-1"), reads.read("id-2")]);
    expect(calls).toMatchObject({ pages: 2, gets: 0 });
    expect(await reads.read("id-5")).toEqual({ id: "id-5", name: "" });
    expect(calls).toMatchObject({ pages: 2, gets: 1 });
  });
});
