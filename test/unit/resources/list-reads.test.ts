import type { Page } from "../../../provider/client/paging";
import {
  BATCH_WINDOW_MS,
  LIST_TTL_MS,
  ListReads,
  type ListSource,
} from "../../../provider/resources/common/list-reads";

interface Item {
  id: string;
  /** Required: a read cannot do without it. */
  name?: string;
  /** Optional: left out when not set. */
  note?: string;
}

/**
 * A list of `count` items with call counters; ids not in the list 404 on GET. `listed` changes what a
 * list page shows of an item (a summary, say) without changing what GET answers.
 */
function source(
  count: number,
  options: {
    failList?: boolean;
    pagesWaitFor?: Promise<void>;
    listed?: (item: Item) => Item;
    /** Pages counted from 1, as a DPoD may count them: page 0 is answered as page 1. */
    oneBased?: boolean;
  } = {},
) {
  const items: Item[] = Array.from({ length: count }, (_, i) => ({ id: `id-${i}`, name: `n-${i}` }));
  const calls = { pages: 0, gets: 0, pagesInFlight: 0, mostPagesInFlight: 0, pagesAsked: [] as number[] };
  const lines: string[] = [];
  const shown = options.listed ?? ((item: Item) => item);
  const src: ListSource<Item> = {
    async page(page, size): Promise<Page<Item>> {
      calls.pages += 1;
      calls.pagesInFlight += 1;
      calls.mostPagesInFlight = Math.max(calls.mostPagesInFlight, calls.pagesInFlight);
      await options.pagesWaitFor;
      await new Promise((resolve) => setImmediate(resolve));
      calls.pagesInFlight -= 1;
      if (options.failList) throw new Error("list refused");
      calls.pagesAsked.push(page);
      const number = options.oneBased ? Math.max(page, 1) : page;
      const index = options.oneBased ? number - 1 : number;
      return {
        content: items.slice(index * size, (index + 1) * size).map((item) => shown({ ...item })),
        number,
        size,
        totalElements: items.length,
        totalPages: Math.ceil(items.length / size),
        reported: { number, size, totalElements: items.length },
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
    kind: "Item",
    fields: { required: ["name"], optional: ["note"], reported: [] },
  };
  const reads = (clock?: () => number) => new ListReads(src, clock, (line) => lines.push(line));
  return { src, items, calls, lines, reads };
}

describe("reads served from paged lists", () => {
  it("makes a lone read one GET and no list call", async () => {
    const { calls, reads } = source(500);
    expect(await reads().read("id-7")).toEqual({ id: "id-7", name: "n-7" });
    expect(calls).toMatchObject({ pages: 0, gets: 1 });
  });

  it("serves 250 reads arriving together from 3 pages and the one GET that checks the list", async () => {
    const { calls, reads: make } = source(250);
    const reads = make();
    const results = await Promise.all(Array.from({ length: 250 }, (_, i) => reads.read(`id-${i}`)));
    expect(results.map((item) => item.name)).toEqual(Array.from({ length: 250 }, (_, i) => `n-${i}`));
    expect(calls).toMatchObject({ pages: 3, gets: 1 });
    // A later read in the same operation is served from the list fetched for it.
    expect((await reads.read("id-3")).name).toBe("n-3");
    expect(calls).toMatchObject({ pages: 3, gets: 1 });
  });

  it("follows pages counted from 1: the pages after the first are the ones DPoD numbers next", async () => {
    const { calls, reads: make } = source(250, { oneBased: true });
    const reads = make();
    const results = await Promise.all(Array.from({ length: 250 }, (_, i) => reads.read(`id-${i}`)));
    expect(results.map((item) => item.name)).toEqual(Array.from({ length: 250 }, (_, i) => `n-${i}`));
    expect(calls.pagesAsked.sort()).toEqual([0, 2, 3]);
    expect(calls).toMatchObject({ pages: 3, gets: 1 }); // every read served from the list
  });

  it("never serves an object written since the list was fetched: it is read again", async () => {
    const { items, calls, reads: make } = source(150);
    const reads = make();
    await Promise.all([reads.read("id-1"), reads.read("id-2")]);
    expect(calls.gets).toBe(1); // the check of id-1
    reads.forget("id-2");
    items[2]!.name = "renamed";
    expect((await reads.read("id-2")).name).toBe("renamed");
    expect(calls.gets).toBe(2);
    // A list fetched after the write does not serve it either.
    await Promise.all([reads.read("id-2"), reads.read("id-4")]);
    expect(calls.gets).toBe(3);
  });

  it("reads by id what a complete list lacks, and what lacks a required field, so 404 reports it gone", async () => {
    const { items, calls, reads: make } = source(120);
    delete items[5]!.name;
    const reads = make();
    const [gone, incomplete] = await Promise.allSettled([reads.read("id-999"), reads.read("id-5")]);
    expect(gone).toMatchObject({ status: "rejected", reason: new Error("404 id-999") });
    expect(incomplete).toMatchObject({ status: "fulfilled", value: { id: "id-5" } });
    expect(calls).toMatchObject({ pages: 2, gets: 2 });
  });

  it("uses only the first page when the list is much longer than the reads waiting", async () => {
    const { calls, reads: make } = source(5_000);
    const reads = make();
    await Promise.all(["id-1", "id-2", "id-4000"].map((id) => reads.read(id)));
    expect(calls).toMatchObject({ pages: 1, gets: 2 }); // the check of id-1, and id-4000
  });

  it("reads by id when the list call fails, and says so in one debug line", async () => {
    const { calls, lines, reads: make } = source(10, { failList: true });
    const reads = make();
    expect((await Promise.all([reads.read("id-1"), reads.read("id-2")])).map((i) => i.name)).toEqual([
      "n-1",
      "n-2",
    ]);
    expect(calls).toMatchObject({ pages: 1, gets: 2 });
    expect(lines).toEqual([
      expect.stringMatching(/^listing Item objects for 2 reads failed \(list refused\./),
    ]);
  });

  it("does not serve a list older than its time to live", async () => {
    const { calls, reads: make } = source(150);
    let now = 1_000;
    const reads = make(() => now);
    await Promise.all([reads.read("id-1"), reads.read("id-2")]);
    now += LIST_TTL_MS + 1;
    await reads.read("id-3");
    expect(calls).toMatchObject({ pages: 2, gets: 2 });
  });

  it("makes reads that arrive while the list is fetched wait for it: one list, no second one", async () => {
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
    // The GETs: the check of id-1, and id-999, which is not in the complete list.
    expect(calls).toMatchObject({ pages: 2, gets: 2 });
  });

  it("fetches the pages after the first at once", async () => {
    const { calls, reads } = source(350);
    const all = reads();
    await Promise.all(Array.from({ length: 350 }, (_, i) => all.read(`id-${i}`)));
    expect(calls).toMatchObject({ pages: 4, gets: 1, mostPagesInFlight: 3 });
  });

  it("never serves a later read a listed item that lacks a required field", async () => {
    const { items, calls, reads: make } = source(120);
    delete items[5]!.name;
    const reads = make();
    await Promise.all([reads.read("id-1"), reads.read("id-2")]);
    expect(calls).toMatchObject({ pages: 2, gets: 1 });
    expect(await reads.read("id-5")).toEqual({ id: "id-5" });
    expect(calls).toMatchObject({ pages: 2, gets: 2 });
  });
});

describe("list items are checked against GET, never trusted to mean more than DPoD sent", () => {
  it("switches list reads off for the kind when the first listed item differs from its GET", async () => {
    // Summary list items: no `note`, which GET carries.
    const {
      items,
      calls,
      lines,
      reads: make,
    } = source(150, {
      listed: ({ note: _dropped, ...summary }) => summary,
    });
    items[1]!.note = "secret-ish value";
    const reads = make();
    const first = await Promise.all([reads.read("id-1"), reads.read("id-2"), reads.read("id-3")]);
    // Every read is answered as GET answers it: the check of id-1 and a GET each for the others.
    expect(first).toEqual([
      { id: "id-1", name: "n-1", note: "secret-ish value" },
      { id: "id-2", name: "n-2" },
      { id: "id-3", name: "n-3" },
    ]);
    expect(calls).toMatchObject({ pages: 2, gets: 3 });
    expect(lines).toEqual([
      "list reads of Item switched off for this process: a listed item differs from a GET of the same " +
        "object in note. Every read of this kind is a GET.",
    ]);
    // Later batches never list again.
    await Promise.all([reads.read("id-4"), reads.read("id-5")]);
    expect(calls).toMatchObject({ pages: 2, gets: 5 });
    expect(lines).toHaveLength(1);
    expect(lines.join("\n")).not.toContain("secret-ish");
  });

  it("keeps list reads on when the checked item equals its GET, and names nothing in the log", async () => {
    const { calls, lines, reads: make } = source(150);
    const reads = make();
    await Promise.all([reads.read("id-1"), reads.read("id-2"), reads.read("id-3")]);
    expect(calls).toMatchObject({ pages: 2, gets: 1 });
    expect(lines).toEqual([]);
  });

  it("serves an item without an optional field once the list is checked: DPoD leaves it out when unset", async () => {
    const { items, calls, reads: make } = source(150);
    items[2]!.note = "set";
    const reads = make();
    const results = await Promise.all(["id-1", "id-2", "id-3"].map((id) => reads.read(id)));
    expect(results.map((item) => item.note)).toEqual([undefined, "set", undefined]);
    expect(calls).toMatchObject({ pages: 2, gets: 1 });
  });

  it("reads by id an item whose list entry omits a required field, and switches the kind off", async () => {
    const {
      calls,
      lines,
      reads: make,
    } = source(150, {
      listed: (item) => (item.id === "id-1" ? { id: item.id } : item),
    });
    const reads = make();
    const results = await Promise.all([reads.read("id-1"), reads.read("id-2")]);
    expect(results).toEqual([
      { id: "id-1", name: "n-1" },
      { id: "id-2", name: "n-2" },
    ]);
    expect(calls).toMatchObject({ pages: 2, gets: 2 });
    expect(lines).toEqual([expect.stringContaining("differs from a GET of the same object in name.")]);
  });
});
