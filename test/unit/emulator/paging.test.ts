import { ApiError } from "../../../emulator/errors";
import { PAGING_DEFAULTS, applySort, paginate, parsePageRequest, parseSort } from "../../../emulator/paging";

describe("emulator paging", () => {
  it("defaults to page 0 and size 20", () => {
    expect(parsePageRequest(undefined, undefined)).toEqual({ page: 0, size: PAGING_DEFAULTS.defaultSize });
    expect(PAGING_DEFAULTS.defaultSize).toBe(20);
  });

  it("clamps sizes above the maximum (the default policy) or rejects them (the other policy)", () => {
    expect(parsePageRequest("0", "500")).toEqual({ page: 0, size: 100 });
    expect(parsePageRequest("0", "500", 50)).toEqual({ page: 0, size: 50 });
    expect(() => parsePageRequest("0", "101", 100, "reject")).toThrow(ApiError);
    expect(parsePageRequest("0", "100", 100, "reject")).toEqual({ page: 0, size: 100 });
  });

  it.each([
    ["-1", "10"],
    ["1.5", "10"],
    ["x", "10"],
    ["0", "0"],
    ["0", ""],
    ["0", "1e3"],
  ])("rejects page=%p size=%p with a 400", (page, size) => {
    try {
      parsePageRequest(page, size);
      throw new Error("expected a 400");
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
    }
  });

  it("builds the envelope: content, number, size, totalElements, totalPages", () => {
    const items = Array.from({ length: 45 }, (_, index) => index);
    expect(paginate(items, { page: 0, size: 20 })).toEqual({
      content: items.slice(0, 20),
      number: 0,
      size: 20,
      totalElements: 45,
      totalPages: 3,
    });
    expect(paginate(items, { page: 2, size: 20 }).content).toEqual([40, 41, 42, 43, 44]);
    expect(paginate(items, { page: 3, size: 20 })).toMatchObject({ content: [], number: 3, totalPages: 3 });
    expect(paginate([], { page: 0, size: 20 })).toMatchObject({
      content: [],
      totalElements: 0,
      totalPages: 0,
    });
  });

  it("sorts by allowed fields, asc by default, stable on ties", () => {
    const orders = parseSort(["name", "createdAt,DESC"], ["name", "createdAt"]);
    expect(orders).toEqual([
      { field: "name", direction: "asc" },
      { field: "createdAt", direction: "desc" },
    ]);
    const items = [
      { name: "b", createdAt: "1" },
      { name: "a", createdAt: "1" },
      { name: "a", createdAt: "2" },
    ];
    expect(applySort(items, orders)).toEqual([items[2], items[1], items[0]]);
    expect(() => parseSort(["secret"], ["name"])).toThrow(/sortable fields are name/);
    expect(() => parseSort(["name,sideways"], ["name"])).toThrow(ApiError);
  });
});
