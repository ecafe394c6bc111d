/**
 * The codes a sender gives its own failures, shared by the senders (node-http.ts) and the retry rules
 * (retry.ts), so the retry policy does not depend on a particular sender. DPOD_CONNECT_TIMEOUT means
 * nothing was sent, so even a create may be re-sent.
 */
export const CONNECT_TIMEOUT = "DPOD_CONNECT_TIMEOUT";
export const HEADERS_TIMEOUT = "DPOD_HEADERS_TIMEOUT";
export const BODY_TIMEOUT = "DPOD_BODY_TIMEOUT";
export const RESPONSE_TOO_LARGE = "DPOD_RESPONSE_TOO_LARGE";
