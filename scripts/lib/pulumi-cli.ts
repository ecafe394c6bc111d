/**
 * Drives the real `pulumi` CLI fully offline for one stack: a fresh PULUMI_HOME and file:// backend per
 * stack, the passphrase secrets provider, no update check, no plugin downloads, never interactive.
 * Used by the e2e tests and the demo. Commands run asynchronously so an in-process emulator keeps serving.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineBinDir } from "./engine";
import { currentLane } from "./lanes";

export interface PulumiResult {
  /** The command line, for messages. */
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

export interface PulumiStackOptions {
  /** Directory holding Pulumi.yaml. */
  projectDir: string;
  /** Share this other stack's PULUMI_HOME and backend, so stack references between the two resolve. */
  backendOf?: PulumiStack;
  stackName?: string;
  /** Extra environment for every command (e.g. DPOD_* settings); reaches the program and the providers. */
  env?: Record<string, string>;
  /** Per-command timeout; a command still running then is interrupted and reported as failed. */
  timeoutMs?: number;
}

/** The subset of `pulumi stack export` this project reads. */
export interface StackExport {
  version: number;
  deployment: {
    resources?: Array<{
      urn: string;
      type: string;
      id?: string;
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
      initErrors?: string[];
    }>;
  };
}

/** A command still running: its process id, and its result once it ends. */
export interface RunningCommand {
  pid: number;
  result: Promise<PulumiResult>;
}

interface RunOptions {
  /** Reject (with the command and its output) when the exit code is not 0. */
  expectSuccess?: boolean;
  /** How to show the command in results and errors, when its arguments hold a secret. */
  display?: string;
  /** Values replaced by "[secret]" wherever they appear in the output kept in results and errors. */
  secrets?: string[];
}

/**
 * The environment that keeps `pulumi` offline and private to one scratch directory: PULUMI_HOME and a
 * file:// backend inside it (both created), the passphrase secrets provider, no update check, no plugin
 * downloads, no prompts, the engine's bin directory first on PATH (then the lane's Node.js), and the
 * providers' create journal inside it too. Also what the Automation API examples'
 * runners get: the CLI they start inherits it.
 */
export function offlinePulumiEnvironment(scratch: string): Record<string, string> {
  const home = path.join(scratch, "home");
  const backend = path.join(scratch, "backend");
  mkdirSync(home, { recursive: true });
  mkdirSync(backend, { recursive: true });
  return {
    // The engine first; then the lane's Node.js (DPOD_LANE_NODE_DIR, set by the e2e setup), which runs the
    // language host's programs and the providers.
    PATH: [engineBinDir(), process.env.DPOD_LANE_NODE_DIR, process.env.PATH ?? ""]
      .filter((entry) => entry !== undefined && entry !== "")
      .join(path.delimiter),
    PULUMI_HOME: home,
    DPOD_CREATE_JOURNAL_DIR: path.join(scratch, "create-journal"),
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "pulumi-dpod-local-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_DIY_BACKEND_DISABLE_CHECKPOINT_BACKUPS: "true",
    PULUMI_COPILOT_ENABLED: "false",
    NO_COLOR: "1",
  };
}

export class PulumiStack {
  readonly projectDir: string;
  readonly stackName: string;
  private readonly scratch: string;
  private readonly ownsScratch: boolean;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;

  private constructor(options: PulumiStackOptions) {
    this.projectDir = options.projectDir;
    this.stackName = options.stackName ?? "test";
    this.timeoutMs = options.timeoutMs ?? 300_000;
    this.ownsScratch = options.backendOf === undefined;
    this.scratch = options.backendOf?.scratch ?? mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-stack-"));
    this.env = {
      ...process.env,
      ...options.env,
      ...offlinePulumiEnvironment(this.scratch),
      // On lanes that do not type-check programs as users' `pulumi up` does, ts-node only transpiles (the
      // programs are type-checked by `npm run typecheck`).
      ...(currentLane().typecheck ? {} : { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
    };
  }

  /** The directory of the stack's file:// backend (what `pulumi login file://...` would name). */
  get backendDir(): string {
    return path.join(this.scratch, "backend");
  }

  /** The providers' create journal directory for this stack's commands (DPOD_CREATE_JOURNAL_DIR). */
  get createJournalDir(): string {
    return path.join(this.scratch, "create-journal");
  }

  /** The entries in the providers' create journal (none when the directory was never made). */
  createJournalEntries(): string[] {
    const dir = this.createJournalDir;
    return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".json")) : [];
  }

  /** Creates the stack in a fresh, private backend. */
  static async create(options: PulumiStackOptions): Promise<PulumiStack> {
    const stack = new PulumiStack(options);
    await stack.run(["stack", "init", stack.stackName], { expectSuccess: true });
    return stack;
  }

