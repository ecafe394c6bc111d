/**
 * Transport: sends one HTTP request and reads the whole answer. The only code that calls undici.
 *
 * Contract:
 * - one undici Pool per origin (API host, token host), keep-alive, at most `maxConnectionsPerOrigin`
 *   sockets each, so a busy `pulumi up` reuses a handful of TLS connections instead of opening hundreds;
 * - every request holds a slot of the process-wide ConcurrencyLimiter while it is in flight;
 * - connect, header and body timeouts of `requestTimeoutMs` each, so a stalled peer cannot hang a plan;
 * - exactly one attempt per call: retrying is retry.ts's job, and undici's own retries are not enabled;
 * - transport failures are thrown as undici/Node errors (with a `code`); HTTP error statuses are returned.
 */
import { Agent, Pool, type Dispatcher } from "undici";
import type { ConcurrencyLimiter } from "./limiter";

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Keep idle sockets a while: Pulumi operations arrive in bursts a few seconds apart. */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;
/** DPoD answers are small JSON documents; anything far larger is not a DPoD answer. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface TransportOptions {
  /** Injected dispatcher (tests pass a MockAgent); when absent the transport owns an Agent of Pools. */
  dispatcher?: Dispatcher;
  maxConnectionsPerOrigin: number;
  requestTimeoutMs: number;
  limiter: ConcurrencyLimiter;
}

export interface HttpRequest {
  /** Scheme, host and port, e.g. https://thales.eu.market.dpondemand.io */
  origin: string;
  /** Path and query. */
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

export class Transport {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly onConnect = (): void => {
    this.connectionsOpenedCount++;
  };
  private connectionsOpenedCount = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: TransportOptions) {
    if (options.dispatcher) {
      this.dispatcher = options.dispatcher;
      this.ownsDispatcher = false;
    } else {
      const connections = Math.max(1, Math.floor(options.maxConnectionsPerOrigin));
      this.dispatcher = new Agent({
        factory: (origin, poolOptions) => new Pool(origin, { ...poolOptions, connections }),
        connections,
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        connect: { timeout: options.requestTimeoutMs },
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
        maxResponseSize: MAX_RESPONSE_BYTES,
      });
      this.ownsDispatcher = true;
    }
    this.dispatcher.on("connect", this.onConnect);
  }

  /** Sockets opened so far (from the dispatcher's connect events; a MockAgent reports none). */
  get connectionsOpened(): number {
    return this.connectionsOpenedCount;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const release = await this.options.limiter.acquire();
    try {
      const response = await this.dispatcher.request({
        origin: request.origin,
        path: request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
      const bodyText = await response.body.text();
      return { status: response.statusCode, headers: response.headers, bodyText };
    } finally {
      release();
    }
  }

  /**
   * Closes the sockets this transport opened; an injected dispatcher is left to its owner. Idempotent:
   * later calls return the first call's promise.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.dispatcher.off("connect", this.onConnect);
      this.closing = this.ownsDispatcher ? this.dispatcher.close().then(() => undefined) : Promise.resolve();
    }
    return this.closing;
  }
}
