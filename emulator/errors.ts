/**
 * The error bodies the emulator sends.
 *
 * DPoD's error body is not documented publicly (docs/dpod-api-notes.md#error-body). The emulator sends the
 * Spring Boot default body and the older DPoD `{code, message}` family at once, with `code` equal to
 * `status`, so a client that reads either family works. 5xx bodies also carry an `incidentId`, like DPoD's UI
 * error pages. The token endpoints answer with RFC 6749 bodies instead
 * (docs/dpod-api-notes.md#token-endpoint). The error-body dialects (emulator/dialects.ts) swap the body for
 * another shape: see {@link renderErrorBody}.
 */
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { ActiveDialects } from "./dialects";
import type { RuleName } from "./status-codes";

/** The JSON body of every non-2xx answer on /v1 and /_emulator routes. */
export interface ApiErrorBody {
  timestamp: string;
  status: number;
  error: string;
  message: string;
  path: string;
  code: number;
  incidentId?: string;
}

/** An RFC 6749 §5.2 error, as answered by the token endpoints. */
export interface OAuthErrorBody {
  error: "invalid_request" | "invalid_client" | "unauthorized_client" | "unsupported_grant_type";
  error_description: string;
}

/** The `error-body-nested` dialect's body. */
export interface NestedErrorBody {
  error: { code: number; message: string };
}

/** Thrown by handlers and helpers; the server's error handler turns it into an {@link ApiErrorBody}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers, e.g. WWW-Authenticate on 401. */
    readonly headers: Readonly<Record<string, string>> = {},
    /** The business rule refused (a key of RULE_STATUS), for dialects that answer it with another status. */
    readonly rule?: RuleName,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Thrown inside the token endpoints; answered with an {@link OAuthErrorBody}. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: OAuthErrorBody["error"],
    readonly description: string,
  ) {
    super(description);
    this.name = "OAuthError";
  }

  get body(): OAuthErrorBody {
    return { error: this.error, error_description: this.description };
  }
}

/** The standard reason phrase for a status, as Spring puts it in `error`. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? "Unknown";
}

/**
 * Builds the combined Spring + code error body.
 * @param path the request path without its query string, as Spring reports it
 * @param nowMs the emulator clock, so timestamps follow clock advances in tests
 */
export function errorBody(status: number, message: string, path: string, nowMs: number): ApiErrorBody {
  const body: ApiErrorBody = {
    timestamp: new Date(nowMs).toISOString(),
    status,
    error: reasonPhrase(status),
    message,
    path,
    code: status,
  };
  if (status >= 500) body.incidentId = randomUUID();
  return body;
}

export type ErrorBodyShape = "default" | "nested" | "text";

/** The error-body shape of /v1 answers in the active dialects. */
export function errorBodyShapeOf(dialects: ActiveDialects): ErrorBodyShape {
  if (dialects.has("error-body-nested")) return "nested";
  if (dialects.has("error-body-text")) return "text";
  return "default";
}

/**
 * The error body in `shape`: the default body of {@link errorBody}, the nested `{error: {code, message}}`
 * shape, or the message alone (a string, which fastify sends as text/plain).
 */
export function renderErrorBody(
  shape: ErrorBodyShape,
  status: number,
  message: string,
  path: string,
  nowMs: number,
): ApiErrorBody | NestedErrorBody | string {
  if (shape === "text") return message;
  if (shape === "nested") return { error: { code: status, message } };
  return errorBody(status, message, path, nowMs);
}
