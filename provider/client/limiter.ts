/**
 * The concurrency limit shared by everything in the process (a provider must
 * not flood the API during a large `pulumi up`). Pulumi runs many resource operations in one Node
 * process, each with its own DpodClient, so the limit has to live outside any single client.
 *
 * Limiters are kept on globalThis under a registered symbol, one per limit value, so that two copies of
 * this module (a dynamic provider may load the package more than once) still share them.
 */

export const DEFAULT_MAX_CONCURRENCY = 8;

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  /** Resolves when a slot is free; the caller must call the returned release function exactly once. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // hand the slot straight to the next waiter, so `active` never dips below the real count
      if (next) next();
      else this.active--;
    };
  }

  /** Slots in use right now (for tests and benchmarks). */
  get inUse(): number {
    return this.active;
  }
}

const REGISTRY_KEY = Symbol.for("pulumi-dpod.concurrencyLimiters");

/** The process-wide limiter for `limit` concurrent requests. */
export function sharedLimiter(limit: number = DEFAULT_MAX_CONCURRENCY): ConcurrencyLimiter {
  const normalised = Math.max(1, Math.floor(limit));
  const holder = globalThis as unknown as Record<symbol, Map<number, ConcurrencyLimiter> | undefined>;
  let registry = holder[REGISTRY_KEY];
  if (!registry) {
    registry = new Map();
    holder[REGISTRY_KEY] = registry;
  }
  let limiter = registry.get(normalised);
  if (!limiter) {
    limiter = new ConcurrencyLimiter(normalised);
    registry.set(normalised, limiter);
  }
  return limiter;
}
