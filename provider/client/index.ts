/**
 * DpodClient: typed access to the DPoD Users and Credentials API 3.1.5 (what is inferred about it: docs/dpod-api-notes.md).
 *
 * The only code in the provider that speaks HTTP. One client per set of connection settings; building
 * one is cheap, and clients in the same process share tokens (per credential) and the concurrency
 * limit. Every failure is a DpodApiError subclass (errors.ts) whose message says what to do and which
 * never contains a secret.
 */
import { ClientCredentialsTokenSource, StaticTokenSource, type TokenSource } from "./auth";
import { accountEndpoints, type AccountEndpoints } from "./endpoints/account";
import { credentialsEndpoints, type CredentialsEndpoints } from "./endpoints/credentials";
import { subscriberGroupsEndpoints, type SubscriberGroupsEndpoints } from "./endpoints/subscriber-groups";
import { usersEndpoints, type UsersEndpoints } from "./endpoints/users";
import { DEFAULT_MAX_CONCURRENCY, sharedLimiter } from "./limiter";
import { DebugLog } from "./log";
import { SecretScrubber } from "./redact";
import { isLoopbackHost, ProxyRouting } from "./proxy";
import { ApiRequester } from "./request";
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RETRY_WAIT_MS } from "./retry";
import { DEFAULT_REQUEST_TIMEOUT_MS, Transport, type RequestDispatcher } from "./transport";

export * from "./errors";
export type { Page } from "./paging";
export { pageBase } from "./paging";
export type { RequestDispatcher } from "./transport";
export type { ClientCredential, SubscriberGroup, User } from "./types";
export type { AccountEndpoints, CredentialsEndpoints, SubscriberGroupsEndpoints, UsersEndpoints };
export type { CreateClientCredentialBody, ClientCredentialQuery } from "./endpoints/credentials";
export type { CreateUserBody, TenantOption } from "./endpoints/users";
export { OPERATIONS, type OperationId, type OperationSpec } from "./operations";
export { clearTokenCache } from "./auth";
export { isLoopbackHost };
export {
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
};

/** Where and as whom to connect. Resolve it from stack config and environment with provider/config.ts. */
export interface ConnectionSettings {
  /** API base URL, e.g. https://thales.eu.market.dpondemand.io (paths below it start with /v1). */
  apiUrl: string;
  /** OAuth token URL for the client-credentials grant. */
  tokenUrl: string;
  /** Client id of a DPoD platform credential. */
  clientId?: string;
  /** Its secret. */
  clientSecret?: string;
  /** A static bearer token (a user's token), used for the account flows, or for everything when no client credential is set. */
  accessToken?: string;
  /** Allow plain http:// to hosts other than loopback (never for real tenants). */
  allowInsecureHttp?: boolean;
}

export interface ClientOptions {
  /**
   * An undici Dispatcher (Agent, ProxyAgent, MockAgent) to send requests through, e.g. for a proxy or in
   * tests; default: the client's own keep-alive sockets (node:http).
   */
  dispatcher?: RequestDispatcher;
  /** Requests in flight at once, shared by every client in the process with the same value (default 8). Also the pool size per origin. */
  maxConcurrency?: number;
  /** Attempts per request including the first (default 5). */
  maxAttempts?: number;
  /** Cap for any single wait between attempts, including one asked for by Retry-After (default 30 s). */
  maxRetryWaitMs?: number;
  /** Connect, headers and body timeout per attempt (default 30 s). */
  requestTimeoutMs?: number;
  /** Clock for token expiry and Retry-After dates (default Date.now). */
  now?: () => number;
  /** How to wait between attempts (default a real timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1) (default Math.random). */
  random?: () => number;
  /** Where debug lines go (default stderr). Lines are written only when debug logging is on. */
  logger?: (line: string) => void;
  /** Turns request/response debug logging on or off; default: on when DPOD_LOG=debug. */
  debug?: boolean;
  /**
   * Where the proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case forms) are read;
   * default process.env. Not used with an injected dispatcher.
   */
  proxyEnvironment?: NodeJS.ProcessEnv;
}

export class DpodClient {
  readonly credentials: CredentialsEndpoints;
  readonly subscriberGroups: SubscriberGroupsEndpoints;
  readonly users: UsersEndpoints;
  readonly account: AccountEndpoints;

  private readonly transport: Transport;
  private readonly requester: ApiRequester;
  private readonly settings: Pick<ConnectionSettings, "apiUrl" | "tokenUrl">;
  private readonly log: DebugLog;

