/**
 * Access tokens: HS256 JWTs signed with a key of this emulator (persisted in the state file when there is one,
 * so tokens survive a restart).
 *
 * Claims follow docs/dpod-api-notes.md#token-lifetime-and-claims: `scope` is a JSON array, `authorities`
 * repeats it for client tokens, `sub` = `cid` = `client_id` = the client id (the user id for user tokens),
 * and the tenant and subscriber groups travel only as `dpod.tuid.<tenant>` and
 * `dpod.tuid.<tenant>.sguid.<group>` scopes. The dialects `scope-claim-string` and `scope-answer-array`
 * (emulator/dialects.ts) flip the form of the claim and of the answer's `scope`; verification accepts the
 * claim in either form, so tokens stay valid when a dialect is switched.
 */
import { randomBytes } from "node:crypto";
import type { JWTPayload } from "jose";
import type { EmulatorClock } from "./clock";
import type { ActiveDialects } from "./dialects";
import { loadJose } from "./jose-loader";

/** The JSON answer of the token endpoints (docs/dpod-api-notes.md#token-endpoint). */
export interface TokenResponse {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  /** Space-separated; a JSON array under the `scope-answer-array` dialect. */
  scope: string | string[];
  jti: string;
}

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  scope: string[];
  exp: number;
  iat: number;
  jti: string;
  cid: string;
  client_id: string;
  /** Present on user tokens only. */
  user_id?: string;
  user_name?: string;
}

/** The client id stamped on user tokens, which DPoD would mint for its UI (outside this API). */
export const USER_TOKEN_CLIENT_ID = "dpod-emulator-ui";

/** The audience of every token; the real value is unknown (docs/dpod-api-notes.md#token-lifetime-and-claims). */
export const TOKEN_AUDIENCE = "dpod";

export type TokenRejection = "expired" | "invalid";

/** How many verified tokens are remembered, so repeated calls skip the HMAC check. */
const VERIFIED_TOKEN_CACHE_LIMIT = 10_000;

export function generateSigningKey(): string {
  return randomBytes(32).toString("base64");
}

/** The scope list of a token: the tenant, the role, then one scope per subscriber group. */
export function tokenScopes(
  tenantId: string,
  roleScope: string,
  subscriberGroupIds: readonly string[],
): string[] {
  return [
    `dpod.tuid.${tenantId}`,
    roleScope,
    ...subscriberGroupIds.map((groupId) => `dpod.tuid.${tenantId}.sguid.${groupId}`),
  ];
}

export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(
    signingKeyBase64: string,
    private readonly clock: EmulatorClock,
    private readonly ttlSeconds: number,
    /** The issuer URL; a function because the port is known only after listening. */
    private readonly issuer: () => string,
    private readonly dialects: ActiveDialects,
  ) {
    this.key = new Uint8Array(Buffer.from(signingKeyBase64, "base64"));
  }

  /** Mints a client-credentials token for a credential. */
  issueClientToken(clientId: string, tenantId: string, scopes: string[]): Promise<TokenResponse> {
    return this.issue(scopes, {
      sub: clientId,
      cid: clientId,
      client_id: clientId,
      azp: clientId,
      authorities: scopes,
      grant_type: "client_credentials",
      zid: tenantId,
    });
  }

  /** Mints a user token, as DPoD's UI login would; only reachable through /_emulator/user-tokens. */
  issueUserToken(
    userId: string,
    username: string,
    tenantId: string,
    scopes: string[],
  ): Promise<TokenResponse> {
    return this.issue(scopes, {
      sub: userId,
      user_id: userId,
      user_name: username,
      email: username,
      cid: USER_TOKEN_CLIENT_ID,
      client_id: USER_TOKEN_CLIENT_ID,
      azp: USER_TOKEN_CLIENT_ID,
      grant_type: "authorization_code",
      zid: tenantId,
    });
  }

  /**
   * Checks signature and expiry against the emulator clock.
   * @returns the claims, or why the token is refused
   */
  async verify(token: string): Promise<AccessTokenClaims | TokenRejection> {
    let claims = this.verified.get(token);
    if (!claims) {
      const { jwtVerify, errors: joseErrors } = await loadJose();
      try {
        const { payload } = await jwtVerify(token, this.key, {
          algorithms: ["HS256"],
          currentDate: new Date(this.clock.now()),
        });
        const scope = scopeList(payload["scope"]);
        if (!scope) return "invalid";
        const withScopeList = { ...payload, scope };
        if (!isAccessTokenClaims(withScopeList)) return "invalid";
        claims = withScopeList;
      } catch (error) {
        return error instanceof joseErrors.JWTExpired ? "expired" : "invalid";
      }
      if (this.verified.size >= VERIFIED_TOKEN_CACHE_LIMIT) this.verified.clear();
      this.verified.set(token, claims);
    }
    return claims.exp * 1000 <= this.clock.now() ? "expired" : claims;
  }

  private async issue(scopes: string[], extraClaims: Record<string, unknown>): Promise<TokenResponse> {
    const { SignJWT } = await loadJose();
    const issuedAt = Math.floor(this.clock.now() / 1000);
    const jti = randomBytes(16).toString("hex");
    const scopeClaim = this.dialects.has("scope-claim-string") ? scopes.join(" ") : scopes;
    const accessToken = await new SignJWT({ ...extraClaims, scope: scopeClaim, jti })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(this.issuer())
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.key);
    return {
      access_token: accessToken,
      token_type: "bearer",
      // One second less than the lifetime, as UAA reports it (3599 for one hour, seen in code: S11).
      expires_in: Math.max(this.ttlSeconds - 1, 0),
      scope: this.dialects.has("scope-answer-array") ? [...scopes] : scopes.join(" "),
      jti,
    };
  }
}

/** A `scope` claim as a list: a JSON array of strings or one space-separated string; undefined otherwise. */
function scopeList(claim: unknown): string[] | undefined {
  if (typeof claim === "string") return claim.split(" ").filter((scope) => scope !== "");
  if (Array.isArray(claim) && claim.every((scope) => typeof scope === "string")) return claim as string[];
  return undefined;
}

function isAccessTokenClaims(payload: JWTPayload): payload is AccessTokenClaims {
  return (
    typeof payload.sub === "string" &&
    typeof payload.exp === "number" &&
    Array.isArray(payload["scope"]) &&
    (payload["scope"] as unknown[]).every((scope) => typeof scope === "string")
  );
}