  /** Runs `pulumi <args>` in the project directory. With expectSuccess, a non-zero exit throws with the output. */
  run(args: string[], options: RunOptions = {}): Promise<PulumiResult> {
    const pulumi = path.join(engineBinDir(), "pulumi");
    const display = options.display ?? `pulumi ${args.join(" ")}`;
    // Global flags first: after a "--" in args they would be taken as positional arguments.
    return this.exec(pulumi, ["--non-interactive", "--color", "never", ...args], { ...options, display });
  }

  /**
   * Runs any executable (e.g. a CI script that calls `pulumi`) in the project directory with this stack's
   * environment; the stack is the selected one.
   */
  exec(executable: string, args: string[], options: RunOptions = {}): Promise<PulumiResult> {
    return this.spawnCommand(executable, args, options).result;
  }

  /**
   * Starts `pulumi up` and returns at once with its process id, for tests that interrupt a run (see
   * process-tree.ts); `result` settles when the command ends, also when it is killed.
   */
  startUp(extra: string[] = []): RunningCommand {
    const pulumi = path.join(engineBinDir(), "pulumi");
    const args = ["--non-interactive", "--color", "never", "up", "--yes", "--skip-preview", ...extra];
    return this.spawnCommand(pulumi, args, { display: `pulumi ${args.slice(3).join(" ")}` });
  }

  private spawnCommand(executable: string, args: string[], options: RunOptions): RunningCommand {
    const command = options.display ?? `${path.basename(executable)} ${args.join(" ")}`;
    const child = spawn(executable, args, {
      cwd: this.projectDir,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const result = new Promise<PulumiResult>((resolve, reject) => {
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      const timer = setTimeout(() => child.kill("SIGINT"), this.timeoutMs);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const hide = (text: string) =>
          (options.secrets ?? []).reduce((shown, secret) => shown.split(secret).join("[secret]"), text);
        stdout = hide(stdout);
        stderr = hide(stderr);
        const result = { command, code: code ?? (signal ? 128 : 1), stdout, stderr };
        if (options.expectSuccess && result.code !== 0) {
          reject(new Error(`${command} exited ${result.code}\n${stdout}\n${stderr}`));
        } else {
          resolve(result);
        }
      });
    });
    if (child.pid === undefined) throw new Error(`${command} could not be started`);
    return { pid: child.pid, result };
  }

  up(extra: string[] = []): Promise<PulumiResult> {
    return this.run(["up", "--yes", "--skip-preview", ...extra]);
  }

  preview(extra: string[] = []): Promise<PulumiResult> {
    return this.run(["preview", ...extra]);
  }

  refresh(extra: string[] = []): Promise<PulumiResult> {
    return this.run(["refresh", "--yes", "--skip-preview", ...extra]);
  }

  destroy(extra: string[] = []): Promise<PulumiResult> {
    return this.run(["destroy", "--yes", "--skip-preview", ...extra]);
  }

  async setConfig(key: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    // --plaintext: the CLI refuses plain values of keys that look secret (e.g. dpod:tokenUrl) without it.
    // "--" ends the flags: a value may start with "-" (generated secrets do), which the CLI would take for
    // a flag and echo back in its error.
    const args = ["config", "set", options.secret ? "--secret" : "--plaintext", "--", key, value];
    // A secret value never appears in the command line or output reported by a failure.
    const display = `pulumi config set ${options.secret ? "--secret -- " + key + " [secret]" : `--plaintext -- ${key} ${value}`}`;
    await this.run(args, { expectSuccess: true, display, secrets: options.secret ? [value] : [] });
  }

  /** `pulumi stack export`, parsed. Secrets stay encrypted unless showSecrets is set. */
  async exportState(options: { showSecrets?: boolean } = {}): Promise<StackExport> {
    const args = ["stack", "export"];
    if (options.showSecrets) args.push("--show-secrets");
    const result = await this.run(args, { expectSuccess: true });
    return JSON.parse(result.stdout) as StackExport;
  }

  /** The raw text of `pulumi stack export`, for "this string appears nowhere" assertions. */
  async exportText(): Promise<string> {
    return (await this.run(["stack", "export"], { expectSuccess: true })).stdout;
  }

  /** Stack outputs; secret outputs are shown in plaintext only with showSecrets. */
  async outputs(options: { showSecrets?: boolean } = {}): Promise<Record<string, unknown>> {
    const args = ["stack", "output", "--json"];
    if (options.showSecrets) args.push("--show-secrets");
    const result = await this.run(args, { expectSuccess: true });
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  /** Sets (or, with undefined, removes) an environment variable for the commands that follow. */
  setEnv(name: string, value: string | undefined): void {
    if (value === undefined) delete this.env[name];
    else this.env[name] = value;
  }

  /** Removes the private PULUMI_HOME and backend. The tenant objects are the caller's business. */
  dispose(): void {
    if (this.ownsScratch) rmSync(this.scratch, { recursive: true, force: true });
  }
}
