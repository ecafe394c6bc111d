/**
 * Shared fixtures for the client unit tests: a MockAgent standing in for DPoD and its token endpoint
 * (no sockets), a fake clock whose sleep advances time instantly, and a recording logger.
 */
import { MockAgent, type Interceptable } from "undici";
import { DpodClient, type ClientOptions, type ConnectionSettings } from "../../../provider/client";

export const ORIGIN = "http://127.0.0.1:9";
export const TOKEN_PATH = "/oauth/v1/token";
export const CLIENT_SECRET = "cs-SUPER-SECRET-value-0001";
export const UUID = "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

let credentialCounter = 0;

/** An unsigned JWT with the given claims (the client never verifies signatures). */
export function makeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.c2lnbmF0dXJl`;
}

export interface FakeClock {
  now: number;
  sleeps: number[];
}

export interface Harness {
  agent: MockAgent;
  pool: Interceptable;
  client: DpodClient;
  clock: FakeClock;
  logLines: string[];
  settings: ConnectionSettings;
  /** The access tokens handed out by mockTokens, in order. */
  issuedTokens: string[];
  /** Installs a token endpoint that hands out a fresh JWT per request. */
  mockTokens(options?: { expiresIn?: number | null; scope?: string | string[] | null; times?: number }): void;
}

export function createHarness(
  overrides: { settings?: Partial<ConnectionSettings>; options?: ClientOptions; withToken?: boolean } = {},
): Harness {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const clock: FakeClock = { now: Date.UTC(2026, 0, 1), sleeps: [] };
  const logLines: string[] = [];
  credentialCounter += 1;
  const settings: ConnectionSettings = {
    apiUrl: ORIGIN,
    tokenUrl: `${ORIGIN}${TOKEN_PATH}`,
    // unique per harness: the token cache is process-wide
    clientId: `client-${process.pid}-${credentialCounter}-${Math.random().toString(36).slice(2)}`,
    clientSecret: CLIENT_SECRET,
    ...overrides.settings,
  };
  const client = new DpodClient(settings, {
    dispatcher: agent,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
    logger: (line) => logLines.push(line),
    debug: true,
    ...overrides.options,
  });
  const issuedTokens: string[] = [];
  const harness: Harness = {
    agent,
    pool,
    client,
    clock,
    logLines,
    settings,
    issuedTokens,
    mockTokens(options = {}) {
      const scope = options.scope === undefined ? "dpod.tenant.api_appowner dpod.tuid.t-1" : options.scope;
      const scope2 = scope ?? undefined;
      const interceptor = pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply(() => {
        const token = makeJwt({ sub: settings.clientId, scope: ["from.jwt.claim"], n: issuedTokens.length });
        issuedTokens.push(token);
        const body: Record<string, unknown> = { access_token: token, token_type: "bearer" };
        if (options.expiresIn !== null) body.expires_in = options.expiresIn ?? 3600;
        if (scope2 !== undefined) body.scope = scope2;
        return { statusCode: 200, data: body };
      });
      if (options.times) interceptor.times(options.times);
      else interceptor.persist();
    },
  };
  if (overrides.withToken !== false && settings.clientId) harness.mockTokens();
  return harness;
}

/** What a MockAgent reply callback returns. */
export interface MockReply {
  statusCode: number;
  data: string;
  responseOptions?: { headers?: Record<string, string> };
}

/** An empty answer, e.g. 204 for a delete. */
export function noContent(statusCode = 204): MockReply {
  return { statusCode, data: "" };
}

/** JSON reply helper with a content type, as DPoD sends. */
export function json(statusCode: number, data: unknown, headers: Record<string, string> = {}): MockReply {
  return {
    statusCode,
    data: typeof data === "string" ? data : JSON.stringify(data),
    responseOptions: { headers: { "content-type": "application/json", ...headers } },
  };
}

/** Matches a request path ignoring its query string. */
export function pathIs(expected: string): (path: string) => boolean {
  return (path) => path.split("?")[0] === expected;
}

/** A transport-level error as undici or Node would raise it. */
export function transportError(code: string, message = `simulated ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

export const sampleCredential = {
  clientId: UUID,
  name: "ci-deployer",
  role: "dpod.tenant.api_appowner",
  serviceIds: [],
  subscriberGroups: [],
  tenantId: "7a1b2c3d-0000-4000-8000-000000000001",
  createdAt: "2026-01-01T00:00:00Z",
};

export const sampleGroup = { id: UUID, name: "team-a", description: "Team A" };

export const sampleUser = {
  id: UUID,
  username: "alice@example.com",
  email: "alice@example.com",
  givenName: "Alice",
  familyName: "Liddell",
  accountRole: "dpod.tenant.admin",
  subscriberGroups: [],
};
