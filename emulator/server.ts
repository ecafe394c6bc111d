/**
 * Assembles the fastify app: body parsers, the uniform error and not-found bodies, fault injection and the
 * request log for DPoD-contract routes, and the 24 operations wrapped with authentication, the scope check and
 * path-id validation.
 *
 * Order of checks for an operation (as a Spring Security resource server would answer): fault → 401 (token) →
 * 403 (scope) → 400 (path id, body) → handler → commit. fastify parses the body after the onRequest hooks, so a
 * request with a bad token and a malformed body gets 401, not 400.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { authenticate, type Principal } from "./auth";
import type { EmulatorContext } from "./context";
import { reshapeAnswer, successStatusOf } from "./answer-dialects";
import { ApiError, OAuthError, errorBodyShapeOf, renderErrorBody } from "./errors";
import { RETRY_AFTER_STATUSES, type Fault } from "./faults";
import type { RequestLogEntry } from "./request-log";
import type { OperationCall, OperationHandler } from "./operation-handler";
import { OPERATIONS, OPERATION_IDS, type OperationId } from "./operations";
import { accountHandlers } from "./routes/account";
import { registerAdminRoutes } from "./routes/admin";
import { credentialHandlers } from "./routes/credentials";
import { subscriberGroupHandlers } from "./routes/subscriber-groups";
import { registerTokenRoutes } from "./routes/token";
import { userHandlers } from "./routes/users";
import { grantingScopes, isPublicOperation, isSelfOnlyGrant, refusalMessage } from "./scope-matrix";
import { RULE_STATUS, ruleStatusIn } from "./status-codes";
import { parseUuid } from "./validation";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller of an operation; set by the operation's onRequest hook. */
    dpodPrincipal: Principal | undefined;
    /** The fault picked for this request, if any. */
    dpodFault: Fault | undefined;
  }
}

export interface ServerOptions {
  logger: boolean;
  bodyLimitBytes: number;
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** Contract routes are the DPoD API itself: /v1 and the token endpoints. Only these are faulted and logged. */
function isContractPath(url: string): boolean {
  return url.startsWith("/v1/") || url === "/v1" || url.startsWith("/oauth/");
}

function isTokenPath(url: string): boolean {
  return url.startsWith("/oauth/");
}

function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}

/** "<METHOD> <fastify pattern>", or "<METHOD> <path>" when no route matched. */
function routeKeyOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? pathOf(request.url)}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends an error answer: on contract routes in the active error-body dialect, on /_emulator routes always in
 * the default shape.
 */
function sendError(
  context: EmulatorContext,
  reply: FastifyReply,
  url: string,
  status: number,
  message: string,
): FastifyReply {
  const shape = isContractPath(url) ? errorBodyShapeOf(context.dialects) : "default";
  return reply.code(status).send(renderErrorBody(shape, status, message, pathOf(url), context.clock.now()));
}

export function buildServer(context: EmulatorContext, options: ServerOptions): FastifyInstance {
  const app = Fastify({
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    logger: options.logger,
    bodyLimit: options.bodyLimitBytes,
    // HEAD routes would be a surface the real API is not known to have, and would pollute the request log.
    exposeHeadRoutes: false,
    // close() must not wait for idle keep-alive clients.
    forceCloseConnections: true,
    return503OnClosing: true,
    // Router-level failures (undecodable URL, over-long path parameter) get the uniform error body too.
    frameworkErrors: (error, request, reply) => {
      const status = typeof error.statusCode === "number" ? error.statusCode : 400;
      void sendError(context, reply as FastifyReply, request.url, status, error.message);
    },
  });
  app.decorateRequest("dpodPrincipal", undefined);
  app.decorateRequest("dpodFault", undefined);

  registerBodyParsers(app);
  registerErrorHandling(app, context);
  registerFaultsAndRequestLog(app, context);
  registerTokenRoutes(app, context);
  registerOperations(app, context);
  registerAdminRoutes(app, context);
  return app;
}

function registerBodyParsers(app: FastifyInstance): void {
  // JSON, tolerating an empty body (clients send Content-Type on body-less POSTs such as resetSecret).
  const defaultJsonParser = app.getDefaultJsonParser("error", "error");
  const lenientJsonParser = (
    request: FastifyRequest,
    body: string | Buffer,
    done: (error: Error | null, body?: unknown) => void,
  ) => {
    const text = String(body);
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    defaultJsonParser(request, text, done);
  };
  // Only JSON here; routes/token.ts adds forms for the token endpoints alone. Anything else is a 415.
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "string" }, lenientJsonParser);
  // PATCH bodies may come as JSON merge patches (docs/dpod-api-notes.md#updates-by-patch).
  app.addContentTypeParser("application/merge-patch+json", { parseAs: "string" }, lenientJsonParser);
}

