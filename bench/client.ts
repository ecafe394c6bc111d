/**
 * Client benchmark (a script, not a timed test): `npm run bench:client`.
 *
 * Starts the emulator in a child process (so server and client do not share an event loop), then makes
 * 1,000 GET calls from one DpodClient at concurrency 8 and prints:
 * - calls made (client side, and as counted by the emulator's request log),
 * - tokens fetched (must be 1: one cached client-credentials token serves every call),
 * - connections opened (must stay within the pool bound: maxConcurrency sockets per origin),
 * - calls per second.
 * - the process's resident memory before and after, the figure that chose the default transport.
 * Exits 1 when a "must" does not hold. Options: --calls N (default 1000), --concurrency N (default 8),
 * --via node-http|undici|proxy: the default transport (node:http), an undici Agent as the dispatcher (the
 * former default), or the default client through a forward proxy (undici's ProxyAgent; the emulator is
 * then addressed by a name only the proxy resolves). Run each in its own process: undici stays loaded.
 */
import { parseArgs } from "node:util";
import { DpodClient, type ClientOptions } from "../provider/client";
import { emulatorAdmin, startEmulatorProcess } from "../scripts/lib/emulator-process";
import { startForwardProxy, type ForwardProxy } from "../scripts/lib/forward-proxy";

const VIAS = ["node-http", "undici", "proxy"] as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      calls: { type: "string", default: "1000" },
      concurrency: { type: "string", default: "8" },
      via: { type: "string", default: "node-http" },
    },
  });
  const via = values.via as (typeof VIAS)[number];
  if (!VIAS.includes(via)) throw new Error(`--via must be one of ${VIAS.join(", ")}`);
  const rssBefore = process.memoryUsage().rss;
  const totalCalls = Number(values.calls);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(totalCalls) || totalCalls < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error("--calls and --concurrency must be positive integers");
  }

  const emulator = await startEmulatorProcess();
  const { info } = emulator;
  let proxy: ForwardProxy | undefined;
  try {
    let origin = info.url;
    const options: ClientOptions = { maxConcurrency: concurrency };
    if (via === "undici") {
      const { Agent } = await import("undici");
      options.dispatcher = new Agent({ connections: concurrency });
    } else if (via === "proxy") {
      proxy = await startForwardProxy({ map: { "dpod.bench": "127.0.0.1" } });
      origin = `http://dpod.bench:${new URL(info.url).port}`;
      options.proxyEnvironment = { HTTP_PROXY: proxy.url };
    }
    const spTenant = info.tenants[0];
    const credential = spTenant?.credentials.find((c) => c.role === "dpod.tenant.api_spadmin");
    if (!spTenant || !credential) throw new Error("the emulator seed has no api_spadmin credential");
    const client = new DpodClient(
      {
        apiUrl: origin,
        tokenUrl: `${origin}/oauth/v1/token`,
        clientId: credential.clientId,
        clientSecret: credential.clientSecret,
        allowInsecureHttp: true,
      },
      options,
    );
    const userId = spTenant.primaryAdmin.id;

    let issued = 0;
    const worker = async () => {
      while (issued < totalCalls) {
        issued++;
        await client.users.get(userId);
      }
    };
    const startedAt = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsedMs = performance.now() - startedAt;

    const stats = client.stats();
    const { byRoute: serverCounts } = (await emulatorAdmin(info, "GET", "requests")) as {
      byRoute: Record<string, number>;
    };
    await client.close();

    const rssAfter = process.memoryUsage().rss;
    const poolBound = concurrency; // one pool per origin, maxConcurrency sockets; API and token share the origin here
    const tokensOk = stats.tokenRequests === 1;
    // Sockets of an undici dispatcher are not counted; node:http's are.
    const connectionsOk = stats.connectionsOpened <= poolBound;
    const lines = [
      `calls made:          ${stats.requests} (emulator counted ${serverCounts["GET /v1/users/:id"] ?? 0} GET /v1/users/:id)`,
      `tokens fetched:      ${stats.tokenRequests} (emulator counted ${serverCounts["POST /oauth/v1/token"] ?? 0}) ${tokensOk ? "OK" : "FAIL: must be 1"}`,
      `connections opened:  ${stats.connectionsOpened} (pool bound ${poolBound} per origin) ${connectionsOk ? "OK" : "FAIL: above the bound"}`,
      `concurrency:         ${concurrency}`,
      `transport:           ${via}`,
      `resident memory:     ${mb(rssBefore)} MB before, ${mb(rssAfter)} MB after (+${mb(rssAfter - rssBefore)} MB)`,
      `elapsed:             ${(elapsedMs / 1000).toFixed(2)} s`,
      `calls per second:    ${Math.round((stats.requests / elapsedMs) * 1000)}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return tokensOk && connectionsOk && stats.requests === totalCalls ? 0 : 1;
  } finally {
    await proxy?.stop();
    await emulator.stop();
  }
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench-client failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
