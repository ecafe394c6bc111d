/**
 * Transport against a real socket: keep-alive reuse, the per-origin connection bound, and close().
 */
import { clearTokenCache } from "../../../provider/client";
import { startFixture, type Fixture } from "./helpers";

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
});

afterAll(async () => {
  await fixture.close();
});

it("keeps connections alive and within the bound of maxConcurrency per origin", async () => {
  clearTokenCache();
  const client = fixture.spClient({ maxConcurrency: 4 });
  await Promise.all(Array.from({ length: 60 }, () => client.users.listPage()));
  const stats = client.stats();
  expect(stats.requests).toBe(60);
  expect(stats.tokenRequests).toBe(1);
  expect(stats.connectionsOpened).toBeGreaterThan(0);
  expect(stats.connectionsOpened).toBeLessThanOrEqual(4);
});

it("sequential calls reuse connections instead of opening one per call", async () => {
  const client = fixture.spClient();
  await client.users.listPage(); // token and first call
  for (let i = 0; i < 20; i++) await client.users.listPage();
  // undici may open a second socket when a call starts in the same tick the previous one finished
  expect(client.stats().connectionsOpened).toBeLessThanOrEqual(2);
});

it("close() ends the client's own connections", async () => {
  const client = fixture.spClient();
  await client.users.listPage();
  await expect(client.close()).resolves.toBeUndefined();
  await expect(client.users.listPage()).rejects.toThrow();
});

it("a client that never sent a request closes at once and then refuses requests", async () => {
  const client = fixture.spClient();
  await expect(client.close()).resolves.toBeUndefined();
  await expect(client.users.listPage()).rejects.toThrow(/closed/);
  expect(client.stats().connectionsOpened).toBe(0);
});