  constructor(settings: ConnectionSettings, options: ClientOptions = {}) {
    assertUsableSettings(settings);
    const scrubber = new SecretScrubber();
    scrubber.add(settings.clientSecret);
    scrubber.add(settings.accessToken);
    const proxies = options.dispatcher
      ? undefined
      : new ProxyRouting(options.proxyEnvironment ?? process.env);
    for (const credential of proxies?.credentials() ?? []) scrubber.add(credential);

    const now = options.now ?? Date.now;
    const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.transport = new Transport({
      dispatcher: options.dispatcher,
      maxConnectionsPerOrigin: maxConcurrency,
      requestTimeoutMs,
      limiter: sharedLimiter(maxConcurrency),
      proxies,
    });
    this.settings = { apiUrl: settings.apiUrl, tokenUrl: settings.tokenUrl };

    // The token source fetches through the requester, and the requester sends with the token source:
    // the fetcher reads the requester from a holder filled just below.
    const built: { requester?: ApiRequester } = {};
    const { clientId, clientSecret } = settings;
    const credentialTokens: TokenSource | undefined =
      clientId && clientSecret
        ? new ClientCredentialsTokenSource(
            { tokenUrl: settings.tokenUrl, clientId, clientSecret },
            () => {
              if (!built.requester)
                throw new Error("DpodClient: token requested before the client was built");
              return built.requester.requestTokenGrant(clientId, clientSecret);
            },
            now,
          )
        : undefined;
    this.log = DebugLog.fromEnvironment(options.debug, options.logger, (text) => scrubber.clean(text));
    const requester = new ApiRequester({
      apiUrl: settings.apiUrl,
      tokenUrl: settings.tokenUrl,
      transport: this.transport,
      retry: {
        maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        maxRetryWaitMs: options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS,
        sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        random: options.random ?? Math.random,
        now,
      },
      log: this.log,
      scrubber,
      credentialTokens,
      userTokens: settings.accessToken ? new StaticTokenSource(settings.accessToken) : undefined,
    });
    built.requester = requester;
    this.requester = requester;

    this.credentials = credentialsEndpoints(requester);
    this.subscriberGroups = subscriberGroupsEndpoints(requester);
    this.users = usersEndpoints(requester);
    this.account = accountEndpoints(requester);
  }

  /** The scopes of the token used for ordinary operations (fetching one if needed). */
  grantedScopes(): Promise<string[]> {
    return this.requester.grantedScopes();
  }

  /** Writes one debug line (only when debug logging is on), cleaned of secrets like every line of the log. */
  note(message: string): void {
    this.log.note(message);
  }

  /** Counters since construction: API requests sent (attempts), token requests sent, sockets opened. */
  stats(): { requests: number; tokenRequests: number; connectionsOpened: number } {
    return {
      requests: this.requester.stats.requests,
      tokenRequests: this.requester.stats.tokenRequests,
      connectionsOpened: this.transport.connectionsOpened,
    };
  }

  /**
   * The proxy the API and the token endpoint are reached through (credentials shown as [REDACTED], with
   * the variable each came from), or undefined for a direct connection.
   */
  proxies(): Record<"api" | "token", { proxy: string; variable: string } | undefined> {
    const route = (url: string) => {
      const choice = this.transport.proxyFor(new URL(url).origin);
      return choice ? { proxy: choice.display, variable: choice.variable } : undefined;
    };
    return { api: route(this.settings.apiUrl), token: route(this.settings.tokenUrl) };
  }

  /** Closes the client's own connections; an injected dispatcher stays open. */
  close(): Promise<void> {
    return this.transport.close();
  }
}

/**
 * A last check for settings that did not come through resolveConnectionSettings (config.ts), which is
 * where users get the detailed messages. Never echoes a value: a URL may carry credentials.
 */
function assertUsableSettings(settings: ConnectionSettings): void {
  for (const key of ["apiUrl", "tokenUrl"] as const) {
    let url: URL;
    try {
      url = new URL(settings[key]);
    } catch {
      throw new TypeError(`DpodClient: settings.${key} is not an absolute URL.`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TypeError(`DpodClient: settings.${key} must be an https:// URL.`);
    }
    if (url.protocol === "http:" && !settings.allowInsecureHttp && !isLoopbackHost(url.hostname)) {
      throw new TypeError(
        `DpodClient: settings.${key} uses plain http:// to a non-loopback host; use https:// or set allowInsecureHttp.`,
      );
    }
  }
  if (!(settings.clientId && settings.clientSecret) && !settings.accessToken) {
    throw new TypeError("DpodClient: settings need clientId and clientSecret, or accessToken.");
  }
}
