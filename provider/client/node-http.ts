/**
 * The default way requests leave the process: Node's own http and https modules, one keep-alive Agent per
 * origin. Chosen over undici (and over the global fetch, which is undici) for memory: a provider process
 * that has loaded undici's WebAssembly HTTP parser and sent a few hundred requests holds about 40 MB more
 * resident memory than one that used node:http (+4 MB), and the dynamic-provider process runs beside the
 * Pulumi engine on CI runners. Measured by `npm run bench:engine-floor` (docs/performance.md).
 *
 * Contract (what transport.ts relies on):
 * - at most `maxConnectionsPerOrigin` sockets per origin, kept alive `KEEP_ALIVE_TIMEOUT_MS` when idle, or
 *   less: Node's agent drops an idle socket a second before the server's `Keep-Alive: timeout=` hint, so a
 *   request rarely goes out on a socket the server is closing;
 * - one attempt per call, never a silent re-send;
 * - three timeouts of `requestTimeoutMs` each: connecting (TCP, and the TLS handshake for https), waiting
 *   for the response headers once connected, and any pause between two chunks of the body. They fail
 *   with the codes below: DPOD_CONNECT_TIMEOUT means nothing was sent, so even a create may be re-sent;
 * - a body over MAX_RESPONSE_BYTES fails with DPOD_RESPONSE_TOO_LARGE (DPoD answers are small documents);
 * - other failures are Node's errors, with their `code` (ECONNREFUSED, ECONNRESET, ...).
 */
import * as http from "node:http";
import * as https from "node:https";
import { TLSSocket } from "node:tls";
import { BODY_TIMEOUT, CONNECT_TIMEOUT, HEADERS_TIMEOUT, RESPONSE_TOO_LARGE } from "./failure-codes";
import type { HttpRequest, HttpResponse } from "./http-exchange";

/** Keep idle sockets a while: Pulumi operations arrive in bursts a few seconds apart. */
export const KEEP_ALIVE_TIMEOUT_MS = 30_000;
/** DPoD answers are small JSON documents; anything far larger is not a DPoD answer. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export { BODY_TIMEOUT, CONNECT_TIMEOUT, HEADERS_TIMEOUT, RESPONSE_TOO_LARGE } from "./failure-codes";

/** A transport failure of our own making, with a `code` like Node's. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

/** What sending through a closed client (or sender) throws: a programming error, never retried. */
export function clientClosedError(): Error {
  return new Error("pulumi-dpod: the client is closed; it sends no more requests");
}

export class NodeHttpSender {
  private readonly agents = new Map<string, http.Agent>();
  private opened = 0;
  private closed = false;

  constructor(private readonly options: { maxConnectionsPerOrigin: number; requestTimeoutMs: number }) {}

  /** Sockets opened so far. */
  get connectionsOpened(): number {
    return this.opened;
  }

  private agentFor(url: URL): http.Agent {
    let agent = this.agents.get(url.origin);
    if (!agent) {
      const sockets = Math.max(1, Math.floor(this.options.maxConnectionsPerOrigin));
      const options: http.AgentOptions = {
        keepAlive: true,
        maxSockets: sockets,
        maxFreeSockets: sockets,
        timeout: KEEP_ALIVE_TIMEOUT_MS,
        scheduling: "lifo",
      };
      agent = url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(url.origin, agent);
    }
    return agent;
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    if (this.closed) throw clientClosedError();
    const url = new URL(request.path, request.origin);
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new Error(`pulumi-dpod: cannot send to ${url.protocol} URLs`);
    const timeoutMs = this.options.requestTimeoutMs;
    const module = url.protocol === "https:" ? https : http;

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const arm = (code: string, what: string) => {
        clearTimeout(timer);
        timer = setTimeout(
          () => fail(new TransportError(code, `${what} took longer than ${timeoutMs} ms`)),
          timeoutMs,
        );
      };
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outgoing.destroy();
        reject(error);
      };

      const outgoing = module.request(url, {
        method: request.method,
        headers: request.headers,
        agent: this.agentFor(url),
      });
      arm(CONNECT_TIMEOUT, `connecting to ${url.origin}`);
      outgoing.on("socket", (socket) => {
        const connected = () => arm(HEADERS_TIMEOUT, "waiting for the response headers");
        if (outgoing.reusedSocket || !socket.connecting) {
          connected();
          return;
        }
        this.opened += 1;
        // Nothing is written before the TLS handshake is done: until then a timeout means nothing was sent.
        socket.once(socket instanceof TLSSocket ? "secureConnect" : "connect", connected);
      });
      outgoing.on("error", fail);
      outgoing.on("response", (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        arm(BODY_TIMEOUT, "a pause in the response body");
        incoming.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            fail(
              new TransportError(
                RESPONSE_TOO_LARGE,
                `the response is larger than ${MAX_RESPONSE_BYTES} bytes`,
              ),
            );
            return;
          }
          chunks.push(chunk);
          arm(BODY_TIMEOUT, "a pause in the response body");
        });
        incoming.on("error", fail);
        incoming.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            bodyText: Buffer.concat(chunks).toString("utf8"),
          });
        });
        incoming.on("close", () => {
          if (!incoming.complete)
            fail(
              Object.assign(new Error("the connection closed before the response was complete"), {
                code: "ECONNRESET",
              }),
            );
        });
      });
      outgoing.end(request.body);
    });
  }

  /** Ends every socket, idle or not; later sends throw. */
  close(): void {
    this.closed = true;
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
