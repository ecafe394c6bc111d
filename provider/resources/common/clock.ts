/**
 * The clock the provider uses: the real time, unless a test fixes it.
 *
 * Contract: `DPOD_PROVIDER_NOW` (an ISO 8601 timestamp) fixes "now", e.g. to make a `rotateAfterDays`
 * rotation due without waiting, but only while `DPOD_ENABLE_TEST_CLOCK` is also `true` (or 1, yes). A
 * stray DPOD_PROVIDER_NOW alone (left in a CI environment, say) cannot skew rotation: it is ignored with a
 * warning. With the switch on, a timestamp that does not parse is an error naming both variables.
 */
export const TEST_CLOCK_VARIABLE = "DPOD_PROVIDER_NOW";
export const TEST_CLOCK_SWITCH = "DPOD_ENABLE_TEST_CLOCK";

const ON_WORDS = new Set(["true", "1", "yes"]);

export function clockFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = () => undefined,
): () => Date {
  const fixed = env[TEST_CLOCK_VARIABLE];
  if (fixed === undefined || fixed === "") return () => new Date();
  if (!ON_WORDS.has((env[TEST_CLOCK_SWITCH] ?? "").trim().toLowerCase())) {
    warn(
      `${TEST_CLOCK_VARIABLE} is set but ignored: it fixes the provider's clock for tests only, and takes ` +
        `effect only together with ${TEST_CLOCK_SWITCH}=true. The real time is used; unset ` +
        `${TEST_CLOCK_VARIABLE} to silence this warning.`,
    );
    return () => new Date();
  }
  const at = Date.parse(fixed);
  if (Number.isNaN(at)) {
    throw new Error(
      `${TEST_CLOCK_VARIABLE} must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z (with ` +
        `${TEST_CLOCK_SWITCH}=true it fixes the provider's clock for tests); unset both to use the real time.`,
    );
  }
  return () => new Date(at);
}
