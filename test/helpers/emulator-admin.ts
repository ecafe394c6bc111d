/**
 * Test-side access to the emulator's admin routes (/_emulator, outside the DPoD contract): the request log
 * that tests count API calls with, injected faults, and user tokens. It calls them as the benchmarks do
 * (scripts/lib/emulator-process.ts, Node's global fetch): tests are not the provider, and must not share
 * its HTTP client.
 */
import type { RunningEmulator } from "dpod-emulator";
import { emulatorAdmin } from "../../scripts/lib/emulator-process";

export interface RequestCounts {
  total: number;
  /** Calls per route, keyed "<METHOD> <route pattern>", e.g. "GET /v1/users/:id". */
  byRoute: Record<string, number>;
}

export async function requestCounts(emulator: RunningEmulator): Promise<RequestCounts> {
  return (await emulatorAdmin(emulator, "GET", "requests")) as RequestCounts;
}

export async function resetRequestLog(emulator: RunningEmulator): Promise<void> {
  await emulatorAdmin(emulator, "DELETE", "requests");
}

/** Adds a fault (docs/emulator.md, "Fault injection"), e.g. latency on one route. */
export async function addFault(emulator: RunningEmulator, fault: Record<string, unknown>): Promise<void> {
  await emulatorAdmin(emulator, "POST", "faults", fault);
}

export async function clearFaults(emulator: RunningEmulator): Promise<void> {
  await emulatorAdmin(emulator, "DELETE", "faults");
}

/** The API calls in the request log (routes under /v1; token requests left out), by route. */
export async function apiCallCounts(emulator: RunningEmulator): Promise<Record<string, number>> {
  const { byRoute } = await requestCounts(emulator);
  return Object.fromEntries(Object.entries(byRoute).filter(([route]) => route.includes(" /v1/")));
}

/** Only the routes that were called, for readable equality assertions. */
export function calledRoutes(counts: RequestCounts): Record<string, number> {
  return Object.fromEntries(Object.entries(counts.byRoute).filter(([, n]) => n > 0));
}

/** Creates a user token (emulator-only route) for the account-flow endpoints. */
export async function userToken(emulator: RunningEmulator, userId: string): Promise<string> {
  const answer = (await emulatorAdmin(emulator, "POST", "user-tokens", { userId })) as {
    access_token: string;
  };
  return answer.access_token;
}

/** The token endpoint's answer status for a client id and secret: 200 when the secret works, 401 when not. */
export async function tokenRequestStatus(
  emulator: RunningEmulator,
  clientId: string,
  clientSecret: string,
): Promise<number> {
  const response = await fetch(emulator.tokenUrl, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  return response.status;
}
