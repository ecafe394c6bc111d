/**
 * `pulumi-dpod adopt`: writes a program that declares an existing tenant's objects with `adopt: true`.
 *
 * Connection settings come from where every pulumi-dpod tool reads them: the environment (DPOD_API_URL,
 * DPOD_TOKEN_URL, DPOD_CLIENT_ID, DPOD_CLIENT_SECRET or DPOD_ACCESS_TOKEN, DPOD_ALLOW_INSECURE_HTTP),
 * with --api-url, --token-url and --client-id overriding. Secrets are read only from the environment,
 * never from arguments (which other users of the machine can see). Users need a user-managing credential
 * (api_spadmin): --users-client-id with DPOD_USERS_CLIENT_SECRET, and --tenant-id for a child tenant.
 *
 * Every problem with the arguments or the settings is reported, naming the option or variable, before
 * any request. Exit codes: 0 written, 1 failed (message on stderr), 2 bad arguments (an unknown option or
 * value, an output file that exists without --force, a --names-from file that is not an import file).
 * Files are never overwritten without --force: regenerating over an adopted program can rename a
 * declaration, which the next `up` turns into deleting the object it adopted (see --names-from).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DpodClient, DpodPermissionError, type ConnectionSettings } from "../client";
import { DpodConfigError, resolveCommandConnections, USERS_SECRET_VARIABLE } from "../config";
import { CommandExit } from "../command-exit";
import { doctorCommand } from "../doctor/command";
import { uuid } from "../resources/common/validation";
import { generateAdoption } from "./generate";
import { parsePreviousNames, type PreviousNames } from "./previous-names";
import { ADOPT_KINDS, parseKinds, type AdoptKind } from "./selection";

export { USERS_SECRET_VARIABLE };

interface AdoptOptions {
  out?: string;
  importFile?: string;
  force: boolean;
  namesFrom?: string;
  kinds: Set<AdoptKind>;
  include: string[];
  exclude: string[];
  excludeSelf: boolean;
  retainOnDelete: boolean;
  tenantId?: string;
  usersClientId?: string;
  apiUrl?: string;
  tokenUrl?: string;
  clientId?: string;
}

/** Where the command writes and reports; injected by tests. */
export interface CommandIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Writes a file; without `overwrite`, fails with code EEXIST when it exists. */
  writeFile: (path: string, text: string, overwrite: boolean) => void;
  fileExists: (path: string) => boolean;
  readFile: (path: string) => string;
  clientFactory: (settings: ConnectionSettings) => DpodClient;
}

export const processIo: CommandIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  writeFile: (path, text, overwrite) => writeFileSync(path, text, { flag: overwrite ? "w" : "wx" }),
  fileExists: (path) => existsSync(path),
  readFile: (path) => readFileSync(path, "utf8"),
  clientFactory: (settings) => new DpodClient(settings),
};

const collect = (value: string, previous: string[]) => [...previous, value];

/** A bad argument: reported like commander's own (exit code 2). */
export class AdoptArgumentError extends CommandExit {
  constructor(message: string) {
    super(2, message);
    this.name = "AdoptArgumentError";
  }
}

function refuseOverwrite(option: string, path: string): AdoptArgumentError {
  return new AdoptArgumentError(
    `${option}: ${path} already exists; pass --force to overwrite it. A regenerated program can rename ` +
      `declarations, and a renamed declaration is deleted at the next \`pulumi up\`: pass the previous ` +
      `import file with --names-from to keep every name.`,
  );
}

/** The outputs, checked before any request: distinct, and not already there unless --force. */
function outputsFor(options: AdoptOptions, io: CommandIo): Array<{ option: string; path: string }> {
  const outputs = [
    ...(options.out === undefined ? [] : [{ option: "--out", path: options.out }]),
    ...(options.importFile === undefined ? [] : [{ option: "--import-file", path: options.importFile }]),
  ];
  if (outputs.length === 2 && outputs[0]!.path === outputs[1]!.path) {
    throw new AdoptArgumentError(`--out and --import-file: both name ${options.out}; give two files`);
  }
  if (!options.force) {
    for (const { option, path } of outputs) if (io.fileExists(path)) throw refuseOverwrite(option, path);
  }
  return outputs;
}

function previousNamesFor(options: AdoptOptions, io: CommandIo): PreviousNames | undefined {
  if (options.namesFrom === undefined) return undefined;
  let text: string;
  try {
    text = io.readFile(options.namesFrom);
  } catch (error) {
    throw new AdoptArgumentError(
      `--names-from: cannot read ${options.namesFrom}: ${(error as Error).message}`,
    );
  }
  try {
    return parsePreviousNames(text, options.namesFrom);
  } catch (error) {
    throw new AdoptArgumentError(`--names-from: ${(error as Error).message}`);
  }
}

function write(io: CommandIo, output: { option: string; path: string }, text: string, force: boolean): void {
  try {
    io.writeFile(output.path, text, force);
  } catch (error) {
    // Created by someone else since the check.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw refuseOverwrite(output.option, output.path);
    throw error;
  }
}

function settingsFor(options: AdoptOptions, env: NodeJS.ProcessEnv) {
  return resolveCommandConnections(options, env);
}

