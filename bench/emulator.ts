/**
 * Benchmark of the DPoD emulator on loopback: requests per second for GET /v1/users/{id} and POST /v1/users.
 *
 *   npx ts-node bench/emulator.ts [--gets 20000] [--posts 5000] [--concurrency 32]
 *   npm run bench:emulator
 *
 * The emulator runs in a child process (so load generation does not share its event loop and core), bound to
 * 127.0.0.1 on a free port, with no state file. Load comes from undici keep-alive connections with bounded
 * concurrency and a bounded total count. The script is a measurement, not a test: it prints figures and
 * fails only if requests fail. Target (issue 3): at least 2,000 GETs per second.
 */
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { startEmulatorProcess } from "../scripts/lib/emulator-process";

interface RunResult {
  requests: number;
  seconds: number;
  failures: number;
  latenciesMs: number[];
}

/**
 * Runs `total` requests with at most `concurrency` in flight.
 * @param makeRequest sends request number `index` and resolves to its status code
 */
async function run(
  total: number,
  concurrency: number,
  makeRequest: (index: number) => Promise<number>,
): Promise<RunResult> {
  let next = 0;
  let failures = 0;
  const latenciesMs: number[] = [];
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const requestStarted = process.hrtime.bigint();
      const status = await makeRequest(index);
      latenciesMs.push(Number(process.hrtime.bigint() - requestStarted) / 1e6);
      if (status >= 300) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { requests: total, seconds, failures, latenciesMs };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

function report(name: string, result: RunResult): void {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const rate = result.requests / result.seconds;
  process.stdout.write(
    `${name.padEnd(22)} ${String(result.requests).padStart(6)} requests in ${result.seconds.toFixed(2)} s = ` +
      `${rate.toFixed(0).padStart(6)} req/s   p50 ${percentile(sorted, 0.5).toFixed(2)} ms   ` +
      `p99 ${percentile(sorted, 0.99).toFixed(2)} ms   failures ${result.failures}\n`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      gets: { type: "string", default: "20000" },
      posts: { type: "string", default: "5000" },
      concurrency: { type: "string", default: "32" },
    },
  });
  const gets = Number(values.gets);
  const posts = Number(values.posts);
  const concurrency = Number(values.concurrency);

  const emulator = await startEmulatorProcess();
  const started = emulator.info;
  const pool = new Pool(started.url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  try {
    const serviceProvider = started.tenants[0];
    const credential = serviceProvider?.credentials.find(
      (candidate) => candidate.role === "dpod.tenant.api_spadmin",
    );
    if (!serviceProvider || !credential) throw new Error("the emulator printed no SP credential");
    const tokenResponse = await pool.request({
      path: "/oauth/v1/token",
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: credential.clientId,
        client_secret: credential.clientSecret,
      }).toString(),
    });
    const { access_token: accessToken } = (await tokenResponse.body.json()) as { access_token: string };
    const authorization = `Bearer ${accessToken}`;
    const userPath = `/v1/users/${serviceProvider.primaryAdmin.id}`;

    const getUser = async () => {
      const response = await pool.request({ path: userPath, method: "GET", headers: { authorization } });
      await response.body.dump();
      return response.statusCode;
    };
    const runId = Date.now().toString(36);
    const createUser = async (index: number) => {
      const response = await pool.request({
        path: "/v1/users",
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify({
          username: `bench-${runId}-${index}@example.com`,
          givenName: "Bench",
          familyName: `User ${index}`,
          accountRole: "dpod.tenant.spadmin",
        }),
      });
      await response.body.dump();
      return response.statusCode;
    };

    process.stdout.write(
      `emulator ${started.url} (child process), node ${process.version}, concurrency ${concurrency}\n`,
    );
    await run(Math.min(2000, gets), concurrency, getUser); // warm-up: JIT, connections, token cache
    const getResult = await run(gets, concurrency, getUser);
    report("GET /v1/users/{id}", getResult);
    const postResult = await run(posts, concurrency, createUser);
    report("POST /v1/users", postResult);

    if (getResult.failures + postResult.failures > 0) process.exitCode = 1;
    const getRate = getResult.requests / getResult.seconds;
    process.stdout.write(`target >= 2000 GET/s: ${getRate >= 2000 ? "met" : "NOT met"}\n`);
  } finally {
    await pool.close();
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-emulator: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
