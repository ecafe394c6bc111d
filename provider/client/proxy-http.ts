/**
 * Requests that go through a forward proxy (proxy.ts decides which): undici's ProxyAgent. To an https://
 * origin (DPoD always) it opens an HTTP CONNECT tunnel through the proxy and speaks TLS to DPoD inside it,
 * so the proxy sees host names, never the requests; a plain http:// origin (an emulator, with
 * allowInsecureHttp) gets each request forwarded in absolute form, as curl does.
 *
 * undici is required only when the first proxied request is sent: a process that loads it holds about
 * 40 MB more resident memory (docs/performance.md), which only users behind a proxy pay.
 *
 * Contract (the same as node-http.ts, which transport.ts relies on):
 * - one ProxyAgent per proxy URL, at most `maxConnectionsPerOrigin` sockets per origin, kept alive;
 * - one attempt per call; connect (proxy and tunnel), header and body timeouts of `requestTimeoutMs`,
 *   failing with undici's UND_ERR_* codes, which retry.ts knows;
 * - a body over MAX_RESPONSE_BYTES fails with DPOD_RESPONSE_TOO_LARGE;
 * - a proxy that refuses the tunnel (407 and the like) fails with DPOD_PROXY_REFUSED, naming the proxy
 *   without its credentials; the private CA of NODE_EXTRA_CA_CERTS applies to DPoD's certificate as usual.
 */
import type { Dispatcher, ProxyAgent } from "undici";
import { clientClosedError, MAX_RESPONSE_BYTES, RESPONSE_TOO_LARGE, TransportError } from "./node-http";
import type { ProxyChoice } from "./proxy";
import type { HttpRequest, HttpResponse } from "./http-exchange";

export const PROXY_REFUSED = "DPOD_PROXY_REFUSED";

export class ProxySender {
  private readonly agents = new Map<string, ProxyAgent>();
  private closed = false;

  constructor(private readonly options: { maxConnectionsPerOrigin: number; requestTimeoutMs: number }) {}

  private agentFor(proxy: ProxyChoice): ProxyAgent {
    let agent = this.agents.get(proxy.url.href);
    if (!agent) {
      // Loaded here, not at the top: see the file comment.
      const undici = require("undici") as typeof import("undici");
      const timeout = this.options.requestTimeoutMs;
      const limits = {
        connections: Math.max(1, Math.floor(this.options.maxConnectionsPerOrigin)),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        maxResponseSize: MAX_RESPONSE_BYTES,
      };
      agent = new undici.ProxyAgent({
        uri: proxy.url.href,
        proxyTunnel: false, // for http:// origins only; https:// always tunnels
        ...limits,
        proxyTls: { timeout },
        requestTls: { timeout },
        // The CONNECT request to the proxy waits no longer than any other request.
        clientFactory: (origin, options) =>
          new undici.Pool(origin, { ...options, headersTimeout: timeout, bodyTimeout: timeout }),
      });
      this.agents.set(proxy.url.href, agent);
    }
    return agent;
  }

  async send(request: HttpRequest, proxy: ProxyChoice): Promise<HttpResponse> {
    if (this.closed) throw clientClosedError();
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agentFor(proxy).request({
        origin: request.origin,
        path: request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
      });
    } catch (error) {
      throw translate(error, proxy, request.origin);
    }
    try {
      return {
        status: response.statusCode,
        headers: response.headers,
        bodyText: await response.body.text(),
      };
    } catch (error) {
      throw translate(error, proxy, request.origin);
    }
  }

  /** Ends every socket; later sends throw. */
  close(): Promise<void> {
    this.closed = true;
    const agents = [...this.agents.values()];
    this.agents.clear();
    return Promise.all(agents.map((agent) => agent.destroy())).then(() => undefined);
  }
}

/** undici's errors, with the two it words for itself given our codes and the proxy named safely. */
function translate(error: unknown, proxy: ProxyChoice, origin: string): unknown {
  const code = (error as { code?: unknown })?.code;
  const message = (error as Error)?.message ?? "";
  // undici words a refused tunnel "Proxy response (407) !== 200 ..." and a refused forwarded request
  // "Proxy Authentication Required (407)".
  const refused = /Proxy (?:response|Authentication Required) \((\d+)\)/.exec(message);
  if (refused) {
    const status = Number(refused[1]);
    return new TransportError(
      PROXY_REFUSED,
      `the proxy ${proxy.display} (from ${proxy.variable}) answered ${status} instead of ` +
        (message.includes("Tunneling")
          ? `opening a tunnel to ${origin}`
          : `forwarding the request to ${origin}`) +
        (status === 407
          ? "; it wants valid proxy credentials: give them in the proxy URL (http://user:password@host:port)"
          : ""),
    );
  }
  if (code === "UND_ERR_RES_EXCEEDED_MAX_SIZE")
    return new TransportError(RESPONSE_TOO_LARGE, `the response is larger than ${MAX_RESPONSE_BYTES} bytes`);
  return error;
}
