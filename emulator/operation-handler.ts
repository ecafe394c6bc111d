/**
 * The contract between server.ts and the route modules: a route module supplies one handler per operation;
 * server.ts does authentication, the scope check, path-id validation, commit and the success status around it.
 */
import type { FastifyRequest } from "fastify";
import type { Principal } from "./auth";
import { ApiError } from "./errors";
import type { OperationId } from "./operations";

export interface OperationCall {
  request: FastifyRequest;
  /** The `:id` path parameter, already checked to be a UUID and lower-cased; "" on routes without one. */
  id: string;
  query: Record<string, unknown>;
  /** The parsed JSON body, or undefined when none was sent. */
  body: unknown;
  /** The authenticated caller, or undefined on public operations called without a usable token. */
  principal: Principal | undefined;
}

/** Returns the response body (undefined for an empty 204). */
export type OperationHandler = (call: OperationCall) => unknown;

export type OperationHandlers<Id extends OperationId> = Record<Id, OperationHandler>;

/** The caller of an authenticated operation (server.ts guarantees one; this guards against misuse). */
export function callerOf(call: OperationCall): Principal {
  if (!call.principal) throw new ApiError(401, "Full authentication is required to access this resource");
  return call.principal;
}

/**
 * For operations without a request body: an absent body, null or `{}` is fine; any field is unknown (400).
 */
export function expectNoBody(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== "object" || Array.isArray(body))
    throw new ApiError(400, "This operation takes no request body");
  const fields = Object.keys(body);
  if (fields.length > 0)
    throw new ApiError(
      400,
      `Unknown field${fields.length > 1 ? "s" : ""} ${fields.map((f) => `'${f}'`).join(", ")}`,
    );
}
