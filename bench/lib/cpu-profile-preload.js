/**
 * Preloaded with `NODE_OPTIONS=--require <this file>` (Node refuses `--cpu-prof` there) to write a V8 CPU
 * profile of every node process of a Pulumi run into $DPOD_CPU_PROFILE_DIR, named after the process's
 * role: dynamic-provider-<pid>.cpuprofile, program-<pid>.cpuprofile, node-<pid>.cpuprofile. The engine
 * ends plugins with a signal, so the profile is also written on SIGINT and SIGTERM. Plain JavaScript: it
 * loads before any TypeScript support. Used by `npm run bench:engine-floor -- --cpu-prof DIR`.
 */
"use strict";
const { Session } = require("node:inspector");
const { mkdirSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const directory = process.env.DPOD_CPU_PROFILE_DIR;
if (directory) {
  const argv = process.argv.join(" ");
  const role = argv.includes("dynamic-provider")
    ? "dynamic-provider"
    : argv.includes("cmd/run")
      ? "program"
      : "node";
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let written = false;
  // An in-thread inspector session answers synchronously, so this works inside an exit handler.
  const write = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      mkdirSync(directory, { recursive: true });
      writeFileSync(
        path.join(directory, `${role}-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      write();
      process.exit(128 + (signal === "SIGINT" ? 2 : 15));
    });
  }
}
