/**
 * One HTTP exchange as the senders (node-http.ts, proxy-http.ts) and the transport (transport.ts) pass it:
 * its own file so that the senders and the transport that picks one do not import each other.
 */
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
