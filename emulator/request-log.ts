/**
 * The request log: every DPoD-contract request (token endpoints and /v1, not /_emulator) with its route key
 * and status. Tests and benchmarks count API calls with it.
 *
 * Counts per route are exact and unbounded; the entry list keeps only the newest MAX_ENTRIES so a long
 * benchmark cannot exhaust memory.
 */
export interface RequestLogEntry {
  method: string;
  /** "<METHOD> <fastify pattern>", or "<METHOD> <path>" for a path no route matched. */
  route: string;
  path: string;
  status: number;
  /** RFC 3339 time on the emulator clock. */
  at: string;
  /** Set when a fault was applied: its kind. */
  fault?: string;
}

export interface RequestLogReport {
  total: number;
  byRoute: Record<string, number>;
  entries: RequestLogEntry[];
}

export const MAX_LOG_ENTRIES = 10_000;

export class RequestLog {
  private total = 0;
  private byRoute = new Map<string, number>();
  private entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.total += 1;
    this.byRoute.set(entry.route, (this.byRoute.get(entry.route) ?? 0) + 1);
    this.entries.push(entry);
    // Trim in batches, so the cost per request stays constant.
    if (this.entries.length > MAX_LOG_ENTRIES * 1.1) this.entries = this.entries.slice(-MAX_LOG_ENTRIES);
  }

  report(): RequestLogReport {
    return {
      total: this.total,
      byRoute: Object.fromEntries(this.byRoute),
      entries: this.entries.slice(-MAX_LOG_ENTRIES),
    };
  }

  reset(): void {
    this.total = 0;
    this.byRoute = new Map();
    this.entries = [];
  }
}
