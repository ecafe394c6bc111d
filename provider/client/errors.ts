/**
 * The one error family of the DPoD client, and the one factory that builds it (createDpodError).
 *
 * Contract for every DpodApiError:
 * - `status` is the HTTP status DPoD answered with, or undefined when no answer arrived;
 * - `dpodMessage` is DPoD's own explanation (body `message`, then `error_description`, then `error`,
 *   then the same inside a nested `error` object, then the raw text), redacted;
 * - `method` and `path` name the request (the path's secret query parameters redacted), `operation`
 *   the API operation id, `requestId` the x-request-id / x-b3-traceid header when DPoD sent one;
 * - `.message` says what happened and what to do next;
 * - no property, message, cause or stack ever contains a secret: everything textual has been through
 *   the redaction in redact.ts before it reaches the constructor.
 *
 * `instanceof` works across copies of this module (a dynamic provider may load the package more than
 * once): classes are recognised by a brand list stored under a registered symbol, not by prototype.
 */
import { redactValue } from "./redact";

const ERROR_KINDS = Symbol.for("pulumi-dpod.errorKinds");

export interface DpodErrorFields {
  status?: number;
  dpodMessage?: string;
  method: string;
  path: string;
  operation?: string;
  requestId?: string;
  /** How many HTTP attempts were made before giving up (1 when the error was not retried). */
  attempts?: number;
  /** A sanitised cause: an Error carrying only a redacted message and the original error code. */
  cause?: Error;
}

export class DpodApiError extends Error {
  readonly status: number | undefined;
  readonly dpodMessage: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly operation: string | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number | undefined;

  constructor(message: string, fields: DpodErrorFields) {
    super(message, fields.cause ? { cause: fields.cause } : undefined);
    const kinds: string[] = [];
    for (let type: unknown = new.target; typeof type === "function" && type !== Error;) {
      kinds.push((type as { name: string }).name);
      type = Object.getPrototypeOf(type);
    }
    Object.defineProperty(this, ERROR_KINDS, { value: kinds, enumerable: false });
    Object.defineProperty(this, "name", { value: new.target.name, enumerable: false, writable: true });
    this.status = fields.status;
    this.dpodMessage = fields.dpodMessage;
    this.method = fields.method;
    this.path = fields.path;
    this.operation = fields.operation;
    this.requestId = fields.requestId;
    this.attempts = fields.attempts;
  }

