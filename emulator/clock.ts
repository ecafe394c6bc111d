/**
 * The emulator's clock: the injected base clock plus an offset that tests move forward through
 * POST /_emulator/clock, so tokens and one-time codes can expire without waiting.
 */
export interface EmulatorClock {
  /** Milliseconds since the epoch, offset included. */
  now(): number;
  /** Moves the clock forward (or back, with a negative value). */
  advance(seconds: number): void;
  /** The total offset applied so far, in milliseconds. */
  readonly offsetMs: number;
}

export function createClock(base: () => number = Date.now): EmulatorClock {
  let offsetMs = 0;
  return {
    now: () => base() + offsetMs,
    advance(seconds: number) {
      offsetMs += Math.round(seconds * 1000);
    },
    get offsetMs() {
      return offsetMs;
    },
  };
}

/** RFC 3339 UTC with a trailing Z (docs/dpod-api-notes.md#identifiers-and-timestamps), e.g. 2026-01-01T10:00:00.000Z. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}
