/**
 * One short-lived client per data-function call, for the TypeScript SDK (the native plugin uses its own
 * clients). The connection is resolved like a resource's: the explicit `connection` argument, then the
 * stack config (dpod:*), then the environment (DPOD_*).
 */
import { DpodClient } from "../client";
import { resolveConnectionSettings } from "../config";
import { stripUndefined } from "../resources/common/values";

type StackConfigKey =
  "apiUrl" | "tokenUrl" | "clientId" | "clientSecret" | "accessToken" | "allowInsecureHttp";

/** Runs `fn` with a client for the resolved connection and closes it afterwards. */
export async function withConnectedClient<C extends object, T>(
  connection: C | undefined,
  stackConfig: (key: StackConfigKey) => string | undefined,
  fn: (client: DpodClient) => Promise<T>,
): Promise<T> {
  const settings = resolveConnectionSettings({
    explicit: connection === undefined ? undefined : stripUndefined(connection),
    stackConfig,
    env: process.env,
  });
  const client = new DpodClient(settings);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