async function runAdopt(options: AdoptOptions, io: CommandIo): Promise<void> {
  if (options.tenantId !== undefined && !uuid.safeParse(options.tenantId).success) {
    throw new AdoptArgumentError(`--tenant-id: must be a UUID`);
  }
  const outputs = outputsFor(options, io);
  const previousNames = previousNamesFor(options, io);
  const settings = settingsFor(options, io.env);
  const tenantClient = io.clientFactory(settings.tenant);
  const usersClient = settings.users === undefined ? tenantClient : io.clientFactory(settings.users);
  const excluded = new Set<string>();
  if (options.excludeSelf) {
    for (const s of [settings.tenant, settings.users])
      if (s?.clientId !== undefined) excluded.add(s.clientId);
  }
  const started = Date.now();
  try {
    const generated = await generateAdoption(
      { tenant: tenantClient, users: { client: usersClient } },
      {
        selection: {
          kinds: options.kinds,
          include: options.include,
          exclude: options.exclude,
          excludedClientIds: excluded,
        },
        usersTenantId: options.tenantId,
        usersConnection: settings.users !== undefined,
        retainOnDelete: options.retainOnDelete,
        previousNames,
      },
    );
    if (options.out === undefined) io.stdout(generated.program);
    for (const output of outputs) {
      const text = output.option === "--out" ? generated.program : generated.importFile;
      write(io, output, text, options.force);
    }
    const { plan } = generated;
    io.stderr(
      `pulumi-dpod adopt: declared ${plan.groups.length} subscriber group(s), ${plan.users.length} user(s), ` +
        `${plan.credentials.length} client credential(s)` +
        (plan.skipped.length > 0
          ? `; skipped ${plan.skipped.length} (listed at the end of the program)`
          : "") +
        ` in ${Date.now() - started} ms.\n`,
    );
  } catch (error) {
    if (error instanceof DpodPermissionError && options.kinds.has("users") && settings.users === undefined) {
      throw new Error(
        `${error.message}\nListing users needs a user-managing credential (api_spadmin): pass ` +
          `--users-client-id with its secret in ${USERS_SECRET_VARIABLE} (and --tenant-id for a child ` +
          `tenant), or leave users out with --kinds groups,credentials.`,
      );
    }
    throw error;
  } finally {
    await tenantClient.close();
    if (usersClient !== tenantClient) await usersClient.close();
  }
}

export function adoptCommand(io: CommandIo): Command {
  return new Command("adopt")
    .description(
      "Write a pulumi-dpod TypeScript program declaring every subscriber group, user and client credential " +
        "of an existing tenant with `adopt: true` (and optionally a `pulumi import --file` document).",
    )
    .option("-o, --out <file>", "write the program to this file (default: standard output)")
    .option("--import-file <file>", "also write a `pulumi import --file` document for the native provider")
    .option("--force", "overwrite the --out and --import-file files if they exist", false)
    .option(
      "--names-from <file>",
      "keep the resource names of a previous run: the import file it wrote (see the adopt-tenant README)",
    )
    .addOption(
      new Option("--kinds <list>", `comma-separated kinds to declare (${ADOPT_KINDS.join(", ")})`)
        .default(new Set(ADOPT_KINDS), ADOPT_KINDS.join(","))
        .argParser((value) => {
          try {
            return parseKinds(value);
          } catch (error) {
            throw new InvalidArgumentError((error as Error).message);
          }
        }),
    )
    .option("--include <glob>", "declare only objects whose name matches (repeatable; * and ?)", collect, [])
    .option("--exclude <glob>", "leave out objects whose name matches (repeatable; * and ?)", collect, [])
    .option("--no-exclude-self", "also declare the credentials this command runs as (left out by default)")
    .option(
      "--retain-on-delete",
      "give every declaration retainOnDelete: destroy leaves the tenant as is",
      false,
    )
    .option("--tenant-id <uuid>", "the child tenant whose users to read and declare (with --users-client-id)")
    .option(
      "--users-client-id <id>",
      `credential that lists users (api_spadmin); its secret in ${USERS_SECRET_VARIABLE}`,
    )
    .option("--api-url <url>", "DPoD API URL (default: DPOD_API_URL)")
    .option("--token-url <url>", "OAuth token URL (default: DPOD_TOKEN_URL, else DPoD's)")
    .option(
      "--client-id <id>",
      "tenant credential's client id (default: DPOD_CLIENT_ID); secret in DPOD_CLIENT_SECRET",
    )
    .action(async (options: AdoptOptions) => runAdopt(options, io));
}

/** The `pulumi-dpod` program: its subcommands. */
export function pulumiDpodProgram(io: CommandIo): Command {
  return new Command("pulumi-dpod")
    .description("Tools of the pulumi-dpod package.")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addCommand(adoptCommand(io).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }))
    .addCommand(
      doctorCommand(io).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }),
    );
}

/** Runs the program on `argv` (without node and script); resolves to the exit code. */
export async function runPulumiDpod(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  try {
    await pulumiDpodProgram(io).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CommandExit) {
      if (error.message !== "") io.stderr(`pulumi-dpod: ${error.message}\n`);
      return error.code;
    }
    const message =
      error instanceof DpodConfigError || error instanceof Error ? error.message : String(error);
    io.stderr(`pulumi-dpod: ${message}\n`);
    return 1;
  }
}
