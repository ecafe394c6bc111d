/**
 * How long the native plugin takes to start: from spawning `pulumi-resource-dpod` (the compiled
 * dist/provider/native/main.js, as npm installs it) to the port on its first stdout line, which is when
 * the engine can talk to it, and to the answer of its first call (GetSchema, which loads the handlers).
 * Prints each run and the medians; a benchmark, not a test.
 *
 *   npm run build && npm run bench:plugin-start [-- <runs>]
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { grpcModules } from "../provider/native/grpc";
import { repositoryRoot } from "../scripts/lib/engine";

const main = path.join(repositoryRoot, "dist", "provider", "native", "main.js");

const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

function startOnce(): Promise<{ port: number; firstCall: number }> {
  const { grpc, provider, providerGrpc } = grpcModules();
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // The engine address is not dialled before the first log line; a closed loopback port is enough.
    const child = spawn(process.execPath, [main, "127.0.0.1:1"], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.once("data", (chunk: Buffer) => {
      const port = since(started);
      const match = /^(\d+)\n/.exec(chunk.toString());
      if (!match) return reject(new Error(`unexpected first output: ${chunk.toString()}`));
      const client = new providerGrpc.ResourceProviderClient(
        `127.0.0.1:${match[1]}`,
        grpc.credentials.createInsecure(),
      );
      client.getSchema(new provider.GetSchemaRequest(), (error) => {
        const firstCall = since(started);
        client.close();
        child.kill("SIGTERM");
        if (error) reject(error);
        else resolve({ port, firstCall });
      });
    });
    child.on("error", reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function run(): Promise<void> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const runs = Number(process.argv[2] ?? 10);
  const ports: number[] = [];
  const firstCalls: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const { port, firstCall } = await startOnce();
    ports.push(port);
    firstCalls.push(firstCall);
    console.log(
      `run ${i + 1}: port after ${port.toFixed(0)} ms, first call answered after ${firstCall.toFixed(0)} ms`,
    );
  }
  console.log(
    `plugin start over ${runs} runs: port after ${median(ports).toFixed(0)} ms (median), ` +
      `first call answered after ${median(firstCalls).toFixed(0)} ms (median)`,
  );
}

run().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
