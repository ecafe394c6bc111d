/**
 * Fault injection for DPoD-contract routes (token endpoints and /v1), configured through /_emulator/faults.
 *
 * A fault matches a request by route key ("<METHOD> <fastify pattern>", e.g. "GET /v1/users/:id") or "*".
 * `rate` (0..1, default 1) is the chance a matching request is hit; `count` limits the fault to the next N hits,
 * after which it is removed. When several faults match, the first registered one that fires wins.
 *
 * Kinds:
 * - status: answer at once with the status (and Retry-After for 429/503 when given); the handler never runs.
 * - latency: wait latencyMs, then handle the request normally.
 * - lost-response: handle and commit the request, then destroy the socket without answering.
 * - slow-response: handle and commit the request, then wait latencyMs before answering (the change is
 *   made while the caller still waits, as over a slow way back).
 * - lost-request: destroy the socket before the request is handled (nothing changes), as when a stale
 *   keep-alive connection or a connect-then-timeout loses a request on its way to DPoD. The client cannot
 *   tell this from lost-response: both look like a dropped connection after the request was sent.
 */
import { randomUUID } from "node:crypto";

export const FAULT_KINDS = ["status", "latency", "slow-response", "lost-response", "lost-request"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_STATUSES = [429, 500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** Statuses whose responses carry Retry-After when the fault gives one. */
export const RETRY_AFTER_STATUSES: readonly FaultStatus[] = [429, 503];

export interface FaultSpec {
  route: string;
  kind: FaultKind;
  status?: FaultStatus;
  retryAfter?: string;
  latencyMs?: number;
  rate?: number;
  count?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  /** How many requests this fault has hit so far. */
  hits: number;
  /** Hits left before removal; undefined = unlimited. */
  remaining?: number;
}

export const ANY_ROUTE = "*";

export class FaultRegistry {
  private faults: Fault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: randomUUID(), hits: 0 };
    if (spec.count !== undefined) fault.remaining = spec.count;
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }

  get isEmpty(): boolean {
    return this.faults.length === 0;
  }

  /**
   * Decides whether a request to `route` is hit, consuming one use of the fault that fires.
   * @returns the fault to apply, or undefined
   */
  pick(route: string): Fault | undefined {
    for (const fault of this.faults) {
      if (fault.route !== ANY_ROUTE && fault.route !== route) continue;
      if (this.random() >= (fault.rate ?? 1)) continue;
      fault.hits += 1;
      if (fault.remaining !== undefined) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.faults = this.faults.filter((other) => other !== fault);
      }
      return { ...fault };
    }
    return undefined;
  }
}
