/**
 * What the doctor learns from a tenant by reading: one token per credential, and per resource kind a list
 * page, a GET of the first listed object, a list page asking for more than the assumed size cap, and a GET
 * of an id that cannot exist (to see an error body). Facts only; judging them is assumptions.ts's job.
 *
 * Secrets and tokens stay in this module's memory: nothing returned carries them except `accessToken`
 * fields, which the report never reads (report.ts builds from the judged findings).
 */
import { randomUUID } from "node:crypto";
import type { ReadOnlyHttp, TimedResponse } from "./read-only-http";

export type KindName = "subscriberGroups" | "credentials" | "users";

export interface KindPaths {
  list: string;
  get: (id: string) => string;
  /** The field that holds an object's id in list items and GET answers. */
  idFields: readonly string[];
}

export const KIND_PATHS: Record<KindName, KindPaths> = {
  subscriberGroups: {
    list: "/v1/subscriber_groups",
    get: (id) => `/v1/subscriber_groups/${encodeURIComponent(id)}`,
    idFields: ["id"],
  },
  credentials: {
    list: "/v1/credentials/clients",
    get: (id) => `/v1/credentials/clients/${encodeURIComponent(id)}`,
    idFields: ["clientId", "id"],
  },
  users: {
    list: "/v1/users",
    get: (id) => `/v1/users/${encodeURIComponent(id)}`,
    idFields: ["id"],
  },
};

/** The outcome of one read: its status, or the transport error that stopped it. */
export interface ReadOutcome {
  status?: number;
  error?: string;
  /** The parsed JSON body, when the answer was JSON. */
  body?: unknown;
}

export interface TokenFacts {
  reached: boolean;
  outcome: ReadOutcome;
  elapsedMs?: number;
  /** The access token, for the reads that follow: never reported. */
  accessToken?: string;
  /** The fields of the token answer (names only). */
  answerFields: string[];
  expiresIn?: unknown;
  /** How the answer's `scope` and the JWT's `scope` claim are written. */
  answerScopeForm: "string" | "array" | "absent" | "other";
  claimScopeForm: "string" | "array" | "absent" | "unreadable";
  /** Scopes granted (the answer's, else the JWT's). */
  scopes: string[];
  /** Server Date minus local time, in seconds; undefined without a Date header. */
  clockSkewSeconds?: number;
}

export interface KindFacts {
  kind: KindName;
  /** Which credential read it: the tenant's, or the users credential. */
  credential: "tenant" | "users";
  list: ReadOutcome;
  /** GET of the first listed object; undefined when the list failed or was empty. */
  get?: ReadOutcome;
  /** The first listed object's id (for the GET); reported only with --keep-ids. */
  firstId?: string;
  /** A list page asking for `OVERSIZED_PAGE` items. */
  oversizedPage?: ReadOutcome;
  /** GET of a random id. */
  unknownId?: ReadOutcome;
}

/** A size larger than any cap DPoD is assumed to have: the answer's `size` shows the real cap. */
export const OVERSIZED_PAGE = 1000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function read(send: () => Promise<TimedResponse>): Promise<ReadOutcome & { response?: TimedResponse }> {
  try {
    const response = await send();
    return { status: response.status, body: parseJson(response.bodyText), response };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { error: `${(error as Error).message}${typeof code === "string" ? ` (${code})` : ""}` };
  }
}

function scopeForm(value: unknown): "string" | "array" | "absent" | "other" {
  if (value === undefined || value === null) return "absent";
  if (typeof value === "string") return "string";
  return Array.isArray(value) ? "array" : "other";
}

function splitScopes(value: unknown): string[] {
  const items = typeof value === "string" ? value.split(/\s+/) : Array.isArray(value) ? value : [];
  return items.filter((item): item is string => typeof item === "string" && item !== "");
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  const claims = parseJson(Buffer.from(payload, "base64url").toString("utf8"));
  return claims && typeof claims === "object" ? (claims as Record<string, unknown>) : undefined;
}

function header(response: TimedResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function probeToken(
  http: ReadOnlyHttp,
  clientId: string,
  clientSecret: string,
): Promise<TokenFacts> {
  const outcome = await read(() => http.requestToken(clientId, clientSecret));
  const { response, ...reported } = outcome;
  const facts: TokenFacts = {
    reached: response !== undefined,
    outcome: { status: reported.status, error: reported.error },
    elapsedMs: response?.elapsedMs,
    answerFields: [],
    answerScopeForm: "absent",
    claimScopeForm: "unreadable",
    scopes: [],
  };
  if (!response) return facts;
  const date = header(response, "date");
  if (date !== undefined && !Number.isNaN(Date.parse(date))) {
    facts.clockSkewSeconds = Math.round((Date.parse(date) - response.receivedAtMs) / 1000);
  }
  const body = outcome.body;
  if (response.status !== 200 || !body || typeof body !== "object") return facts;
  const answer = body as Record<string, unknown>;
  facts.answerFields = Object.keys(answer).sort();
  facts.expiresIn = answer.expires_in;
  facts.answerScopeForm = scopeForm(answer.scope);
  if (typeof answer.access_token === "string" && answer.access_token !== "") {
    facts.accessToken = answer.access_token;
    const claims = jwtClaims(answer.access_token);
    const form = claims ? scopeForm(claims.scope) : "unreadable";
    facts.claimScopeForm = form === "other" ? "unreadable" : form;
    facts.scopes = splitScopes(answer.scope ?? claims?.scope);
  }
  return facts;
}

function idOf(item: unknown, fields: readonly string[]): string | undefined {
  if (!item || typeof item !== "object") return undefined;
  for (const field of fields) {
    const value = (item as Record<string, unknown>)[field];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

function firstItem(body: unknown): unknown {
  if (!body || typeof body !== "object") return undefined;
  const content = (body as Record<string, unknown>).content;
  return Array.isArray(content) ? content[0] : undefined;
}

export async function probeKind(
  http: ReadOnlyHttp,
  kind: KindName,
  accessToken: string,
  credential: "tenant" | "users",
  tenantId?: string,
): Promise<KindFacts> {
  const paths = KIND_PATHS[kind];
  const query = (params: Record<string, string | number>) => {
    const all = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
    if (tenantId !== undefined && kind === "users") all.set("tenantId", tenantId);
    return `?${all.toString()}`;
  };
  const clean = ({ status, error, body }: ReadOutcome): ReadOutcome => ({ status, error, body });
  const list = clean(
    await read(() => http.get(`${paths.list}${query({ page: 0, size: 100 })}`, accessToken)),
  );
  const facts: KindFacts = { kind, credential, list };
  if (list.status !== 200) return facts;
  facts.oversizedPage = clean(
    await read(() => http.get(`${paths.list}${query({ page: 0, size: OVERSIZED_PAGE })}`, accessToken)),
  );
  const tenantQuery = tenantId !== undefined && kind === "users" ? query({}) : "";
  facts.unknownId = clean(
    await read(() => http.get(`${paths.get(randomUUID())}${tenantQuery}`, accessToken)),
  );
  const id = idOf(firstItem(list.body), paths.idFields);
  if (id !== undefined) {
    facts.firstId = id;
    facts.get = clean(await read(() => http.get(`${paths.get(id)}${tenantQuery}`, accessToken)));
  }
  return facts;
}
