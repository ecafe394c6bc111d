import { ConcurrencyLimiter, DEFAULT_MAX_CONCURRENCY, sharedLimiter } from "../../../provider/client/limiter";
import { createHarness, json, sampleGroup, UUID } from "./helpers";

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("process-wide concurrency limit", () => {
  it("never lets more than `limit` holders in, and serves waiters in order", async () => {
    const limiter = new ConcurrencyLimiter(2);
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const acquisitions = [1, 2, 3, 4].map((n) =>
      limiter.acquire().then((release) => {
        order.push(n);
        releases.push(release);
      }),
    );
    await settle();
    expect(order).toEqual([1, 2]);
    expect(limiter.inUse).toBe(2);
    releases[0]?.();
    releases[0]?.(); // a second release of the same slot is ignored
    await settle();
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.inUse).toBe(2);
    releases[1]?.();
    releases[2]?.();
    await Promise.all(acquisitions);
    releases[3]?.();
    expect(limiter.inUse).toBe(0);
  });

  it("is shared per limit value across the process, default 8", () => {
    expect(sharedLimiter()).toBe(sharedLimiter(DEFAULT_MAX_CONCURRENCY));
    expect(sharedLimiter().limit).toBe(8);
    expect(sharedLimiter(3)).toBe(sharedLimiter(3));
    expect(sharedLimiter(3)).not.toBe(sharedLimiter(4));
    expect(sharedLimiter(0).limit).toBe(1);
  });

  it("bounds requests in flight across clients that share the limit", async () => {
    const limit = 3;
    const limiter = sharedLimiter(limit);
    const first = createHarness({ options: { maxConcurrency: limit } });
    const second = createHarness({ options: { maxConcurrency: limit } });
    let maxSeen = 0;
    for (const h of [first, second]) {
      h.pool
        .intercept({ path: `/v1/subscriber_groups/${UUID}`, method: "GET" })
        .reply(() => {
          maxSeen = Math.max(maxSeen, limiter.inUse);
          return json(200, sampleGroup);
        })
        .delay(5)
        .persist();
    }
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).client.subscriberGroups.get(UUID)),
    );
    expect(maxSeen).toBe(limit);
    expect(limiter.inUse).toBe(0);
  });
});
