import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { admin, http, seedTokens, uniqueUsername, type SeedTokens } from "./harness";

describe("emulator fault injection", () => {
  let emulator: RunningEmulator;
  let tokens: SeedTokens;
  beforeAll(async () => {
    emulator = await startEmulator();
    tokens = await seedTokens(emulator);
  });
  afterAll(() => emulator.close());
  afterEach(async () => {
    await admin(emulator, "/faults", { method: "DELETE" });
  });

  const addFault = (body: Record<string, unknown>) => admin(emulator, "/faults", { method: "POST", body });
  const getUser = () => http(emulator, `/v1/users/${tokens.sp.primaryAdmin.id}`, { token: tokens.spAdmin });

  it("answers 429 with Retry-After for the next N calls of one route, then recovers", async () => {
    const added = await addFault({
      route: "GET /v1/users/:id",
      kind: "status",
      status: 429,
      retryAfter: "2",
      count: 2,
    });
    expect(added.status).toBe(201);
    expect(added.body["id"]).toEqual(expect.any(String));

    for (let attempt = 0; attempt < 2; attempt += 1) {
      const limited = await getUser();
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("2");
      expect(limited.body).toMatchObject({ status: 429, error: "Too Many Requests", code: 429 });
    }
    expect((await getUser()).status).toBe(200);
    // Other routes were never affected.
    const listed = await admin(emulator, "/faults");
    expect(listed.body["faults"]).toEqual([]);
  });

  it("answers 5xx with an incident id, and 503 with an HTTP-date Retry-After", async () => {
    await addFault({ route: "GET /v1/users/:id", kind: "status", status: 502, count: 1 });
    const badGateway = await getUser();
    expect(badGateway.status).toBe(502);
    expect(badGateway.body["incidentId"]).toEqual(expect.any(String));
    expect(badGateway.headers.get("retry-after")).toBeNull();

    const date = new Date(Date.now() + 5000).toUTCString();
    await addFault({ route: "*", kind: "status", status: 503, retryAfter: date, count: 1 });
    const unavailable = await getUser();
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe(date);
  });

  it("faults the token endpoint too", async () => {
    await addFault({ route: "POST /oauth/v1/token", kind: "status", status: 500, count: 1 });
    await expect(seedTokens(emulator)).rejects.toThrow(/500/);
    await expect(seedTokens(emulator)).resolves.toBeDefined();
  });

  it("adds latency before handling", async () => {
    await addFault({ route: "GET /v1/users/:id", kind: "latency", latencyMs: 300, count: 1 });
    const started = Date.now();
    const slow = await getUser();
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    const quickStart = Date.now();
    await getUser();
    expect(Date.now() - quickStart).toBeLessThan(250);
  });

  it("loses the response of a create after committing it", async () => {
    await addFault({ route: "POST /v1/users", kind: "lost-response", count: 1 });
    const username = uniqueUsername("lost");
    await expect(
      http(emulator, "/v1/users", {
        method: "POST",
        token: tokens.spAdmin,
        body: { username, givenName: "L", familyName: "R", accountRole: "dpod.tenant.spadmin" },
      }),
    ).rejects.toThrow();
    const listed = await http(emulator, "/v1/users", { token: tokens.spAdmin, query: { size: "100" } });
    const usernames = (listed.body["content"] as Array<{ username: string }>).map((user) => user.username);
    expect(usernames).toContain(username);
    const log = await admin(emulator, "/requests");
    expect(log.body["entries"]).toContainEqual(
      expect.objectContaining({ route: "POST /v1/users", status: 201, fault: "lost-response" }),
    );
  });

  it("loses a create request before handling it: the connection drops and nothing is created", async () => {
    await addFault({ route: "POST /v1/users", kind: "lost-request", count: 1 });
    const username = uniqueUsername("dropped");
    await expect(
      http(emulator, "/v1/users", {
        method: "POST",
        token: tokens.spAdmin,
        body: { username, givenName: "L", familyName: "R", accountRole: "dpod.tenant.spadmin" },
      }),
    ).rejects.toThrow();
    const listed = await http(emulator, "/v1/users", { token: tokens.spAdmin, query: { size: "100" } });
    const usernames = (listed.body["content"] as Array<{ username: string }>).map((user) => user.username);
    expect(usernames).not.toContain(username);
    const log = await admin(emulator, "/requests");
    expect(log.body["entries"]).toContainEqual(
      expect.objectContaining({ route: "POST /v1/users", status: 0, fault: "lost-request" }),
    );
  });

  it("answers a committed request late: the change is visible while the caller still waits", async () => {
    await addFault({ route: "POST /v1/users", kind: "slow-response", latencyMs: 1_500, count: 1 });
    const username = uniqueUsername("slow");
    const started = Date.now();
    const answer = http(emulator, "/v1/users", {
      method: "POST",
      token: tokens.spAdmin,
      body: { username, givenName: "L", familyName: "R", accountRole: "dpod.tenant.spadmin" },
    });
    let seenWhileWaiting = false;
    let answered = false;
    void answer.then(() => (answered = true));
    while (!seenWhileWaiting && Date.now() - started < 1_200) {
      const listed = await http(emulator, "/v1/users", { token: tokens.spAdmin, query: { size: "100" } });
      const usernames = (listed.body["content"] as Array<{ username: string }>).map((user) => user.username);
      seenWhileWaiting = usernames.includes(username) && !answered;
    }
    expect(seenWhileWaiting).toBe(true);
    expect((await answer).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });

  it("applies a fault at its rate: 0 never fires, 1 always fires", async () => {
    await addFault({ route: "GET /v1/users/:id", kind: "status", status: 500, rate: 0 });
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await getUser()).status).toBe(200);
    await admin(emulator, "/faults", { method: "DELETE" });

    await addFault({ route: "GET /v1/users/:id", kind: "status", status: 504, rate: 1 });
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await getUser()).status).toBe(504);
    const listed = await admin(emulator, "/faults");
    expect(listed.body["faults"][0]).toMatchObject({ hits: 5, rate: 1 });
  });

  it("fires a 50% fault on roughly half of the calls", async () => {
    await addFault({ route: "GET /v1/users/:id", kind: "status", status: 500, rate: 0.5 });
    let failures = 0;
    for (let attempt = 0; attempt < 200; attempt += 1) if ((await getUser()).status === 500) failures += 1;
    // Binomial(200, 0.5): outside 60..140 has probability below 1e-8.
    expect(failures).toBeGreaterThan(60);
    expect(failures).toBeLessThan(140);
  });

  it("refuses malformed fault specs (400) and unauthenticated admin calls (401)", async () => {
    expect((await addFault({ route: "*", kind: "status" })).status).toBe(400);
    expect((await addFault({ route: "*", kind: "status", status: 404 })).status).toBe(400);
    expect((await addFault({ route: "*", kind: "latency" })).status).toBe(400);
    expect((await addFault({ route: "*", kind: "explode" })).status).toBe(400);
    expect((await addFault({ route: "*", kind: "status", status: 500, rate: 2 })).status).toBe(400);
    const anonymous = await http(emulator, "/_emulator/faults", {
      method: "POST",
      body: { route: "*", kind: "latency", latencyMs: 1 },
    });
    expect(anonymous.status).toBe(401);
  });
});
