/**
 * Shared helpers for the emulator's integration tests: plain HTTP over Node's fetch against a running emulator.
 * Not a test file (jest only collects *.test.ts).
 */
import type { EmulatorTenant, RunningEmulator } from "dpod-emulator";

export interface HttpResult<Body = unknown> {
  status: number;
  headers: Headers;
  body: Body;
}

/** The loose shape of any JSON object in the tests. */
export type Json = Record<string, unknown> & { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RequestOptions {
  method?: string;
  token?: string;
  body?: unknown;
  /** Sent as is, with no content type unless `headers` gives one. */
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | string[]>;
}

export async function http<Body = Json>(
  emulator: RunningEmulator,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResult<Body>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  const url = `${emulator.url}${path}${search.size > 0 ? `?${search}` : ""}`;
  const response = await fetch(url, { method: options.method ?? "GET", headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if (text !== "" && (response.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as Body };
}

/** Calls an /_emulator route with the admin key. */
export function admin<Body = Json>(
  emulator: RunningEmulator,
  path: string,
  options: Omit<RequestOptions, "token"> = {},
): Promise<HttpResult<Body>> {
  return http<Body>(emulator, `/_emulator${path}`, {
    ...options,
    headers: { "x-emulator-admin-key": emulator.adminKey, ...options.headers },
  });
}

/** Exchanges client credentials for an access token (form fields). */
export async function clientToken(
  emulator: RunningEmulator,
  clientId: string,
  clientSecret: string,
): Promise<string> {
  const result = await http(emulator, "/oauth/v1/token", {
    method: "POST",
    rawBody: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (result.status !== 200)
    throw new Error(`token request failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body["access_token"] as string;
}

/** The seeded credential of `tenant` with `role`. */
export function credentialOf(
  tenant: EmulatorTenant,
  role: string,
): { clientId: string; clientSecret: string } {
  const credential = tenant.credentials.find((candidate) => candidate.role === role);
  if (!credential) throw new Error(`tenant ${tenant.name} has no ${role} credential`);
  return credential;
}

export interface SeedTokens {
  sp: EmulatorTenant;
  child: EmulatorTenant;
  spAdmin: string;
  appOwner: string;
  service: string;
}

/** Tokens for the three seeded credentials of the default seed. */
export async function seedTokens(emulator: RunningEmulator): Promise<SeedTokens> {
  const [sp, child] = emulator.tenants;
  if (!sp || !child) throw new Error("default seed missing");
  const token = (tenant: EmulatorTenant, role: string) => {
    const credential = credentialOf(tenant, role);
    return clientToken(emulator, credential.clientId, credential.clientSecret);
  };
  return {
    sp,
    child,
    spAdmin: await token(sp, "dpod.tenant.api_spadmin"),
    appOwner: await token(child, "dpod.tenant.api_appowner"),
    service: await token(child, "dpod.tenant.api_service"),
  };
}

/** A user token minted through /_emulator/user-tokens. */
export async function userToken(emulator: RunningEmulator, userId: string): Promise<string> {
  const result = await admin(emulator, "/user-tokens", { method: "POST", body: { userId } });
  if (result.status !== 200)
    throw new Error(`user token failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body["access_token"] as string;
}

let uniqueCounter = 0;
/** A unique, valid username for a test. */
export function uniqueUsername(prefix = "user"): string {
  uniqueCounter += 1;
  return `${prefix}-${process.pid}-${uniqueCounter}@example.com`;
}

/** Decodes a JWT payload without verifying it. */
export function jwtPayload(token: string): Json {
  const part = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Json;
}

export const NON_EXISTENT_ID = "00000000-0000-4000-8000-000000000000";
