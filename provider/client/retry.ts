/**
 * The client's one retry layer. Nothing below it retries (the transport sends each attempt once and
 * undici's own retry handler is not used); nothing above it should (handlers, dynamic providers).
 *
 * RETRY RULES
 *
 * R1  Retryable outcomes: HTTP 429, 502, 503 and 504, and transport errors from the list below (no HTTP
 *     answer: refused, reset, DNS failure, timeouts). Other statuses are final: asking again will not
 *     turn a 400/403/404/409 into a success, and a 500 is usually the same bug for the same input.
 * R2  Whether an operation may be sent again depends on its resend rule (operations.ts):
 *     - "idempotent" (GET, PATCH, DELETE, and POSTs whose repetition is harmless): after any R1 outcome.
 *     - "create" and "single-use": only when the first request certainly had no effect, i.e. a transport
 *       error raised before the request was written (connection refused, DNS failure, connect timeout)
 *       or a 429 / 503 answer (the server refused it before processing). After a reset, a timeout, a
 *       502 or a 504 it may have been processed, so it is NOT re-sent: a create fails with
 *       AmbiguousCreateError (the caller looks the object up by its unique key instead of making a
 *       duplicate), a single-use call with an error saying it was not repeated.
 *       This is the rule Stripe and OpenAI implement with idempotency keys; DPoD has none.
 * R3  At most maxAttempts attempts in total, counting the first (default 5).
 * R4  Wait before retry n (n = 1 for the first retry):
 *     - when the answer carries Retry-After, in delta-seconds or as an HTTP date: that long;
 *     - otherwise exponential backoff with full jitter: random() * min(cap, 500 ms * 2^(n-1)).
 *     Every wait is capped at maxRetryWaitMs (default 30 s): an uncapped Retry-After once hung a comparable
 *     provider's plan for half an hour.
 * R5  The concurrency slot is released while waiting, so a throttled call does not block others.
 * Two related rules live in request.ts because they are about meaning, not timing:
 * R6  A DELETE answered 404 on a retry counts as done: an earlier attempt most likely deleted it.
 * R7  A 401 is not retried here: the request is sent once more with a freshly fetched token (auth.ts),
 *     and that re-send does not count as an attempt.
 */
import { DpodApiError } from "./errors";
import type { ResendRule } from "./operations";
import { BODY_TIMEOUT, CONNECT_TIMEOUT, HEADERS_TIMEOUT } from "./failure-codes";

export interface RetrySettings {
  /** Total attempts including the first (R3). */
  maxAttempts: number;
  /** Cap for every single wait (R4). */
  maxRetryWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_MAX_RETRY_WAIT_MS = 30_000;
const BACKOFF_BASE_MS = 500;

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Answers that mean the server refused the request before doing anything (R2). */
const REFUSED_BEFORE_PROCESSING_STATUSES = new Set([429, 503]);

/** Transport errors worth another attempt (R1). */
const RETRYABLE_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  CONNECT_TIMEOUT,
  HEADERS_TIMEOUT,
  BODY_TIMEOUT,
]);
/** Transport errors raised before any byte of the request was written (R2). */
const BEFORE_SEND_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  CONNECT_TIMEOUT,
]);

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

export type RetryResult<TAnswer extends HttpAnswer> =
  | { kind: "answer"; answer: TAnswer; attempts: number; notResentBecause?: "create" | "single-use" }
  | { kind: "transport-error"; error: unknown; attempts: number; notResentBecause?: "create" | "single-use" };

/**
 * Runs `sendOnce` until it yields a final outcome under rules R1–R5 and returns that outcome; it never
 * throws for HTTP statuses or transport errors (the caller turns them into typed errors), only for
 * errors that are not transport errors at all.
 */
export async function sendWithRetries<TAnswer extends HttpAnswer>(
  sendOnce: (attempt: number) => Promise<TAnswer>,
  rule: ResendRule,
  settings: RetrySettings,
): Promise<RetryResult<TAnswer>> {
  const maxAttempts = Math.max(1, Math.floor(settings.maxAttempts));
  for (let attempt = 1; ; attempt++) {
    let result: RetryResult<TAnswer>;
    let retryAfterMs: number | undefined;
    let retryable: boolean;
    let mayHaveTakenEffect: boolean;
    try {
      const answer = await sendOnce(attempt);
      result = { kind: "answer", answer, attempts: attempt };
      retryable = RETRYABLE_STATUSES.has(answer.status);
      mayHaveTakenEffect = !REFUSED_BEFORE_PROCESSING_STATUSES.has(answer.status);
      retryAfterMs = parseRetryAfter(headerValue(answer.headers, "retry-after"), settings.now());
    } catch (error) {
      // An error already typed by this client (e.g. a failed token request, itself retried) is final.
      if (error instanceof DpodApiError) throw error;
      const code = transportErrorCode(error);
      if (code === undefined) throw error; // a bug or a misuse, not a network condition
      result = { kind: "transport-error", error, attempts: attempt };
      retryable = RETRYABLE_ERROR_CODES.has(code);
      mayHaveTakenEffect = !BEFORE_SEND_ERROR_CODES.has(code);
    }
    const mayNotBeRepeated = rule !== "idempotent" && mayHaveTakenEffect;
    // A transport failure leaves a create ambiguous even when it is not a retryable one.
    if (mayNotBeRepeated && (retryable || result.kind === "transport-error")) {
      return { ...result, notResentBecause: rule };
    }
    if (!retryable) return result;
    if (attempt >= maxAttempts) return result;
    await settings.sleep(retryDelayMs(attempt, retryAfterMs, settings));
  }
}

/** R4: the wait before retry number `retryNumber` (1-based). */
export function retryDelayMs(
  retryNumber: number,
  retryAfterMs: number | undefined,
  settings: Pick<RetrySettings, "maxRetryWaitMs" | "random">,
): number {
  const cap = Math.max(0, settings.maxRetryWaitMs);
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, cap);
  const ceiling = Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.min(retryNumber - 1, 30));
  return Math.floor(settings.random() * ceiling);
}

/**
 * Retry-After as milliseconds from now: delta-seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"). Undefined when absent or unreadable; 0 for a date in the past.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The error code of a transport failure (a Node system error, one of node-http.ts's DPOD_* codes, or an
 * injected undici dispatcher's UND_ERR_*), undefined for anything else.
 */
export function transportErrorCode(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  const code = (error as { code?: unknown }).code;
  // System errors look like ECONNRESET; Node's ERR_* codes are programming errors, not network conditions.
  if (
    typeof code === "string" &&
    (/^E[A-Z0-9]+$/.test(code) || code.startsWith("UND_ERR_") || code.startsWith("DPOD_"))
  )
    return code;
  // undici sometimes wraps the system error ("fetch failed" style); look one level down
  const cause = (error as { cause?: unknown }).cause;
  if (cause && cause !== error) return transportErrorCode(cause);
  return undefined;
}

export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
