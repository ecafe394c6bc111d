/**
 * The dialect lane's in-process half: the core scenario (core-scenario.ts) once per DPoD dialect, and for
 * the combinations that matter, through the real dynamic-provider runtime and client over HTTP.
 *
 * Why in-process: the scenario on the real engine costs about two minutes; 16 dialects and their
 * combinations would add some 40 minutes to CI on 2 cores. The engine adds nothing dialect-specific (it
 * routes check, diff, create, read, update and delete to the same runtime), so each dialect runs here in
 * seconds, and engine.test.ts runs the real engine for the decisive ones.
 *
 * Every dialect has an expected result below (pass, or failed safe with a message naming the assumption
 * and the setting to change); the lane prints each dialect with its result.
 */
import { DIALECT_NAMES } from "dpod-emulator";
import { runCoreScenario, type ScenarioResult } from "./core-scenario";

jest.setTimeout(120_000);

const results: ScenarioResult[] = [];

afterAll(() => {
  const lines = results.map((r) => {
    const name = r.dialects.length === 0 ? "(default reading)" : r.dialects.join("+");
    const failures = r.failed.map(
      (f) =>
        `\n      failed safe at "${f.step}" (${f.writes} writes before the error` +
        `${f.recovered ? "; completed by following its advice" : "; scenario stopped"}): ${f.message}`,
    );
    return `  ${name}: ${r.outcome} (${r.seconds.toFixed(1)} s)${failures.join("")}`;
  });
  console.log(`Dialect lane, core scenario in-process:\n${lines.join("\n")}`);
});

/** The default reading, each dialect alone, and the combinations in which dialects act together. */
const CASES: string[][] = [
  [],
  ...DIALECT_NAMES.map((name) => [name]),
  ["summary-lists", "no-created-at", "no-created-by"],
  ["page-size-cap-20", "reject-oversized-pages"],
  ["one-based-pages", "slice-pages", "page-size-cap-20"],
  ["error-body-nested", "duplicate-400", "short-role-names", "create-status-200"],
];

/**
 * What each case must give. A dialect with nothing that proves who created an object after a lost create
 * answer (no `createdAt`) fails that step safe, naming the missing fact and dpod:adoptIdentical; the
 * scenario then follows that advice, and must complete.
 */
const LOST_CREATE_UNPROVEN = {
  step: "lost responses",
  message: /DPoD reported no createdAt.*dpod:adoptIdentical/s,
  recovered: true,
};
const EXPECTED: Record<string, "pass" | typeof LOST_CREATE_UNPROVEN> = {
  "no-created-at": LOST_CREATE_UNPROVEN,
  "summary-lists+no-created-at+no-created-by": LOST_CREATE_UNPROVEN,
};

describe.each(CASES.map((dialects) => [dialects.join("+") || "default", dialects] as const))(
  "core scenario, dialect %s",
  (name, dialects) => {
    const expected = EXPECTED[name] ?? "pass";
    it(
      expected === "pass" ? "passes" : `fails safe at "${expected.step}", naming the assumption`,
      async () => {
        const result = await runCoreScenario(dialects);
        results.push(result);
        if (expected === "pass") {
          expect(result.failed).toEqual([]);
        } else {
          expect(result.failed).toEqual([
            {
              step: expected.step,
              message: expect.stringMatching(expected.message),
              writes: expect.any(Number),
              recovered: expected.recovered,
            },
          ]);
        }
      },
    );
  },
);
