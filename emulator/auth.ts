/**
 * Bearer-token authentication for /v1 routes: turns the Authorization header into the caller (Principal).
 * Every failure is a 401 with WWW-Authenticate, as an OAuth2 resource server answers (RFC 6750).
 */
import type { EmulatorContext } from "./context";
import { ApiError } from "./errors";

/** Who is calling, as far as the token tells. */
export interface Principal {
  /** `sub`: the client id of a credential, or the user id of a user token. */
  subject: string;
  clientId: string;
  /** From the `dpod.tuid.<uuid>` scope. */
  tenantId: string;
  scopes: string[];
  /** From `dpod.tuid.<tenant>.sguid.<group>` scopes; a caller with any is confined to those groups. */
  subscriberGroupIds: string[];
  /** Set for user tokens only. */
  userId?: string;
}

const TENANT_SCOPE = /^dpod\.tuid\.([0-9a-f-]{36})$/;
const GROUP_SCOPE = /^dpod\.tuid\.([0-9a-f-]{36})\.sguid\.([0-9a-f-]{36})$/;

function unauthorized(message: string, oauthError?: "invalid_token"): ApiError {
  const challenge = oauthError
    ? `Bearer realm="dpod", error="${oauthError}", error_description="${message}"`
    : `Bearer realm="dpod"`;
  return new ApiError(401, message, { "www-authenticate": challenge });
}

/**
 * @throws ApiError 401 when the header is missing or not a bearer token, the token is expired, badly signed or
 *   malformed, or its tenant no longer exists
 */
export async function authenticate(
  context: EmulatorContext,
  authorization: string | undefined,
): Promise<Principal> {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) throw unauthorized("Full authentication is required to access this resource");
  const claims = await context.tokens.verify(match[1]);
  if (claims === "expired") throw unauthorized("Access token expired", "invalid_token");
  if (claims === "invalid") throw unauthorized("Invalid access token", "invalid_token");

  let tenantId: string | undefined;
  const subscriberGroupIds: string[] = [];
  for (const scope of claims.scope) {
    const tenantMatch = TENANT_SCOPE.exec(scope);
    if (tenantMatch?.[1]) tenantId = tenantMatch[1];
  }
  if (!tenantId || !context.store.tenants.has(tenantId)) {
    throw unauthorized("Access token names no existing tenant", "invalid_token");
  }
  for (const scope of claims.scope) {
    const groupMatch = GROUP_SCOPE.exec(scope);
    if (groupMatch?.[1] === tenantId && groupMatch[2]) subscriberGroupIds.push(groupMatch[2]);
  }
  const principal: Principal = {
    subject: claims.sub,
    clientId: claims.cid,
    tenantId,
    scopes: claims.scope,
    subscriberGroupIds,
  };
  if (typeof claims.user_id === "string") principal.userId = claims.user_id;
  return principal;
}
