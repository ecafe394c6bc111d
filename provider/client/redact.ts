/**
 * Redaction: the single place that decides what counts as secret and how it is hidden.
 *
 * Contract: every string the client puts into an error, an error property or a log line passes through
 * these helpers first. Two complementary mechanisms are used, because either alone leaks:
 * - by name: JSON fields, form fields, query parameters and headers whose names are on the list below
 *   are replaced with REDACTED wherever they appear (bodies we send, bodies we receive, URLs);
 * - by value: each client registers the secret values it knows (client secret, tokens, passwords it is
 *   about to send) in a SecretScrubber, which removes them from any text, e.g. a server message that
 *   echoes a rejected password back.
 */

export const REDACTED = "[REDACTED]";

/** Field, header and parameter names whose values are secret, compared after normalising (see below). */
const SENSITIVE_NAMES = new Set(
  [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-emulator-admin-key",
    "adminKey",
    "apiKey",
    "clientSecret",
    "client_secret",
    "secret",
    "password",
    "newPassword",
    "oldPassword",
    "temporaryPassword",
    "code",
    "access_token",
    "accessToken",
    "refresh_token",
    "refreshToken",
    "id_token",
    "token",
    "assertion",
  ].map(normaliseName),
);

/** Names differ in case and separators across JSON, forms and headers; compare letters and digits only. */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAMES.has(normaliseName(name));
}

/**
 * Deep copy of a JSON-like value with every sensitive field replaced by REDACTED.
 * A numeric `code` is kept: in error bodies it is the HTTP status, not a reset code.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 32) return REDACTED; // bounded: a hostile or cyclic structure must not hang the error path
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      if (isSensitiveName(key) && field !== null && field !== undefined && typeof field !== "number") {
        copy[key] = REDACTED;
      } else {
        copy[key] = redactValue(field, depth + 1);
      }
    }
    return copy;
  }
  if (typeof value === "string") return redactUrlCredentials(value);
  return value;
}

const SENSITIVE_NAME_ALTERNATION =
  "authorization|client_?secret|secret|password|new_?password|old_?password|temporary_?password|code|" +
  "access_?token|refresh_?token|id_?token|token|assertion|admin_?key|api_?key";

/** User name and password inside a URL (a proxy URL above all): `http://user:pass@host` keeps only the host. */
const URL_CREDENTIALS: [RegExp, string] = [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`];

/** Removes the user name and password of every URL in `text`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS[0], URL_CREDENTIALS[1]);
}

/** Patterns for secrets inside free text that is neither valid JSON nor a form body. */
const TEXT_PATTERNS: Array<[RegExp, string]> = [
  URL_CREDENTIALS,
  // Authorization header values written out as text
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  // "password": "..." in truncated or otherwise unparsable JSON
  [
    new RegExp(`("(?:${SENSITIVE_NAME_ALTERNATION})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi"),
    `$1"${REDACTED}"`,
  ],
  // password=... in query strings and form bodies, password: ... in prose
  [
    new RegExp(
      `((?:^|[^A-Za-z0-9_"])(?:${SENSITIVE_NAME_ALTERNATION})\\s*[:=]\\s*)(?!["\\[{]|Bearer\\b|Basic\\b)[^\\s&,;"'<>]+`,
      "gi",
    ),
    `$1${REDACTED}`,
  ],
  // anything shaped like a JWT
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
];

/**
 * Redacts a body or message of unknown format: JSON is redacted field by field, a form body
 * parameter by parameter, anything else by pattern.
 */
export function redactText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.stringify(redactValue(JSON.parse(trimmed)));
    } catch {
      // not valid JSON (truncated, HTML error page...): fall through to patterns
    }
  }
  let result = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** Redacts sensitive query parameters of a path such as `/v1/users/1/verify?code=123456`. */
export function redactPathAndQuery(pathWithQuery: string): string {
  const queryStart = pathWithQuery.indexOf("?");
  if (queryStart < 0) return pathWithQuery;
  const params = new URLSearchParams(pathWithQuery.slice(queryStart + 1));
  const redacted = new URLSearchParams();
  for (const [name, value] of params) redacted.append(name, isSensitiveName(name) ? REDACTED : value);
  return `${pathWithQuery.slice(0, queryStart)}?${redacted.toString()}`;
}

/** Header map with sensitive values replaced; names are lower-cased. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = isSensitiveName(name) ? REDACTED : value;
  }
  return result;
}

/**
 * Removes known secret values from text. Each DpodClient owns one and registers every secret it
 * handles; values shorter than 4 characters are ignored because replacing them would mangle text
 * without protecting anything meaningful.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  add(value: string | undefined): void {
    if (value !== undefined && value.length >= 4) this.secrets.add(value);
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  /** Pattern/field redaction followed by known-value removal: the full treatment for untrusted text. */
  clean(text: string): string {
    return this.scrub(redactText(text));
  }
}
