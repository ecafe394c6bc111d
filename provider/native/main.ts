#!/usr/bin/env node
/**
 * The `pulumi-resource-dpod` executable: the engine starts it as
 * `pulumi-resource-dpod [--logtostderr] [-v=N] [--tracing <endpoint>] <engine address>`, reads the port
 * of its gRPC server from the first line of stdout, and talks to it until it is done. Nothing else may
 * be written to stdout; diagnostics go to the engine's log or, when the process cannot serve, to stderr.
 */
import type * as grpcJs from "@grpc/grpc-js";
import { engineLog } from "./engine-log";
import { grpcModules } from "./grpc";
import type * as serverModule from "./server";

/** The engine address: the first argument that is not one of the engine's logging or tracing flags. */
export function engineAddressOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? "";
    if (arg === "--tracing") {
      i += 1;
      continue;
    }
    if (arg.startsWith("-")) continue;
    return arg;
  }
  return undefined;
}

async function main(): Promise<void> {
  const engineAddress = engineAddressOf(process.argv.slice(2));
  if (engineAddress === undefined) {
    process.stderr.write(
      "pulumi-resource-dpod is a Pulumi resource plugin: the pulumi CLI starts it. See the package's " +
        "docs/native-plugin.md for how to install it.\n",
    );
    process.exit(2);
  }
  const { version } = require("pulumi-dpod/package.json") as { version: string };
  const { grpc, providerGrpc } = grpcModules();
  // The handlers, their schemas and the HTTP client load on the first call, after the port is printed: the
  // engine connects while they load, and a process that only serves the schema never loads the client.
  let loaded:
    { provider: serverModule.NativeProvider; service: grpcJs.UntypedServiceImplementation } | undefined;
  const load = () => {
    if (loaded === undefined) {
      const { NativeProvider, serviceImplementation } = require("./server") as typeof serverModule;
      const provider = new NativeProvider({ version, log: engineLog(engineAddress) });
      loaded = { provider, service: serviceImplementation(provider) };
    }
    return loaded;
  };
  const lazy = Object.fromEntries(
    Object.keys(providerGrpc.ResourceProviderService).map((method) => [
      method,
      (call: unknown, callback: unknown) => {
        const handler = load().service[method] as ((c: unknown, cb: unknown) => void) | undefined;
        if (handler === undefined) {
          (callback as grpcJs.sendUnaryData<unknown>)(
            { code: grpc.status.UNIMPLEMENTED, details: `${method} is not implemented` },
            null,
          );
          return;
        }
        handler(call, callback);
      },
    ]),
  );
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(providerGrpc.ResourceProviderService, lazy);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  process.stdout.write(`${port}\n`);
  const stop = () => {
    server.tryShutdown(() => {
      void (loaded?.provider.close() ?? Promise.resolve()).finally(() => process.exit(0));
    });
  };
  // SIGINT is the engine's graceful shutdown, sent once it has recorded every step that finished.
  process.on("SIGINT", () => {
    loaded?.provider.engineShutdown();
    stop();
  });
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`pulumi-resource-dpod: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
