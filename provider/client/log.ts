/**
 * Debug logging of requests and answers, off unless DPOD_LOG=debug (or ClientOptions.debug).
 *
 * Contract: each line is passed through the client's cleaner (redact.ts) immediately before it is
 * written, so a caller cannot log a secret by forgetting to redact first. Lines go to stderr by
 * default: stdout of a Pulumi program belongs to the engine.
 */
import { redactHeaders } from "./redact";

export type LogSink = (line: string) => void;

const MAX_LOGGED_BODY = 2048;

export class DebugLog {
  constructor(
    private readonly enabled: boolean,
    private readonly sink: LogSink,
    private readonly clean: (text: string) => string,
  ) {}

  /** Reads DPOD_LOG once, when the client is built. */
  static fromEnvironment(
    explicit: boolean | undefined,
    sink: LogSink | undefined,
    clean: (text: string) => string,
    env: NodeJS.ProcessEnv = process.env,
  ): DebugLog {
    const enabled = explicit ?? env.DPOD_LOG?.trim().toLowerCase() === "debug";
    return new DebugLog(enabled, sink ?? ((line) => process.stderr.write(`${line}\n`)), clean);
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  request(details: {
    attempt: number;
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string;
  }): void {
    if (!this.enabled) return;
    const body = details.body ? ` body=${clip(details.body)}` : "";
    this.write(
      `dpod: -> ${details.method} ${details.url} attempt=${details.attempt} ` +
        `headers=${JSON.stringify(redactHeaders(details.headers))}${body}`,
    );
  }

  response(details: {
    method: string;
    url: string;
    status: number;
    elapsedMs: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }): void {
    if (!this.enabled) return;
    this.write(
      `dpod: <- ${details.status} ${details.method} ${details.url} ${details.elapsedMs}ms ` +
        `headers=${JSON.stringify(redactHeaders(details.headers))} body=${clip(details.body)}`,
    );
  }

  note(message: string): void {
    if (this.enabled) this.write(`dpod: ${message}`);
  }

  private write(line: string): void {
    this.sink(this.clean(line));
  }
}

function clip(text: string): string {
  return text.length > MAX_LOGGED_BODY ? `${text.slice(0, MAX_LOGGED_BODY)}…[truncated]` : text;
}
