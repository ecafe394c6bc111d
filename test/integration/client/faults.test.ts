/**
 * The client's retry, token and ambiguity rules against the emulator's fault modes.
 */
import {
  AmbiguousCreateError,
  clearTokenCache,
  DpodServerError,
  type DpodClient,
} from "../../../provider/client";
import { collect, startFixture, uniqueName, type Fixture } from "./helpers";

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
});

afterAll(async () => {
  await fixture.close();
});

afterEach(async () => {
  await fixture.admin("DELETE", "/faults");
});

interface RequestReport {
  total: number;
  byRoute: Record<string, number>;
}

async function countRequests<T>(
  run: () => Promise<T>,
): Promise<{ result: T | unknown; byRoute: Record<string, number> }> {
  await fixture.admin("DELETE", "/requests");
  const result = await run().catch((error: unknown) => error);
  const report = await fixture.admin<RequestReport>("GET", "/requests");
  return { result, byRoute: report.byRoute };
}

function fault(spec: Record<string, unknown>) {
  return fixture.admin("POST", "/faults", spec);
}

/** A client whose waits are recorded instead of slept. */
function recordingClient(make: (options: { sleep: (ms: number) => Promise<void> }) => DpodClient) {
  const sleeps: number[] = [];
  const client = make({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { client, sleeps };
}

async function newGroup(client: DpodClient) {
  return client.subscriberGroups.create({ name: uniqueName("fault-group") });
}

describe("status faults", () => {
  it("retries 503 until the fault is used up", async () => {
    const client = fixture.appOwnerClient();
    const group = await newGroup(client);
    await fault({ route: "GET /v1/subscriber_groups/:id", kind: "status", status: 503, count: 2 });
    const { result, byRoute } = await countRequests(() => client.subscriberGroups.get(group.id));
    expect(result).toMatchObject({ id: group.id });
    expect(byRoute["GET /v1/subscriber_groups/:id"]).toBe(3);
  });

  it("waits as long as Retry-After says (seconds)", async () => {
    const { client, sleeps } = recordingClient((o) => fixture.appOwnerClient(o));
    const group = await newGroup(client);
    await fault({
      route: "GET /v1/subscriber_groups/:id",
      kind: "status",
      status: 429,
      retryAfter: "3",
      count: 1,
    });
    await client.subscriberGroups.get(group.id);
    expect(sleeps).toEqual([3000]);
  });

  it("caps a Retry-After HTTP date far in the future", async () => {
    const { client, sleeps } = recordingClient((o) => fixture.appOwnerClient({ ...o, maxRetryWaitMs: 5000 }));
    const group = await newGroup(client);
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    await fault({
      route: "GET /v1/subscriber_groups/:id",
      kind: "status",
      status: 503,
      retryAfter: later,
      count: 1,
    });
    await client.subscriberGroups.get(group.id);
    expect(sleeps).toEqual([5000]);
  });

  it("gives up after maxAttempts on a persistent 502", async () => {
    const client = fixture.appOwnerClient({ maxAttempts: 3 });
    const group = await newGroup(client);
    await fault({ route: "GET /v1/subscriber_groups/:id", kind: "status", status: 502 });
    const { result, byRoute } = await countRequests(() => client.subscriberGroups.get(group.id));
    expect(result).toBeInstanceOf(DpodServerError);
    expect(result).toMatchObject({ status: 502, attempts: 3 });
    expect(byRoute["GET /v1/subscriber_groups/:id"]).toBe(3);
  });

  it("does not retry a 500", async () => {
    const client = fixture.appOwnerClient();
    await fault({ route: "GET /v1/subscriber_groups", kind: "status", status: 500, count: 1 });
    const { result, byRoute } = await countRequests(() => client.subscriberGroups.listPage());
    expect(result).toBeInstanceOf(DpodServerError);
    expect(byRoute["GET /v1/subscriber_groups"]).toBe(1);
  });

  it("a create refused with 429 is re-sent and creates exactly one object", async () => {
    const client = fixture.appOwnerClient();
    const name = uniqueName("refused-then-created");
    await fault({
      route: "POST /v1/subscriber_groups",
      kind: "status",
      status: 429,
      retryAfter: "1",
      count: 1,
    });
    const { result, byRoute } = await countRequests(() => client.subscriberGroups.create({ name }));
    expect(result).toMatchObject({ name });
    expect(byRoute["POST /v1/subscriber_groups"]).toBe(2);
    const matching = (await collect(client.subscriberGroups.list())).filter((g) => g.name === name);
    expect(matching).toHaveLength(1);
  });

  it("retries a token request answered 503", async () => {
    clearTokenCache();
    const client = fixture.appOwnerClient();
    await fault({ route: "POST /oauth/v1/token", kind: "status", status: 503, count: 1 });
    const { result, byRoute } = await countRequests(() => client.grantedScopes());
    expect(result).toEqual(expect.arrayContaining(["dpod.tenant.api_appowner"]));
    expect(byRoute["POST /oauth/v1/token"]).toBe(2);
  });
});

describe("lost responses and timeouts", () => {
  it("a create whose answer is lost is AmbiguousCreateError, sent once, and the object exists", async () => {
    const client = fixture.appOwnerClient();
    const name = uniqueName("lost-create");
    await fault({ route: "POST /v1/subscriber_groups", kind: "lost-response", count: 1 });
    const { result, byRoute } = await countRequests(() => client.subscriberGroups.create({ name }));
    expect(result).toBeInstanceOf(AmbiguousCreateError);
    expect(result).toMatchObject({ method: "POST", path: "/v1/subscriber_groups", requestBody: { name } });
    expect(byRoute["POST /v1/subscriber_groups"]).toBe(1);
    // the resource layer's recovery: look it up by its unique key
    const found = (await collect(client.subscriberGroups.list())).filter((g) => g.name === name);
    expect(found).toHaveLength(1);
  });

  it("a delete whose answer is lost is retried and the 404 counts as done", async () => {
    const client = fixture.appOwnerClient();
    const group = await newGroup(client);
    await fault({ route: "DELETE /v1/subscriber_groups/:id", kind: "lost-response", count: 1 });
    const { result, byRoute } = await countRequests(() => client.subscriberGroups.delete(group.id));
    expect(result).toBeUndefined();
    expect(byRoute["DELETE /v1/subscriber_groups/:id"]).toBe(2);
  });

  it("a read whose answer is lost is retried transparently", async () => {
    const client = fixture.spClient();
    await fault({ route: "GET /v1/users", kind: "lost-response", count: 1 });
    const { result } = await countRequests(() => client.users.listPage());
    expect(result).toMatchObject({ number: 0 });
    // the emulator logs a request when it answers, so the abandoned first attempt is counted client-side
    expect(client.stats().requests).toBe(2);
  });

  it("a slow read times out and is retried", async () => {
    const client = fixture.spClient({ requestTimeoutMs: 200 });
    // undici checks timeouts on a coarse tick (up to ~1 s late), so the latency is well above that
    await fault({ route: "GET /v1/users", kind: "latency", latencyMs: 3000, count: 1 });
    const { result } = await countRequests(() => client.users.listPage());
    expect(result).toMatchObject({ number: 0 });
    // the emulator logs a request when it answers, so the abandoned first attempt is counted client-side
    expect(client.stats().requests).toBe(2);
  });

  it("a slow create that times out is AmbiguousCreateError, not a duplicate", async () => {
    const client = fixture.appOwnerClient({ requestTimeoutMs: 200 });
    const name = uniqueName("slow-create");
    await fault({ route: "POST /v1/subscriber_groups", kind: "latency", latencyMs: 3000, count: 1 });
    const { result } = await countRequests(() => client.subscriberGroups.create({ name }));
    expect(result).toBeInstanceOf(AmbiguousCreateError);
    expect(client.stats().requests).toBe(1); // the POST was sent once and never again
    await new Promise((resolve) => setTimeout(resolve, 3000)); // let the emulator finish the slow request
    // whether the abandoned request took effect is the server's business; there is never a duplicate
    const found = (await collect(client.subscriberGroups.list())).filter((g) => g.name === name);
    expect(found.length).toBeLessThanOrEqual(1);
  });

  it("a fault on every route is retried like any other", async () => {
    const client = fixture.spClient();
    await fault({ route: "*", kind: "status", status: 504, count: 1 });
    await expect(client.users.listPage()).resolves.toMatchObject({ number: 0 });
  });
});

describe("tokens against the emulator", () => {
  it("10 concurrent calls with a fresh credential fetch one token", async () => {
    clearTokenCache();
    const client = fixture.spClient();
    const { byRoute } = await countRequests(() =>
      Promise.all(Array.from({ length: 10 }, () => client.users.listPage())),
    );
    expect(byRoute["POST /oauth/v1/token"]).toBe(1);
    expect(byRoute["GET /v1/users"]).toBe(10);
    expect(client.stats().tokenRequests).toBe(1);
  });

  it("a token the server no longer accepts is replaced once (401 -> refresh -> retry)", async () => {
    clearTokenCache();
    const client = fixture.spClient();
    await client.users.listPage();
    // the emulator's clock jumps past the token's expiry; the client's own clock does not
    await fixture.admin("POST", "/clock", { advanceSeconds: 7200 });
    const { result, byRoute } = await countRequests(() => client.users.listPage());
    expect(result).toMatchObject({ number: 0 });
    expect(byRoute["POST /oauth/v1/token"]).toBe(1);
    expect(byRoute["GET /v1/users"]).toBe(2);
    expect(client.stats().tokenRequests).toBe(2);
  });
});
