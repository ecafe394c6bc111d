// The adopt generator's naming rule: unique variables and resource names whatever the DPoD names, and no
// existing name changed when newer objects appear (a changed name is a delete at the next `up`).
import {
  assignNames,
  RESOURCE_NAME_PATTERN,
  variableFor,
  type NamedObject,
} from "../../../provider/adopt/names";

/** Every slug-shaped string over {a, b, 1, -} up to `length` characters. */
function allResourceNames(length: number): string[] {
  let level = [""];
  const all: string[] = [];
  for (let i = 0; i < length; i++) {
    level = level.flatMap((prefix) => ["a", "b", "1", "-"].map((c) => prefix + c));
    all.push(...level.filter((name) => RESOURCE_NAME_PATTERN.test(name)));
  }
  return all;
}

/** A small deterministic generator (mulberry32), so a failure replays. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const resourceNames = (names: Map<string, { resourceName: string }>) =>
  new Map([...names].map(([id, n]) => [id, n.resourceName]));

describe("adopt names", () => {
  it("gives distinct variables to distinct resource names (team-1 and team1 included)", () => {
    const names = allResourceNames(7);
    expect(names.length).toBeGreaterThan(1000);
    const variables = names.map((name) => variableFor("group", name));
    expect(new Set(variables).size).toBe(names.length);
    for (const variable of variables) expect(variable).toMatch(/^group[A-Z_][A-Za-z0-9_]*$/);
    expect(variableFor("group", "team-1")).toBe("groupTeam_1");
    expect(variableFor("group", "team1")).toBe("groupTeam1");
    expect(variableFor("user", "1-a")).toBe("user_1A");
  });

  it("names each object once, the oldest of a slug plainly, the others by their own id", () => {
    const items: NamedObject[] = [
      { id: "id-0002", name: "Team-1", createdAt: at(2) },
      { id: "id-0001", name: "team 1", createdAt: at(1) },
      { id: "id-0003", name: "team1", createdAt: at(3) },
      { id: "id-0004", name: "john-2@x.com", createdAt: at(4) },
      { id: "id-0005", name: "john2@x.com", createdAt: at(5) },
      { id: "id-0006", name: "team-1-id0002", createdAt: at(6) },
      { id: "id-0007", name: "***", createdAt: at(7) },
    ];
    const names = assignNames(items, "user", "user");
    expect(Object.fromEntries(resourceNames(names))).toEqual({
      "id-0001": "team-1",
      "id-0002": "team-1-id0002",
      "id-0003": "team1",
      "id-0004": "john-2-x-com",
      "id-0005": "john2-x-com",
      // Its slug is taken by an older object's suffixed name: it takes the next form.
      "id-0006": "team-1-id0002-id0006",
      "id-0007": "user-id0007",
    });
    const variables = [...names.values()].map((n) => n.variable);
    expect(new Set(variables).size).toBe(items.length);
  });

  it("never renames an existing object when newer ones appear, whatever their names", () => {
    const next = random(20);
    const stems = ["ops", "Ops", "ops!", "team-1", "team1", "Team 1", "", "x"];
    const items: NamedObject[] = [];
    let previous = new Map<string, string>();
    for (let step = 0; step < 60; step++) {
      const id = `${(next() * 2 ** 32).toString(16).padStart(8, "0")}-${step}`;
      // Some newcomers are named after an existing object's current name, suffix included.
      const names = [...previous.values()];
      const name =
        next() < 0.3 && names.length > 0
          ? names[Math.floor(next() * names.length)]!
          : stems[Math.floor(next() * stems.length)]!;
      items.push({ id, name, createdAt: at(step) });
      const current = resourceNames(assignNames(items, "group", "group"));
      for (const [oldId, oldName] of previous) expect([oldId, current.get(oldId)]).toEqual([oldId, oldName]);
      expect(new Set(current.values()).size).toBe(items.length);
      previous = current;
    }
  });

  it("without creation times gives no plain name to a shared slug; kept names fix that", () => {
    const older = { id: "id-0001", name: "ops" };
    expect(resourceNames(assignNames([older], "group", "group")).get(older.id)).toBe("ops");
    const newer = { id: "id-0002", name: "Ops" };
    // Not provably older: the plain name goes to nobody (and would move, had it been a tie).
    expect(Object.fromEntries(resourceNames(assignNames([older, newer], "group", "group")))).toEqual({
      "id-0001": "ops-id0001",
      "id-0002": "ops-id0002",
    });
    const tie = [
      { ...older, createdAt: at(1) },
      { ...newer, createdAt: at(1) },
    ];
    expect([...resourceNames(assignNames(tie, "group", "group")).values()]).toEqual([
      "ops-id0001",
      "ops-id0002",
    ]);

    // A previous run's names are kept, and a name it gave to an object now gone is not reused.
    const kept = new Map([
      [older.id, "ops"],
      ["id-gone", "ops-id0002"],
    ]);
    expect(Object.fromEntries(resourceNames(assignNames([older, newer], "group", "group", kept)))).toEqual({
      "id-0001": "ops",
      "id-0002": "ops-id0002-2",
    });
  });
});
