/**
 * dpod-emulator: a local DPoD Users and Credentials API 3.1.5 for demos, tests and CI.
 *
 *   const emulator = await startEmulator();            // port 0 on 127.0.0.1, fresh seed
 *   const [sp, child] = emulator.tenants;              // ready credentials in sp.credentials / child.credentials
 *   ... call emulator.url + "/v1/...", get tokens at emulator.tokenUrl ...
 *   await emulator.close();
 *
 * See docs/emulator.md for the admin routes, fault injection, dialects and the state file.
 */
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createClock } from "./clock";
import type { EmulatorContext } from "./context";
import { ActiveDialects } from "./dialects";
import { FaultRegistry } from "./faults";
import { describeAllTenants, seedDefaultTenants, type EmulatorTenant } from "./fixtures";
import { Outbox } from "./outbox";
import { PAGING_DEFAULTS } from "./paging";
import { RequestLog } from "./request-log";
import { buildServer } from "./server";
import { EmulatorStore } from "./store";
import { TokenService, generateSigningKey } from "./tokens";

export type { EmulatorTenant } from "./fixtures";
export type { MailMessage, MailKind } from "./outbox";
export type { RequestLogEntry, RequestLogReport } from "./request-log";
export type { FaultSpec, FaultKind } from "./faults";
export { DIALECTS, DIALECT_NAMES, DialectError, type DialectName } from "./dialects";
export type { TokenResponse } from "./tokens";
export { ADMIN_KEY_HEADER, ADMIN_PREFIX } from "./routes/admin";

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Keep state in this file across restarts (written atomically); in memory only when absent. */
  statePath?: string;
  /** Access-token lifetime; default 3600 (the token response says expires_in = ttl - 1). */
  tokenTtlSeconds?: number;
  /** Key for the /_emulator routes; default random. */
  adminKey?: string;
  /** Millisecond clock for token times and createdAt; default Date.now. */
  now?: () => number;
  /** fastify request logging to stdout; default false. */
  logger?: boolean;
  /** Largest page size; larger requests are clamped to it (see paging.ts); default 100. */
  maxPageSize?: number;
  /** Largest accepted request body; larger bodies get 413; default 64 KiB. */
  bodyLimitBytes?: number;
  /** Serve HTTPS with this PEM certificate (chain) and key instead of plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Dialects to answer in from the start (emulator/dialects.ts), e.g. ["summary-lists", "no-created-at"];
   * default none. Unknown or contradicting names reject the start with a DialectError.
   */
  dialects?: readonly string[];
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (https:// with `tls`); API paths are url + "/v1/...". */
  url: string;
  /** url + "/oauth/v1/token" (url + "/oauth/token" works too). */
  tokenUrl: string;
  adminKey: string;
  /** Every tenant at start, with primary admin and ready credentials; the default seed is [SP, child]. */
  tenants: EmulatorTenant[];
  close(): Promise<void>;
}

export const EMULATOR_DEFAULTS = {
  port: 0,
  host: "127.0.0.1",
  tokenTtlSeconds: 3600,
  bodyLimitBytes: 64 * 1024,
} as const;

/** Loads the state file, or creates a fresh seeded store (written at once when a state path is given). */
function openStore(options: EmulatorOptions, clock: ReturnType<typeof createClock>): EmulatorStore {
  if (options.statePath !== undefined && existsSync(options.statePath))
    return EmulatorStore.load(options.statePath);
  const store = EmulatorStore.create(generateSigningKey(), options.statePath);
  seedDefaultTenants(store, clock);
  store.commit();
  return store;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  // Checked first, so a bad name stops the start before anything is written.
  const dialects = new ActiveDialects(options.dialects);
  const clock = createClock(options.now ?? Date.now);
  const store = openStore(options, clock);
  const host = options.host ?? EMULATOR_DEFAULTS.host;
  let tokenUrl = "";
  const context: EmulatorContext = {
    store,
    clock,
    tokens: new TokenService(
      store.signingKey,
      clock,
      options.tokenTtlSeconds ?? EMULATOR_DEFAULTS.tokenTtlSeconds,
      () => tokenUrl,
      dialects,
    ),
    outbox: new Outbox(),
    faults: new FaultRegistry(),
    requestLog: new RequestLog(),
    adminKey: options.adminKey ?? randomBytes(24).toString("hex"),
    maxPageSize: options.maxPageSize ?? PAGING_DEFAULTS.maxSize,
    dialects,
  };
  const app = buildServer(context, {
    logger: options.logger ?? false,
    bodyLimitBytes: options.bodyLimitBytes ?? EMULATOR_DEFAULTS.bodyLimitBytes,
    tls: options.tls,
  });
  await app.listen({ port: options.port ?? EMULATOR_DEFAULTS.port, host });
  const address = app.server.address();
  if (address === null || typeof address === "string")
    throw new Error("The emulator is not listening on TCP");
  const hostInUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `${options.tls ? "https" : "http"}://${hostInUrl}:${address.port}`;
  tokenUrl = `${url}/oauth/v1/token`;
  return {
    url,
    tokenUrl,
    adminKey: context.adminKey,
    tenants: describeAllTenants(store),
    close: async () => {
      await app.close();
    },
  };
}
