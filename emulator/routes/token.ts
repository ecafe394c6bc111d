/**
 * The OAuth2 token endpoints (docs/dpod-api-notes.md#token-endpoint): POST /oauth/v1/token (OneWelcome era) and POST /oauth/token
 * (UAA era), client_credentials only. Client authentication by form fields (client_secret_post) or HTTP Basic
 * (client_secret_basic). Errors are RFC 6749 bodies, thrown as OAuthError and written by server.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { EmulatorContext } from "../context";
import { OAuthError } from "../errors";
import { canonicalCredentialRole } from "../field-rules";
import { matchesDigest } from "../secrets";
import { tokenScopes } from "../tokens";

export const TOKEN_PATHS = ["/oauth/v1/token", "/oauth/token"] as const;

const badCredentials = () => new OAuthError(401, "invalid_client", "Bad credentials");

interface ClientAuthentication {
  clientId: string;
  clientSecret: string;
}

/** Decodes `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
function parseBasicAuthorization(header: string | undefined): ClientAuthentication | undefined {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const separator = decoded.indexOf(":");
  if (separator < 0) throw new OAuthError(400, "invalid_request", "Malformed Basic authorization header");
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, " ")),
      clientSecret: decodeURIComponent(decoded.slice(separator + 1).replace(/\+/g, " ")),
    };
  } catch {
    throw new OAuthError(400, "invalid_request", "Malformed Basic authorization header");
  }
}

/** One form value; RFC 6749 §3.2 forbids repeating a parameter. */
function formValue(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name);
  if (values.length > 1) throw new OAuthError(400, "invalid_request", `Parameter '${name}' is repeated`);
  return values[0];
}

export function registerTokenRoutes(app: FastifyInstance, context: EmulatorContext): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = request.body;
    if (!(form instanceof URLSearchParams)) {
      throw new OAuthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    }
    const grantType = formValue(form, "grant_type");
    if (!grantType) throw new OAuthError(400, "invalid_request", "Missing grant_type");
    if (grantType !== "client_credentials") {
      throw new OAuthError(400, "unsupported_grant_type", `Unsupported grant type: ${grantType}`);
    }

    const basic = parseBasicAuthorization(request.headers.authorization);
    const formClientId = formValue(form, "client_id");
    const formClientSecret = formValue(form, "client_secret");
    if (basic && formClientSecret !== undefined) {
      throw new OAuthError(400, "invalid_request", "Use one client authentication method, not both");
    }
    if (basic && formClientId !== undefined && formClientId !== basic.clientId) {
      throw new OAuthError(400, "invalid_request", "client_id does not match the Basic authorization header");
    }
    const clientId = basic?.clientId ?? formClientId;
    const clientSecret = basic?.clientSecret ?? formClientSecret;
    if (!clientId) throw new OAuthError(400, "invalid_request", "Missing client_id");
    if (clientSecret === undefined) throw new OAuthError(400, "invalid_request", "Missing client_secret");

    const credential = context.store.credentials.get(clientId.toLowerCase());
    if (!credential || !matchesDigest(clientSecret, credential.secret)) throw badCredentials();
    const roleScope = canonicalCredentialRole(credential.role) ?? credential.role;
    const scopes = tokenScopes(credential.tenantId, roleScope, credential.subscriberGroups);
    const token = await context.tokens.issueClientToken(credential.clientId, credential.tenantId, scopes);
    return reply.header("cache-control", "no-store").header("pragma", "no-cache").send(token);
  };
  // Forms are parsed only here (fastify keeps content-type parsers per plugin): a form sent to /v1 is a 415.
  app.register(async (tokenScope) => {
    tokenScope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_request, body, done) => done(null, new URLSearchParams(String(body))),
    );
    for (const path of TOKEN_PATHS) tokenScope.post(path, handler);
  });
}
