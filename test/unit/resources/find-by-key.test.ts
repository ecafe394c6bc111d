import { DpodNotFoundError, DpodServerError } from "../../../provider/client";
import { findByKey, listDistinct } from "../../../provider/resources/common/find-by-key";

interface Item {
  id: string;
  name: string;
  read?: boolean;
}

async function* pages(items: Item[]): AsyncIterable<Item> {
  for (const item of items) yield item;
}

const notFound = (id: string) =>
  new DpodNotFoundError(`no ${id}`, { method: "GET", path: `/x/${id}`, operation: "get", status: 404 });

describe("finding objects by a key DPoD does not index", () => {
  const listed = [
    { id: "1", name: "ops" },
    { id: "2", name: "dev" },
    { id: "3", name: "OPS" },
    { id: "1", name: "ops" }, // a page boundary repeated it
    { id: "4", name: "ops" }, // gone before its GET
  ];
  const get = async (id: string): Promise<Item> => {
    if (id === "4") throw notFound(id);
    return { ...listed.find((item) => item.id === id)!, read: true };
  };

  it("keeps the matches once each, in list order, as a GET answers them, without those gone", async () => {
    const found = await findByKey(
      pages(listed),
      (item) => item.name.toLowerCase() === "ops",
      (item) => item.id,
      get,
    );
    expect(found).toEqual([
      { id: "1", name: "ops", read: true },
      { id: "3", name: "OPS", read: true },
    ]);
  });

  it("passes on a failure other than 404", async () => {
    const failing = async (id: string): Promise<Item> => {
      throw new DpodServerError(`down ${id}`, {
        method: "GET",
        path: `/x/${id}`,
        operation: "get",
        status: 503,
      });
    };
    await expect(
      findByKey(
        pages(listed),
        () => true,
        (item) => item.id,
        failing,
      ),
    ).rejects.toThrow(/down/);
  });

  it("lists every object once", async () => {
    expect((await listDistinct(pages(listed), (item) => item.id)).map((item) => item.id)).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
  });
});
