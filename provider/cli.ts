#!/usr/bin/env node
/**
 * pulumi-dpod: the package's command (npm bin). Today one subcommand, `adopt` (provider/adopt/command.ts).
 */
import { runPulumiDpod } from "./adopt/command";

runPulumiDpod(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pulumi-dpod: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
