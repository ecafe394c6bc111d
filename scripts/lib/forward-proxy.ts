/**
 * A forward proxy started by a test or a benchmark (forward-proxy-server.mjs in a child process), with the
 * requests it saw. `map` gives it host names only it resolves, so a client that reaches such a host has
 * provably gone through it.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";

export interface ProxySighting {
  method: string;
  /** The request target as the proxy received it: "host:port" for a tunnel, an absolute URL otherwise. */
  target: string;
  authorized: boolean;
}

export interface ForwardProxy {
  /** http://127.0.0.1:<port>, without credentials. */
  url: string;
  port: number;
  /** Every request and tunnel the proxy received so far. */
  seen: ProxySighting[];
  /** Resolves once the proxy has reported at least `count` sightings (its reports arrive asynchronously). */
  waitFor(count: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startForwardProxy(
  options: { map?: Record<string, string>; credentials?: string } = {},
): Promise<ForwardProxy> {
  const args = [path.join(__dirname, "forward-proxy-server.mjs")];
  for (const [name, address] of Object.entries(options.map ?? {})) args.push("--map", `${name}=${address}`);
  if (options.credentials !== undefined) args.push("--credentials", options.credentials);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const seen: ProxySighting[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the test proxy did not start within 20 s")), 20_000);
    child.once("exit", (code) => reject(new Error(`the test proxy exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const message = JSON.parse(line) as { port?: number } & ProxySighting;
      if (message.port !== undefined) {
        clearTimeout(timer);
        resolve(message.port);
      } else seen.push(message);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    waitFor: async (count) => {
      const deadline = Date.now() + 5_000;
      while (seen.length < count) {
        if (Date.now() > deadline)
          throw new Error(`the test proxy reported ${seen.length} of ${count} requests`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
