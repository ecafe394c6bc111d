#!/usr/bin/env node
/**
 * dpod-emulator: runs the DPoD emulator until SIGINT or SIGTERM.
 *
 * Prints exactly one JSON line on stdout once listening: {"url","tokenUrl","adminKey","tenants":[...]}.
 * Diagnostics go to stderr. Exit codes: 0 after a signal, 1 when it cannot start, 2 for bad arguments.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DIALECTS, DIALECT_NAMES, parseDialectList } from "./dialects";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./index";

const DIALECT_LINES = DIALECT_NAMES.map((name) => `    ${name.padEnd(24)}${DIALECTS[name].instead}`).join(
  "\n",
);

const USAGE = `Usage: dpod-emulator [--port N] [--host ADDRESS] [--state FILE] [--admin-key KEY] [--token-ttl SECONDS]
                     [--tls-cert FILE --tls-key FILE]
                     [--dialect NAME[,NAME...]]

  --port        TCP port, 0 = any free port (default 0)
  --host        interface to bind (default 127.0.0.1)
  --state       keep state in FILE across restarts (written atomically)
  --admin-key   key for the /_emulator routes (default random)
  --token-ttl   access-token lifetime in seconds (default 3600)
  --tls-cert    serve HTTPS with this PEM certificate (chain); needs --tls-key
  --tls-key     the PEM private key of --tls-cert
  --dialect     answer in these dialects, comma-separated (repeatable; default none):
${DIALECT_LINES}
`;

function parseInteger(value: string | undefined, name: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum)
    throw new Error(`--${name} must be an integer >= ${minimum}`);
  return parsed;
}

function parseOptions(argv: string[]): EmulatorOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      state: { type: "string" },
      "admin-key": { type: "string" },
      "token-ttl": { type: "string" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      dialect: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  const options: EmulatorOptions = {};
  const port = parseInteger(values.port, "port", 0);
  if (port !== undefined) {
    if (port > 65535) throw new Error("--port must be at most 65535");
    options.port = port;
  }
  const tokenTtl = parseInteger(values["token-ttl"], "token-ttl", 1);
  if (tokenTtl !== undefined) options.tokenTtlSeconds = tokenTtl;
  if (values.host !== undefined) options.host = values.host;
  if (values.state !== undefined) options.statePath = values.state;
  if (values["admin-key"] !== undefined) options.adminKey = values["admin-key"];
  const cert = values["tls-cert"];
  const key = values["tls-key"];
  if ((cert === undefined) !== (key === undefined)) throw new Error("--tls-cert and --tls-key go together");
  if (cert !== undefined && key !== undefined) {
    options.tls = { cert: readFileSync(cert), key: readFileSync(key) };
  }
  // Checked here as a whole, so an unknown or contradicting name is a bad argument (exit 2).
  if (values.dialect !== undefined) options.dialects = parseDialectList(values.dialect.join(","));
  return options;
}

async function main(): Promise<void> {
  let options: EmulatorOptions | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`dpod-emulator: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (options === "help") {
    process.stderr.write(USAGE);
    return;
  }

  // Handlers go in before the JSON line is printed: a caller may signal as soon as it reads that line.
  const running: { emulator?: RunningEmulator } = {};
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`dpod-emulator: ${signal}, stopping\n`);
    // Signalled while still starting: nothing is listening yet, and state writes are synchronous.
    if (!running.emulator) process.exit(0);
    running.emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`dpod-emulator: error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  running.emulator = await startEmulator(options);
  const { url, tokenUrl, adminKey, tenants } = running.emulator;
  process.stdout.write(`${JSON.stringify({ url, tokenUrl, adminKey, tenants })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`dpod-emulator: cannot start: ${(error as Error).message}\n`);
  process.exit(1);
});