function registerErrorHandling(app: FastifyInstance, context: EmulatorContext): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const path = pathOf(request.url);
    const statusOfError =
      typeof (error as { statusCode?: unknown }).statusCode === "number"
        ? (error as { statusCode: number }).statusCode
        : 500;

    if (isTokenPath(path)) {
      if (error instanceof OAuthError) {
        if (error.status === 401) reply.header("www-authenticate", 'Basic realm="oauth"');
        return reply.code(error.status).send(error.body);
      }
      if (statusOfError >= 400 && statusOfError < 500) {
        const description = statusOfError === 413 ? "Request body is too large" : "Malformed token request";
        return reply
          .code(statusOfError === 413 ? 413 : 400)
          .send({ error: "invalid_request", error_description: description });
      }
    }

    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      const status =
        error.rule !== undefined && isContractPath(request.url)
          ? ruleStatusIn(context.dialects, error.rule)
          : error.status;
      return sendError(context, reply, request.url, status, error.message);
    }
    if (statusOfError >= 400 && statusOfError < 500) {
      // fastify's own client errors: malformed JSON, too-large or unsupported body, ...
      const message = (error as Error).message || "Bad request";
      return sendError(context, reply, request.url, statusOfError, message);
    }
    request.log.error({ err: error }, "unexpected emulator error");
    return sendError(context, reply, request.url, 500, "Internal emulator error");
  });

  app.setNotFoundHandler((request, reply) => {
    void sendError(context, reply, request.url, 404, `No endpoint ${request.method} ${pathOf(request.url)}`);
  });
}

function logEntry(request: FastifyRequest, status: number, context: EmulatorContext): RequestLogEntry {
  return {
    method: request.method,
    route: routeKeyOf(request),
    path: pathOf(request.url),
    status,
    at: new Date(context.clock.now()).toISOString(),
    ...(request.dpodFault ? { fault: request.dpodFault.kind } : {}),
  };
}

function registerFaultsAndRequestLog(app: FastifyInstance, context: EmulatorContext): void {
  app.addHook("onRequest", async (request, reply) => {
    if (context.faults.isEmpty || !isContractPath(request.url)) return;
    const fault = context.faults.pick(routeKeyOf(request));
    if (!fault) return;
    request.dpodFault = fault;
    if (fault.kind === "latency") {
      await sleep(fault.latencyMs ?? 0);
    } else if (fault.kind === "status") {
      const status = fault.status ?? 503;
      if (fault.retryAfter !== undefined && RETRY_AFTER_STATUSES.includes(status)) {
        reply.header("retry-after", fault.retryAfter);
      }
      const message = status === 429 ? "Too many requests (injected fault)" : "Injected fault";
      return sendError(context, reply, request.url, status, message);
    } else if (fault.kind === "lost-request") {
      // Logged here because no answer (and so no onSend) follows; status 0 = no response.
      context.requestLog.record(logEntry(request, 0, context));
      reply.hijack();
      request.raw.socket?.destroy();
    }
    return;
  });

  app.addHook("onSend", async (request, reply, payload) => {
    if (!isContractPath(request.url)) return payload;
    context.requestLog.record(logEntry(request, reply.statusCode, context));
    if (request.dpodFault?.kind === "lost-response") {
      // The change is already committed; the client sees the connection drop instead of an answer.
      request.raw.socket?.destroy();
    } else if (request.dpodFault?.kind === "slow-response") {
      await sleep(request.dpodFault.latencyMs ?? 0); // the change is already committed
    }
    return payload;
  });
}

function registerOperations(app: FastifyInstance, context: EmulatorContext): void {
  const handlers: Record<OperationId, OperationHandler> = {
    ...credentialHandlers(context),
    ...subscriberGroupHandlers(context),
    ...userHandlers(context),
    ...accountHandlers(context),
  };
  for (const operation of OPERATION_IDS) {
    const handler = handlers[operation];
    const { method, path } = OPERATIONS[operation];
    const hasIdParameter = path.includes(":id");
    app.route({
      method,
      url: path,
      onRequest: async (request) => {
        if (isPublicOperation(operation)) return;
        const principal = await authenticate(context, request.headers.authorization);
        const granting = grantingScopes(operation, principal.scopes);
        if (granting.length === 0) throw new ApiError(403, refusalMessage(operation));
        if (hasIdParameter && isSelfOnlyGrant(operation, granting)) {
          const id = (request.params as { id?: string }).id?.toLowerCase();
          if (id !== principal.userId) {
            throw new ApiError(
              RULE_STATUS.notOwnAccount,
              `${operation} with this token is limited to the caller's own account`,
            );
          }
        }
        request.dpodPrincipal = principal;
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const call: OperationCall = {
          request,
          id: hasIdParameter ? parseUuid((request.params as { id?: string }).id, "id") : "",
          query: (request.query ?? {}) as Record<string, unknown>,
          body: request.body,
          principal: request.dpodPrincipal,
        };
        let responseBody: unknown;
        try {
          responseBody = await handler(call);
        } finally {
          // Reads change nothing (verify does); a failed write may have touched state (e.g. an expired code
          // removed), so commit after it too.
          if (method !== "GET" || operation === "verifyUser") context.store.commit();
        }
        const status = successStatusOf(operation, context.dialects);
        if (status === 204) return reply.code(204).send();
        const answer = context.dialects.isEmpty
          ? responseBody
          : reshapeAnswer(operation, responseBody, context.dialects);
        return reply.code(status).send(answer);
      },
    });
  }
}
