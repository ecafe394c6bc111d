/**
 * ApiRequester: performs one API operation end to end. It picks the token, sends through the transport
 * under the retry rules, logs, and turns every failure into a typed DpodApiError. Endpoint modules call
 * `call()` and only ever see 2xx answers.
 *
 * Rules implemented here (see retry.ts for R1–R5):
 * R6  a DELETE answered 404 on a retry counts as done;
 * R7  a 401 leads to one re-send with a fresh token per call (client credentials only; a static token
 *     cannot be refreshed), not counted as an attempt.
 */
import type { AccessToken, TokenGrant, TokenSource } from "./auth";
import { parseTokenResponse } from "./auth";
import { createDpodError, type DpodApiError, type FailedRequest } from "./errors";
import type { DebugLog } from "./log";
import { OPERATIONS, type OperationId, type OperationSpec } from "./operations";
import { isSensitiveName, redactPathAndQuery, redactText, type SecretScrubber } from "./redact";
import { headerValue, parseRetryAfter, sendWithRetries, type RetrySettings } from "./retry";
import type { HttpResponse, Transport } from "./transport";

const USER_AGENT = "pulumi-dpod-client/0.1";
const API_URL_HINT = "dpod:apiUrl (DPOD_API_URL)";
const TOKEN_URL_HINT = "dpod:tokenUrl (DPOD_TOKEN_URL)";

/** Marks a 2xx body that was not empty but not JSON either. */
export const NOT_JSON: unique symbol = Symbol("not JSON");

export interface ApiCall {
  operation: OperationId;
  /** Path and query below the API base URL, built with apiPath/withQuery. */
  path: string;
  /** JSON request body, if any. */
  body?: unknown;
}

/** A successful (2xx) answer. */
export interface ApiAnswer {
  status: number;
  /** Parsed JSON; undefined for an empty body; NOT_JSON when the body could not be parsed. */
  json: unknown;
  bodyText: string;
  requestId: string | undefined;
}

export interface RequesterStats {
  requests: number;
  tokenRequests: number;
}

export interface ApiRequesterDeps {
  apiUrl: string;
  tokenUrl: string;
  transport: Transport;
  retry: RetrySettings;
  log: DebugLog;
  scrubber: SecretScrubber;
  /** Token for "credential" operations: client credentials, else the static token. */
  credentialTokens: TokenSource | undefined;
  /** Token for "user" operations: the static token, else the client credentials. */
  userTokens: TokenSource | undefined;
}

export class ApiRequester {
  readonly stats: RequesterStats = { requests: 0, tokenRequests: 0 };
  private readonly apiOrigin: string;
  private readonly apiBasePath: string;

  constructor(private readonly deps: ApiRequesterDeps) {
    const apiUrl = new URL(deps.apiUrl);
    this.apiOrigin = apiUrl.origin;
    this.apiBasePath = apiUrl.pathname.replace(/\/+$/, "");
  }

  /** Sends an operation and returns its 2xx answer, or throws the matching DpodApiError. */
  async call(call: ApiCall): Promise<ApiAnswer> {
    const spec: OperationSpec = OPERATIONS[call.operation];
    const tokens = this.tokenSourceFor(spec);
    const requestBody = call.body === undefined ? undefined : JSON.stringify(call.body);
    this.registerBodySecrets(call.body);
    const fullPath = `${this.apiBasePath}${call.path}`;
    const failed: FailedRequest = {
      method: spec.method,
      path: redactPathAndQuery(fullPath),
      operation: spec.id,
      urlSettingHint: API_URL_HINT,
    };

    let usedToken: AccessToken | undefined;
    let refreshedAfter401 = false;
    const result = await sendWithRetries(
      async (attempt) => {
        usedToken = tokens ? await tokens.get() : undefined;
        let answer = await this.sendApiRequest(spec, fullPath, requestBody, usedToken, attempt);
        // R7: one fresh token per call after a 401
        if (
          answer.status === 401 &&
          tokens &&
          usedToken &&
          !refreshedAfter401 &&
          tokens.invalidate(usedToken)
        ) {
          refreshedAfter401 = true;
          this.deps.log.note(
            `401 on ${spec.method} ${failed.path}: fetching a new token and sending once more`,
          );
          usedToken = await tokens.get();
          answer = await this.sendApiRequest(spec, fullPath, requestBody, usedToken, attempt);
        }
        return answer;
      },
      spec.resend,
      this.deps.retry,
    );

    if (result.kind === "transport-error") {
      throw this.error({
        kind: "connection",
        request: failed,
        cause: result.error,
        attempts: result.attempts,
        notResentBecause: result.notResentBecause,
        requestBody: call.body,
      });
    }
    const answer = result.answer;
    const requestId = requestIdOf(answer);
    if (answer.status >= 200 && answer.status < 300) {
      return {
        status: answer.status,
        json: parseJson(answer.bodyText),
        bodyText: answer.bodyText,
        requestId,
      };
    }
    if (answer.status === 404 && spec.method === "DELETE" && result.attempts > 1) {
      // R6: an earlier attempt whose answer was lost most likely did the delete.
      this.deps.log.note(`404 on retried ${spec.method} ${failed.path}: treated as already deleted`);
      return { status: 204, json: undefined, bodyText: "", requestId };
    }
    throw this.error({
      kind: "http",
      request: failed,
      status: answer.status,
      responseBody: answer.bodyText,
      requestId,
      attempts: result.attempts,
      retryAfterMs: retryAfterMsOf(answer, this.deps.retry.now()),
      requiredScopes: spec.acceptedScopes,
      grantedScopes: usedToken?.scopes,
      notResentBecause: result.notResentBecause,
      requestBody: call.body,
    });
  }

