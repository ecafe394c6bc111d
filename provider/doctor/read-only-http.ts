/**
 * The only way `pulumi-dpod doctor` reaches DPoD: the client's transport (so the same proxies, private CAs,
 * timeouts and connection limits apply), restricted to reads.
 *
 * Contract:
 * - GET requests, and POST of a client-credentials grant to the configured token URL: nothing else is
 *   sent, whatever the caller asks; anything else throws a ReadOnlyViolation before any byte leaves;
 * - answers are returned raw (status, headers, text), because the doctor looks at what DPoD really sent,
 *   not at what the client's lenient parsing keeps;
 * - one attempt per request (a diagnosis reports failures instead of hiding them behind retries).
 */
import { sharedLimiter } from "../client/limiter";
import { ProxyRouting, type ProxyChoice } from "../client/proxy";
import { Transport, type HttpRequest, type HttpResponse } from "../client/transport";

export class ReadOnlyViolation extends Error {
  constructor(method: string, path: string) {
    super(`pulumi-dpod doctor only reads: it refused to send ${method} ${path}`);
    this.name = "ReadOnlyViolation";
  }
}

export interface TimedResponse extends HttpResponse {
  /** Local time (ms) half-way between sending and the answer: the moment the server's Date refers to. */
  receivedAtMs: number;
  elapsedMs: number;
}

/** What the read-only transport sends through: the client's Transport, or a test's stand-in. */
export interface Sender {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export class ReadOnlyHttp {
  private readonly sender: Sender;
  readonly proxies: ProxyRouting;

  constructor(
    private readonly urls: { apiUrl: string; tokenUrl: string },
    options: { env: NodeJS.ProcessEnv; requestTimeoutMs?: number; sender?: Sender },
  ) {
    this.proxies = new ProxyRouting(options.env);
    this.sender =
      options.sender ??
      new Transport({
        maxConnectionsPerOrigin: 2,
        requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
        limiter: sharedLimiter(2),
        proxies: this.proxies,
      });
  }

  /** The proxy requests to `url` go through, or undefined when they connect directly. */
  proxyFor(url: string): ProxyChoice | undefined {
    return this.proxies.choose(new URL(url).origin);
  }

  /** Refuses, before sending, anything but a GET or a client-credentials grant to the token URL. */
  static check(request: HttpRequest, tokenUrl: string): void {
    if (request.method === "GET" && request.body === undefined) return;
    const token = new URL(tokenUrl);
    const grant = new URLSearchParams(request.body ?? "").get("grant_type");
    const isTokenGrant =
      request.method === "POST" &&
      request.origin === token.origin &&
      request.path === `${token.pathname}${token.search}` &&
      grant === "client_credentials";
    if (!isTokenGrant) throw new ReadOnlyViolation(request.method, request.path.split("?")[0]!);
  }

  async send(request: HttpRequest): Promise<TimedResponse> {
    ReadOnlyHttp.check(request, this.urls.tokenUrl);
    const started = Date.now();
    const response = await this.sender.send(request);
    const ended = Date.now();
    return { ...response, receivedAtMs: (started + ended) / 2, elapsedMs: ended - started };
  }

  /** A client-credentials token request, answered raw. */
  requestToken(clientId: string, clientSecret: string): Promise<TimedResponse> {
    const url = new URL(this.urls.tokenUrl);
    return this.send({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
    });
  }

  /** GET of an API path (below the API URL) with a bearer token. */
  get(path: string, accessToken: string): Promise<TimedResponse> {
    const base = new URL(this.urls.apiUrl);
    const prefix = base.pathname.replace(/\/+$/, "");
    return this.send({
      origin: base.origin,
      path: `${prefix}${path}`,
      method: "GET",
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    });
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