  /** Structured form for JSON logs: the class name and message next to the fields (all redacted). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...Object.fromEntries(Object.entries(this)) };
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    const kinds = (value as Record<symbol, unknown>)[ERROR_KINDS];
    return Array.isArray(kinds) && kinds.includes(this.name);
  }
}

/** 400: DPoD rejected the input. */
export class DpodBadRequestError extends DpodApiError {}
/** 401, or the token URL refusing the credential: the credential or token is not accepted. */
export class DpodAuthenticationError extends DpodApiError {}
/** 403: the token is valid but lacks a scope this operation needs. */
export class DpodPermissionError extends DpodApiError {
  /** Any one of these scopes should allow the operation (inferred: docs/dpod-api-notes.md#which-role-may-call-what). */
  readonly requiredScopes: string[];
  /** The scopes the token that was refused carries. */
  readonly grantedScopes: string[];
  constructor(
    message: string,
    fields: DpodErrorFields & { requiredScopes: string[]; grantedScopes: string[] },
  ) {
    super(message, fields);
    this.requiredScopes = fields.requiredScopes;
    this.grantedScopes = fields.grantedScopes;
  }
}
/** 404: no such object (or not visible to this credential). */
export class DpodNotFoundError extends DpodApiError {}
/** 409: the request conflicts with current state (duplicate name, non-empty group, primary admin...). */
export class DpodConflictError extends DpodApiError {}
/** 429 after every allowed attempt. */
export class DpodRateLimitError extends DpodApiError {
  /** The last wait DPoD asked for, in milliseconds, when it sent Retry-After. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, fields: DpodErrorFields & { retryAfterMs?: number }) {
    super(message, fields);
    this.retryAfterMs = fields.retryAfterMs;
  }
}
/** 5xx after every allowed attempt (or at once, when the request could not safely be re-sent). */
export class DpodServerError extends DpodApiError {}
/** No HTTP answer: connection refused or reset, DNS failure, timeout. `status` is undefined. */
export class DpodConnectionError extends DpodApiError {
  /** The transport error code, e.g. ECONNREFUSED or UND_ERR_HEADERS_TIMEOUT. */
  readonly code: string | undefined;
  constructor(message: string, fields: DpodErrorFields & { code?: string }) {
    super(message, fields);
    this.code = fields.code;
  }
}
/** A 2xx answer the client cannot use (not JSON, or missing fields it needs). */
export class DpodResponseShapeError extends DpodApiError {
  /** The response body as received, redacted, at most 4 KiB. */
  readonly rawBody: string;
  /** What was wrong, one entry per problem, as `field.path: explanation`. */
  readonly issues: string[];
  constructor(message: string, fields: DpodErrorFields & { rawBody: string; issues: string[] }) {
    super(message, fields);
    this.rawBody = fields.rawBody;
    this.issues = fields.issues;
  }
}
/**
 * A paged list whose answers contradict how the provider reads DPoD's paging (a page repeating the one
 * before, a page number other than the one asked for, more items than the page size): the list is
 * stopped rather than returned with items missing or read twice (docs/dpod-api-notes.md#paging).
 */
export class DpodPagingError extends DpodApiError {
  /** The reading of DPoD's paging that the answers contradicted. */
  readonly assumption: string;
  constructor(message: string, fields: DpodErrorFields & { assumption: string }) {
    super(message, fields);
    this.assumption = fields.assumption;
  }
}
/**
 * A create request may have reached DPoD, but no usable answer came back, so it was not re-sent (that
 * could make a duplicate). The caller should look the object up by its unique key before retrying.
 */
export class AmbiguousCreateError extends DpodApiError {
  /** The request body that was sent, with secrets redacted, to help find the object. */
  readonly requestBody: unknown;
  constructor(message: string, fields: DpodErrorFields & { requestBody: unknown }) {
    super(message, fields);
    this.requestBody = fields.requestBody;
  }
}

// ---------------------------------------------------------------------------------------------------
// The factory

/** What the factory needs to know about the request that failed. Text fields must be pre-redacted. */
export interface FailedRequest {
  method: string;
  /** Path and query, secret parameters already redacted. */
  path: string;
  operation: string;
  /** True when the request went to the token URL rather than the API. */
  isTokenRequest?: boolean;
  /** Which setting the URL came from, for connection messages. */
  urlSettingHint: string;
}

export type DpodErrorInput =
  | {
      kind: "http";
      request: FailedRequest;
      status: number;
      responseBody: string;
      requestId?: string;
      attempts: number;
      retryAfterMs?: number;
      requiredScopes?: readonly string[];
      grantedScopes?: readonly string[];
      /** Set when the request was not re-sent because of its resend rule (see retry.ts). */
      notResentBecause?: "create" | "single-use";
      requestBody?: unknown;
    }
  | {
      kind: "connection";
      request: FailedRequest;
      cause: unknown;
      attempts: number;
      notResentBecause?: "create" | "single-use";
      requestBody?: unknown;
    }
  | {
      kind: "response-shape";
      request: FailedRequest;
      status: number;
      responseBody: string;
      requestId?: string;
      issues: string[];
    };

/** Cleans text before it can enter an error: redaction by field name and by known secret value. */
export type TextCleaner = (text: string) => string;

const MAX_RAW_BODY = 4096;

/**
 * Builds the right DpodApiError subclass for a failure. The only place that maps statuses and transport
 * failures to classes and writes the user-facing messages.
 */
export function createDpodError(input: DpodErrorInput, clean: TextCleaner): DpodApiError {
  const { request } = input;
  const where = `${request.method} ${request.path}`;
  const base = {
    method: request.method,
    path: request.path,
    operation: request.operation,
  };

  if (input.kind === "connection") {
    const cause = sanitiseCause(input.cause, clean);
    const code = errorCode(input.cause);
    const what = `${cause.message}${code ? ` (${code})` : ""}`;
    if (input.notResentBecause === "create") {
      return new AmbiguousCreateError(
        `The create request ${where} may have reached DPoD, but the connection failed before an answer ` +
          `arrived (${what}). It was not sent again, to avoid creating a duplicate. Look the object up by ` +
          `its name before creating it again (the pulumi-dpod resources do this themselves, in the same create).`,
        { ...base, attempts: input.attempts, cause, requestBody: redactValue(input.requestBody) },
      );
    }
    const notResent =
      input.notResentBecause === "single-use"
        ? " The request may have reached DPoD and cannot safely be sent twice, so it was not retried; check " +
          "whether it took effect before repeating it."
        : ` Gave up after ${input.attempts} attempt(s).`;
    return new DpodConnectionError(
      `Could not get an answer from DPoD for ${where}: ${what}.${notResent} Check ${request.urlSettingHint}, ` +
        `your network and any proxy, then try again.`,
      { ...base, attempts: input.attempts, cause, code },
    );
  }

  const rawBody = truncate(clean(input.responseBody), MAX_RAW_BODY);
  // a header is server-controlled text like any other
  const requestId = input.requestId === undefined ? undefined : truncate(clean(input.requestId), 200);
  const traceHint = requestId ? ` (DPoD request id ${requestId})` : "";

  if (input.kind === "response-shape") {
    const issues = input.issues.map((issue) => clean(issue));
    return new DpodResponseShapeError(
      `DPoD answered ${where} with ${input.status}, but the body is not what this provider understands: ` +
        `${issues.join("; ")}${traceHint}. The redacted body is kept in the error's rawBody; please report ` +
        `it with the provider version, as the API may have changed.`,
      { ...base, status: input.status, requestId, rawBody, issues },
    );
  }

  const status = input.status;
  const dpodMessage = extractDpodMessage(input.responseBody, clean);
  const said = dpodMessage ? `: ${dpodMessage}` : "";
  const fields = { ...base, status, dpodMessage, requestId, attempts: input.attempts };

  if (request.isTokenRequest && (status === 400 || status === 401 || status === 403)) {
    return new DpodAuthenticationError(
      `The token URL refused the client credentials (${status}${said})${traceHint}. Check that dpod:clientId ` +
        `and dpod:clientSecret (or DPOD_CLIENT_ID and DPOD_CLIENT_SECRET) belong to an existing DPoD ` +
        `credential and that the secret has not been reset, and that dpod:tokenUrl (DPOD_TOKEN_URL) is right.`,
      fields,
    );
  }
  if (input.notResentBecause === "create" && status >= 500) {
    return new AmbiguousCreateError(
      `The create request ${where} reached DPoD, which answered ${status}${said}; the object may or may ` +
        `not exist${traceHint}. It was not sent again, to avoid a duplicate. Look the object up by its ` +
        `name before creating it again (the pulumi-dpod resources do this themselves, in the same create).`,
      { ...fields, requestBody: redactValue(input.requestBody) },
    );
  }
  switch (status) {
    case 400:
      return new DpodBadRequestError(
        `DPoD rejected ${where} as invalid (400)${said}${traceHint}. Correct the value it names and try again.`,
        fields,
      );
    case 401:
      return new DpodAuthenticationError(
        `DPoD did not accept the access token for ${where} (401)${said}${traceHint}. A client-credentials ` +
          `token is fetched afresh once before this error; if it still fails, check that the credential in ` +
          `dpod:clientId / DPOD_CLIENT_ID still exists, or that dpod:accessToken / DPOD_ACCESS_TOKEN has not expired.`,
        fields,
      );
    case 403: {
      const requiredScopes = [...(input.requiredScopes ?? [])];
      const grantedScopes = [...(input.grantedScopes ?? [])];
      const needs = requiredScopes.length
        ? `This operation (${request.operation}) needs one of the scopes ${requiredScopes.join(", ")}`
        : `This operation (${request.operation}) is not allowed for this token`;
      const has = grantedScopes.length
        ? `the token carries ${grantedScopes.join(", ")}`
        : "the token carries no scope the provider could read";
      return new DpodPermissionError(
        `DPoD refused ${where} (403)${said}${traceHint}. ${needs}; ${has}. Use a credential whose role ` +
          `grants one of the needed scopes, or act on a tenant or subscriber group this credential may manage.`,
        { ...fields, requiredScopes, grantedScopes },
      );
    }
    case 404:
      return new DpodNotFoundError(
        `DPoD has no object at ${where} (404)${said}${traceHint}. It was deleted outside this program or is ` +
          `not visible to this credential; check the id, or run \`pulumi refresh\` to update the stack.`,
        fields,
      );
    case 409:
      return new DpodConflictError(
        `DPoD refused ${where} because it conflicts with existing data (409)${said}${traceHint}. Use a ` +
          `different name, or remove what still depends on the object, then try again.`,
        fields,
      );
    case 429:
      return new DpodRateLimitError(
        `DPoD kept rate-limiting ${where} (429) after ${input.attempts} attempt(s)${said}${traceHint}. Run ` +
          `\`pulumi config set dpod:maxConcurrency 2\` (DPOD_MAX_CONCURRENCY; scripts: the DpodClient ` +
          `maxConcurrency option) or \`pulumi up --parallel 4\`, or try again later.`,
        { ...fields, retryAfterMs: input.retryAfterMs },
      );
  }
  if (status >= 500) {
    const notResent =
      input.notResentBecause === "single-use"
        ? "It was not sent again because it cannot safely be repeated; check whether it took effect. "
        : `Gave up after ${input.attempts} attempt(s). `;
    return new DpodServerError(
      `DPoD failed to handle ${where} (${status})${said}${traceHint}. ${notResent}This is usually temporary: ` +
        `try again later, and quote the request id to Thales support if it persists.`,
      fields,
    );
  }
  return new DpodApiError(
    `DPoD answered ${where} with an unexpected status ${status}${said}${traceHint}. Check the request and ` +
      `the provider version.`,
    fields,
  );
}

/**
 * The error for a paged list whose answers contradict our reading of DPoD's paging: `what` happened,
 * contradicting `assumption`. Both are built from numbers and the request path only (no body text).
 */
export function pagingError(
  source: { operation: string; path: string },
  what: string,
  assumption: string,
): DpodPagingError {
  return new DpodPagingError(
    `DPoD paging: listing ${source.path}, ${what}; the provider assumes ${assumption}. The list was ` +
      `stopped rather than used with items missing or read twice, and nothing was written. Please report ` +
      `this with the provider version: DPoD's paging differs from the provider's reading of it.`,
    { method: "GET", path: source.path, operation: source.operation, status: 200, assumption },
  );
}

/**
 * DPoD's own explanation, from the body shapes seen or plausible: Spring's `message`, OAuth's
 * `error_description` then `error`, a nested `{"error": {"message": ...}}`, and else the raw text (a
 * `text/plain` body is the message itself).
 */
function extractDpodMessage(body: string, clean: TextCleaner): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    parsed = undefined; // not JSON: the text itself is the message
  }
  const message = messageIn(parsed) ?? messageIn(asRecord(parsed)?.error);
  return truncate(clean((message ?? trimmed).trim()), 500);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The first non-empty text of `message`, `error_description`, `error` in an object. */
function messageIn(value: unknown): string | undefined {
  const record = asRecord(value);
  if (record === undefined) return undefined;
  for (const key of ["message", "error_description", "error"]) {
    const text = record[key];
    if (typeof text === "string" && text.trim()) return text;
  }
  return undefined;
}

function errorCode(error: unknown): string | undefined {
  if (error && typeof error === "object" && "code" in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** A transport error reduced to a redacted message and its code, so nothing else can leak through it. */
function sanitiseCause(error: unknown, clean: TextCleaner): Error {
  const message = error instanceof Error ? error.message : String(error);
  const cause = new Error(clean(message) || "unknown transport error");
  const code = errorCode(error);
  if (code) Object.defineProperty(cause, "code", { value: code, enumerable: true });
  return cause;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…[truncated]` : text;
}
