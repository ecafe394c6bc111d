/**
 * Integration fixtures: an in-process emulator on 127.0.0.1 (port 0), clients for its seeded credentials,
 * and the emulator's admin routes (user tokens, outbox, request log, faults).
 */
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { clearTokenCache, DpodClient, type ClientOptions } from "../../../provider/client";

export const SP_ADMIN_ROLE = "dpod.tenant.api_spadmin";
export const APP_OWNER_ROLE = "dpod.tenant.api_appowner";
export const SERVICE_ROLE = "dpod.tenant.api_service";

export interface Fixture {
  emulator: RunningEmulator;
  spTenantId: string;
  childTenantId: string;
  /** api_spadmin credential of the service-provider tenant. */
  spClient(options?: ClientOptions): DpodClient;
  /** api_appowner credential of the child tenant. */
  appOwnerClient(options?: ClientOptions): DpodClient;
  /** A client acting with a user's token (for the account flows). */
  userClient(accessToken: string, options?: ClientOptions): DpodClient;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** Waits that the tests do not want to sit through: recorded, not slept. */
export const instantSleep = async (): Promise<void> => undefined;

export async function startFixture(): Promise<Fixture> {
  const emulator = await startEmulator();
  clearTokenCache();
  const [sp, child] = emulator.tenants;
  if (!sp || !child) throw new Error("the emulator seed should have two tenants");
  const credential = (tenant: typeof sp, role: string) => {
    const found = tenant.credentials.find((c) => c.role === role);
    if (!found) throw new Error(`no ${role} credential in ${tenant.name}`);
    return found;
  };
  const clients: DpodClient[] = [];
  const track = (client: DpodClient) => {
    clients.push(client);
    return client;
  };
  const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
  const defaults: ClientOptions = { sleep: instantSleep, debug: false };
  return {
    emulator,
    spTenantId: sp.id,
    childTenantId: child.id,
    spClient: (options) => {
      const { clientId, clientSecret } = credential(sp, SP_ADMIN_ROLE);
      return track(new DpodClient({ ...base, clientId, clientSecret }, { ...defaults, ...options }));
    },
    appOwnerClient: (options) => {
      const { clientId, clientSecret } = credential(child, APP_OWNER_ROLE);
      return track(new DpodClient({ ...base, clientId, clientSecret }, { ...defaults, ...options }));
    },
    userClient: (accessToken, options) =>
      track(new DpodClient({ ...base, accessToken }, { ...defaults, ...options })),
    async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${emulator.url}/_emulator${path}`, {
        method,
        headers: { "x-emulator-admin-key": emulator.adminKey, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`admin ${method} ${path} failed: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await emulator.close();
    },
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

let counter = 0;
/** A name unique within the test run. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