  /** A DpodResponseShapeError for a 2xx answer the endpoint could not use. */
  shapeError(call: ApiCall, answer: ApiAnswer, issues: string[]): DpodApiError {
    const spec = OPERATIONS[call.operation];
    return this.error({
      kind: "response-shape",
      request: {
        method: spec.method,
        path: redactPathAndQuery(`${this.apiBasePath}${call.path}`),
        operation: spec.id,
        urlSettingHint: API_URL_HINT,
      },
      status: answer.status,
      responseBody: answer.bodyText,
      requestId: answer.requestId,
      issues,
    });
  }

  /** The scopes of the token used for ordinary operations. */
  async grantedScopes(): Promise<string[]> {
    const tokens = this.deps.credentialTokens ?? this.deps.userTokens;
    if (!tokens) return [];
    return [...(await tokens.get()).scopes];
  }

  /**
   * The client-credentials grant (docs/dpod-api-notes.md#token-endpoint): a form POST to the token URL, retried under the
   * same rules as everything else. Used as the fetcher of ClientCredentialsTokenSource.
   */
  async requestTokenGrant(clientId: string, clientSecret: string): Promise<TokenGrant> {
    const url = new URL(this.deps.tokenUrl);
    const failed: FailedRequest = {
      method: "POST",
      path: url.pathname,
      operation: OPERATIONS.requestToken.id,
      isTokenRequest: true,
      urlSettingHint: TOKEN_URL_HINT,
    };
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    }).toString();
    const headers = {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
      "user-agent": USER_AGENT,
    };
    const result = await sendWithRetries(
      (attempt) => {
        this.stats.tokenRequests++;
        return this.sendLogged(
          { origin: url.origin, path: `${url.pathname}${url.search}`, method: "POST", headers, body: form },
          attempt,
        );
      },
      OPERATIONS.requestToken.resend,
      this.deps.retry,
    );
    if (result.kind === "transport-error") {
      throw this.error({
        kind: "connection",
        request: failed,
        cause: result.error,
        attempts: result.attempts,
      });
    }
    const answer = result.answer;
    const requestId = requestIdOf(answer);
    if (answer.status < 200 || answer.status >= 300) {
      throw this.error({
        kind: "http",
        request: failed,
        status: answer.status,
        responseBody: answer.bodyText,
        requestId,
        attempts: result.attempts,
        retryAfterMs: retryAfterMsOf(answer, this.deps.retry.now()),
      });
    }
    const json = parseJson(answer.bodyText);
    const parsed = json === NOT_JSON ? { issues: ["(body): not JSON"] } : parseTokenResponse(json);
    if ("issues" in parsed) {
      throw this.error({
        kind: "response-shape",
        request: failed,
        status: answer.status,
        responseBody: answer.bodyText,
        requestId,
        issues: parsed.issues,
      });
    }
    this.deps.scrubber.add(parsed.grant.accessToken);
    return parsed.grant;
  }

  private tokenSourceFor(spec: OperationSpec): TokenSource | undefined {
    switch (spec.auth) {
      case "none":
        return undefined;
      case "user":
        return this.deps.userTokens ?? this.deps.credentialTokens;
      case "credential":
        return this.deps.credentialTokens ?? this.deps.userTokens;
    }
  }

  private sendApiRequest(
    spec: OperationSpec,
    fullPath: string,
    body: string | undefined,
    token: AccessToken | undefined,
    attempt: number,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: "application/json", "user-agent": USER_AGENT };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token.value}`;
    this.stats.requests++;
    return this.sendLogged(
      { origin: this.apiOrigin, path: fullPath, method: spec.method, headers, body },
      attempt,
    );
  }

  private async sendLogged(
    request: { origin: string; path: string; method: string; headers: Record<string, string>; body?: string },
    attempt: number,
  ): Promise<HttpResponse> {
    const { log } = this.deps;
    const url = `${request.origin}${redactPathAndQuery(request.path)}`;
    log.request({
      attempt,
      method: request.method,
      url,
      headers: request.headers,
      body: request.body === undefined ? undefined : redactText(request.body),
    });
    const startedAt = this.deps.retry.now();
    try {
      const response = await this.deps.transport.send(request);
      log.response({
        method: request.method,
        url,
        status: response.status,
        elapsedMs: this.deps.retry.now() - startedAt,
        headers: response.headers,
        body: redactText(response.bodyText),
      });
      return response;
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      log.note(
        `transport error on ${request.method} ${url}: ${String(code ?? "")} ${(error as Error)?.message}`,
      );
      throw error;
    }
  }

  /** Remembers a secret that travels outside a body field (e.g. a verification code in a query). */
  registerSecret(value: string): void {
    this.deps.scrubber.add(value);
  }

  /** Values of secret fields in a request body are remembered, so no later text can carry them. */
  private registerBodySecrets(body: unknown): void {
    if (!body || typeof body !== "object") return;
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === "string" && isSensitiveName(key)) this.deps.scrubber.add(value);
    }
  }

  private error(input: Parameters<typeof createDpodError>[0]): DpodApiError {
    return createDpodError(input, (text) => this.deps.scrubber.clean(text));
  }
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function requestIdOf(response: HttpResponse): string | undefined {
  return headerValue(response.headers, "x-request-id") ?? headerValue(response.headers, "x-b3-traceid");
}

function retryAfterMsOf(response: HttpResponse, nowMs: number): number | undefined {
  return parseRetryAfter(headerValue(response.headers, "retry-after"), nowMs);
}
