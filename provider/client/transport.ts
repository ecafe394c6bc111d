/**
 * Transport: sends one HTTP request and reads the whole answer.
 *
 * Contract:
 * - requests go through node-http.ts (keep-alive sockets, at most `maxConnectionsPerOrigin` per origin, so a
 *   busy `pulumi up` reuses a handful of TLS connections instead of opening hundreds); requests to an origin
 *   the proxy environment variables route through a proxy (proxy.ts) go through proxy-http.ts instead; an
 *   injected dispatcher (tests pass an undici MockAgent) takes every request and no proxy applies;
 * - every request holds a slot of the process-wide ConcurrencyLimiter while it is in flight;
 * - connect, header and body timeouts of `requestTimeoutMs` each, so a stalled peer cannot hang a plan;
 * - exactly one attempt per call: retrying is retry.ts's job;
 * - transport failures are thrown as errors with a `code`; HTTP error statuses are returned.
 */
import type { HttpRequest, HttpResponse } from "./http-exchange";
import type { ConcurrencyLimiter } from "./limiter";
import { clientClosedError, NodeHttpSender } from "./node-http";
import type { ProxyChoice, ProxyRouting } from "./proxy";
import { ProxySender } from "./proxy-http";

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * What the client needs of an injected dispatcher: the `request` method of an undici Dispatcher (Agent,
 * Pool, MockAgent, ProxyAgent), described here so the package does not depend on undici.
 */
export interface RequestDispatcher {
  request(options: {
    origin: string;
    path: string;
    method: string;
    headers: Record<string, string>;
    body?: string;
    headersTimeout?: number;
    bodyTimeout?: number;
  }): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: { text(): Promise<string> };
  }>;
}

export interface TransportOptions {
  /** Injected dispatcher (tests pass a MockAgent); when absent the transport sends with node:http. */
  dispatcher?: RequestDispatcher;
  maxConnectionsPerOrigin: number;
  requestTimeoutMs: number;
  limiter: ConcurrencyLimiter;
  /** Which origins go through which proxy; none when absent. Ignored with an injected dispatcher. */
  proxies?: ProxyRouting;
}

export type { HttpRequest, HttpResponse };

export class Transport {
  private readonly sender: NodeHttpSender | undefined;
  private proxySender: ProxySender | undefined;
  private readonly routes = new Map<string, ProxyChoice | undefined>();
  private closed = false;

  constructor(private readonly options: TransportOptions) {
    this.sender = options.dispatcher
      ? undefined
      : new NodeHttpSender({
          maxConnectionsPerOrigin: options.maxConnectionsPerOrigin,
          requestTimeoutMs: options.requestTimeoutMs,
        });
  }

  /** Sockets opened so far (an injected dispatcher's are not counted). */
  get connectionsOpened(): number {
    return this.sender?.connectionsOpened ?? 0;
  }

  /** The proxy requests to `origin` go through, or undefined when they connect directly. */
  proxyFor(origin: string): ProxyChoice | undefined {
    if (this.options.dispatcher || !this.options.proxies) return undefined;
    if (!this.routes.has(origin)) this.routes.set(origin, this.options.proxies.choose(origin));
    return this.routes.get(origin);
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    if (this.closed) throw clientClosedError();
    const release = await this.options.limiter.acquire();
    try {
      const proxy = this.proxyFor(request.origin);
      if (proxy) {
        this.proxySender ??= new ProxySender({
          maxConnectionsPerOrigin: this.options.maxConnectionsPerOrigin,
          requestTimeoutMs: this.options.requestTimeoutMs,
        });
        return await this.proxySender.send(request, proxy);
      }
      if (this.sender) return await this.sender.send(request);
      const response = await this.options.dispatcher!.request({
        ...request,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
      const bodyText = await response.body.text();
      return { status: response.statusCode, headers: response.headers, bodyText };
    } finally {
      release();
    }
  }

  /** Closes the sockets this transport opened; an injected dispatcher is left to its owner. Idempotent. */
  close(): Promise<void> {
    this.closed = true;
    this.sender?.close();
    return this.proxySender?.close() ?? Promise.resolve();
  }
}
