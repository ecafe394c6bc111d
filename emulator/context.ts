/**
 * The services every route needs, built once per emulator instance by index.ts and passed to route modules
 * (no module-level state, so several emulators can run in one process).
 */
import type { EmulatorClock } from "./clock";
import type { ActiveDialects } from "./dialects";
import type { FaultRegistry } from "./faults";
import type { Outbox } from "./outbox";
import type { RequestLog } from "./request-log";
import type { EmulatorStore } from "./store";
import type { TokenService } from "./tokens";

export interface EmulatorContext {
  readonly store: EmulatorStore;
  readonly tokens: TokenService;
  readonly clock: EmulatorClock;
  readonly outbox: Outbox;
  readonly faults: FaultRegistry;
  readonly requestLog: RequestLog;
  readonly adminKey: string;
  readonly maxPageSize: number;
  /** The dialects answered in now (emulator/dialects.ts); switched through /_emulator/dialects. */
  readonly dialects: ActiveDialects;
}
