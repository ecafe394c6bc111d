/**
 * Access tokens: where they come from, how long they are reused, and what scopes they carry.
 *
 * Contract for client credentials (docs/dpod-api-notes.md#token-endpoint):
 * - one cache per process, keyed by (token URL, client id, a hash of the secret): every DpodClient in the
 *   process built with the same credential shares one token;
 * - a token is reused until 60 s before it expires, computed from `expires_in` at the time it was
 *   received (the JWT's `exp` is not trusted: the client never verifies signatures);
 * - at most one token request per credential is in flight; concurrent callers wait for that one;
 * - after a 401 the caller invalidates the refused token and asks again, once (request.ts).
 * A static access token (a user's token, for the account flows) is used as is and cannot be refreshed.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

/** Refresh this long before expiry, so a token never expires between being read and being used. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** docs/dpod-api-notes.md#token-lifetime-and-claims: S10 assumes one hour when `expires_in` is missing. */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

export interface AccessToken {
  value: string;
  /** Granted scopes, from the token response's `scope` or else the JWT's `scope` claim. */
  scopes: string[];
  /** When the client stops using it (expiry minus the refresh margin); undefined if unknown. */
  refreshAtMs: number | undefined;
}

export interface TokenSource {
  /** A token that is fresh enough to send now. */
  get(): Promise<AccessToken>;
  /** Forgets a token the API refused; true when asking again can yield a different one. */
  invalidate(refused: AccessToken): boolean;
}

/** What the token endpoint told us, already validated. */
export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
  scopes: string[];
}

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).nullish(),
  scope: z.union([z.string(), z.array(z.string())]).nullish(),
});

/**
 * Reads a token endpoint answer. Returns the problems instead of throwing, so the caller can build a
 * response-shape error with the redacted body.
 */
export function parseTokenResponse(body: unknown): { grant: TokenGrant } | { issues: string[] } {
  const parsed = TokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`),
    };
  }
  const { access_token, expires_in, scope } = parsed.data;
  const scopes = scope === null || scope === undefined ? scopesFromJwt(access_token) : splitScopes(scope);
  return {
    grant: { accessToken: access_token, expiresInSeconds: expires_in ?? DEFAULT_EXPIRES_IN_SECONDS, scopes },
  };
}

interface CacheEntry {
  token?: AccessToken;
  inflight?: Promise<AccessToken>;
}

const CACHE_KEY = Symbol.for("pulumi-dpod.tokenCache");

function processTokenCache(): Map<string, CacheEntry> {
  const holder = globalThis as unknown as Record<symbol, Map<string, CacheEntry> | undefined>;
  let cache = holder[CACHE_KEY];
  if (!cache) {
    cache = new Map();
    holder[CACHE_KEY] = cache;
  }
  return cache;
}

/** Empties the process-wide token cache (tests, and callers that rotate a secret in place). */
export function clearTokenCache(): void {
  processTokenCache().clear();
}

export class ClientCredentialsTokenSource implements TokenSource {
  private readonly cacheKey: string;

  constructor(
    credential: { tokenUrl: string; clientId: string; clientSecret: string },
    private readonly requestToken: () => Promise<TokenGrant>,
    private readonly now: () => number,
  ) {
    // The secret is part of the key (hashed, never stored) so a wrong secret is not masked by a token
    // obtained earlier with the right one.
    const secretHash = createHash("sha256").update(credential.clientSecret).digest("hex");
    this.cacheKey = `${credential.tokenUrl}\n${credential.clientId}\n${secretHash}`;
  }

  get(): Promise<AccessToken> {
    const cache = processTokenCache();
    let entry = cache.get(this.cacheKey);
    if (!entry) {
      entry = {};
      cache.set(this.cacheKey, entry);
    }
    const cached = entry.token;
    if (cached && cached.refreshAtMs !== undefined && this.now() < cached.refreshAtMs) {
      return Promise.resolve(cached);
    }
    if (!entry.inflight) {
      const owner = entry;
      const requestedAt = this.now();
      owner.inflight = this.requestToken()
        .then((grant) => {
          const token: AccessToken = {
            value: grant.accessToken,
            scopes: grant.scopes,
            refreshAtMs: requestedAt + grant.expiresInSeconds * 1000 - TOKEN_REFRESH_MARGIN_MS,
          };
          owner.token = token;
          return token;
        })
        .finally(() => {
          owner.inflight = undefined;
        });
    }
    return entry.inflight as Promise<AccessToken>;
  }

  invalidate(refused: AccessToken): boolean {
    const entry = processTokenCache().get(this.cacheKey);
    if (entry?.token?.value === refused.value) entry.token = undefined;
    return true;
  }
}

/** A bearer token supplied by the user (settings.accessToken): sent as is, never refreshed. */
export class StaticTokenSource implements TokenSource {
  private readonly token: AccessToken;

  constructor(accessToken: string) {
    this.token = { value: accessToken, scopes: scopesFromJwt(accessToken), refreshAtMs: undefined };
  }

  get(): Promise<AccessToken> {
    return Promise.resolve(this.token);
  }

  invalidate(): boolean {
    return false;
  }
}

/**
 * The scopes inside a JWT, read without verifying it (only to explain a 403): the `scope` claim as an array
 * or a space-separated string (docs/dpod-api-notes.md#token-lifetime-and-claims), else `authorities`. Empty
 * when unreadable.
 */
export function scopesFromJwt(token: string): string[] {
  const payload = token.split(".")[1];
  if (!payload) return [];
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (!claims || typeof claims !== "object") return [];
    const record = claims as Record<string, unknown>;
    for (const claim of [record.scope, record.authorities]) {
      if (typeof claim === "string" || Array.isArray(claim)) return splitScopes(claim);
    }
  } catch {
    // not a JWT: no scopes known
  }
  return [];
}

function splitScopes(scope: string | unknown[]): string[] {
  const items = typeof scope === "string" ? scope.split(/\s+/) : scope;
  return items.filter((item): item is string => typeof item === "string" && item.length > 0);
}
