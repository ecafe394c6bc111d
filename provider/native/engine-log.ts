/**
 * Messages for the person running `pulumi`: the engine hides a native plugin's stdout and stderr, so
 * warnings go through the engine's Log RPC, attached to the resource they concern. Without an engine
 * address (tests), they go to a callback.
 */
import { grpcModules } from "./grpc";

export type Severity = "info" | "warning" | "error";

export interface EngineLog {
  log(severity: Severity, message: string, urn?: string): Promise<void>;
  close(): void;
}

export function engineLog(engineAddress: string): EngineLog {
  const { grpc, engine, engineGrpc } = grpcModules();
  const client = new engineGrpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
  const severities = {
    info: engine.LogSeverity.INFO,
    warning: engine.LogSeverity.WARNING,
    error: engine.LogSeverity.ERROR,
  };
  return {
    log(severity, message, urn) {
      const request = new engine.LogRequest();
      request.setSeverity(severities[severity]);
      request.setMessage(message);
      if (urn !== undefined) request.setUrn(urn);
      // A message that cannot be delivered must not fail the operation it describes.
      return new Promise((resolve) => client.log(request, () => resolve()));
    },
    close() {
      client.close();
    },
  };
}

/** A log that hands every message to `sink` (tests, and a plugin started without an engine). */
export function callbackLog(sink: (severity: Severity, message: string, urn?: string) => void): EngineLog {
  return {
    async log(severity, message, urn) {
      sink(severity, message, urn);
    },
    close() {},
  };
}
