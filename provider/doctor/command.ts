/**
 * `pulumi-dpod doctor`: first contact with a tenant in one read-only command. It asks for a token, reads a
 * page and one object of each kind, and reports what holds of docs/dpod-api-notes.md's assumptions
 * (docs/first-contact.md explains the report).
 *
 * Connection settings come from where every pulumi-dpod tool reads them, with the same flags as `adopt`:
 * the environment (DPOD_API_URL, DPOD_TOKEN_URL, DPOD_CLIENT_ID and DPOD_CLIENT_SECRET, or
 * DPOD_ACCESS_TOKEN; the proxy variables), --api-url, --token-url, --client-id, and optionally the users
 * credential (--users-client-id with DPOD_USERS_CLIENT_SECRET, --tenant-id for a child tenant).
 *
 * Read-only by construction: every request goes through ReadOnlyHttp, which sends nothing but GETs and
 * client-credentials grants. Exit codes: 0 everything checked holds, 1 something is contradicted (or DPoD
 * could not be reached), 2 bad arguments or settings.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import type { ConnectionSettings } from "../client";
import { resolveCommandConnections, USERS_SECRET_VARIABLE } from "../config";
import { uuid } from "../resources/common/validation";
import { CommandExit } from "../command-exit";
import { kindFindings, rolesOf, tokenFindings, writeOnlyFindings } from "./assumptions";
import { probeKind, probeToken, type KindFacts, type KindName, type TokenFacts } from "./probe";
import { ReadOnlyHttp, type Sender } from "./read-only-http";
import { buildReport, renderHuman, renderJson, ReportRedactor } from "./report";

interface DoctorOptions {
  json: boolean;
  report?: string;
  keepIds: boolean;
  tenantId?: string;
  usersClientId?: string;
  apiUrl?: string;
  tokenUrl?: string;
  clientId?: string;
}

/** Where the doctor reads and writes (the `pulumi-dpod` program's io); injected by tests. */
export interface DoctorIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Writes a file; the report replaces an earlier one (`overwrite` is true). */
  writeFile: (path: string, text: string, overwrite: boolean) => void;
  /** Sends the doctor's requests (default: the client's transport); tests count or refuse them. */
  sender?: (urls: { apiUrl: string; tokenUrl: string }) => Sender;
  now?: () => Date;
}

/** This package's version, from its package.json (found above this file in the source and in dist). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (manifest.name === "pulumi-dpod") return manifest.version ?? "unknown";
  }
  return "unknown";
}

/** A token for one credential: asked of the token endpoint, or the static access token as given. */
async function tokenOf(http: ReadOnlyHttp, settings: ConnectionSettings): Promise<TokenFacts> {
  if (settings.clientId !== undefined && settings.clientSecret !== undefined) {
    return probeToken(http, settings.clientId, settings.clientSecret);
  }
  // A static token: nothing to ask; its scopes are read from it as the client does.
  const accessToken = settings.accessToken!;
  const payload = accessToken.split(".")[1];
  let scopes: string[] = [];
  try {
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as {
      scope?: unknown;
    };
    scopes = Array.isArray(claims.scope)
      ? claims.scope.filter((s): s is string => typeof s === "string")
      : typeof claims.scope === "string"
        ? claims.scope.split(/\s+/)
        : [];
  } catch {
    // not a JWT: no scopes known
  }
  return {
    reached: false,
    outcome: { error: "not asked (a static access token, DPOD_ACCESS_TOKEN, is configured)" },
    accessToken,
    answerFields: [],
    answerScopeForm: "absent",
    claimScopeForm: "unreadable",
    scopes,
  };
}

const KINDS: readonly KindName[] = ["subscriberGroups", "credentials", "users"];

async function runDoctor(options: DoctorOptions, io: DoctorIo): Promise<void> {
  if (options.tenantId !== undefined && !uuid.safeParse(options.tenantId).success) {
    throw new CommandExit(2, "--tenant-id: must be a UUID");
  }
  let settings: ReturnType<typeof resolveCommandConnections>;
  try {
    settings = resolveCommandConnections(options, io.env);
  } catch (error) {
    throw new CommandExit(2, (error as Error).message);
  }
  const urls = { apiUrl: settings.tenant.apiUrl, tokenUrl: settings.tenant.tokenUrl };
  let http: ReadOnlyHttp;
  try {
    http = new ReadOnlyHttp(urls, { env: io.env, sender: io.sender?.(urls) });
  } catch (error) {
    throw new CommandExit(2, (error as Error).message); // a malformed proxy variable
  }
  try {
    const token = await tokenOf(http, settings.tenant);
    const usersToken = settings.users ? await tokenOf(http, settings.users) : undefined;
    const kinds: KindFacts[] = [];
    const findings = [...tokenFindings(token)];
    const roles = rolesOf(token.scopes).roles;
    const usersRoles = usersToken ? rolesOf(usersToken.scopes).roles : roles;
    for (const kind of KINDS) {
      const useUsers = kind === "users" && usersToken !== undefined;
      const accessToken = useUsers ? usersToken.accessToken : token.accessToken;
      if (accessToken === undefined) continue;
      const facts = await probeKind(http, kind, accessToken, useUsers ? "users" : "tenant", options.tenantId);
      kinds.push(facts);
      findings.push(...kindFindings(facts, useUsers ? usersRoles : roles));
    }
    findings.push(...writeOnlyFindings());
    const proxyOf = (url: string) => {
      const choice = http.proxyFor(url);
      return choice ? `${choice.display} (from ${choice.variable})` : "none (direct connection)";
    };
    const report = buildReport({
      version: packageVersion(),
      now: io.now?.() ?? new Date(),
      apiUrl: urls.apiUrl,
      tokenUrl: urls.tokenUrl,
      proxy: { api: proxyOf(urls.apiUrl), token: proxyOf(urls.tokenUrl) },
      token,
      usersToken,
      kinds,
      findings,
    });
    const redactor = new ReportRedactor(
      options.keepIds,
      [
        settings.tenant.clientSecret,
        settings.tenant.accessToken,
        settings.users?.clientSecret,
        token.accessToken,
        usersToken?.accessToken,
      ],
      [
        settings.tenant.clientId,
        settings.users?.clientId,
        options.tenantId,
        report.connection.tenantId,
        ...kinds.map((k) => k.firstId),
      ],
    );
    io.stdout(redactor.clean(options.json ? renderJson(report) : renderHuman(report)));
    if (options.report !== undefined) io.writeFile(options.report, redactor.clean(renderJson(report)), true);
    if (report.exitCode !== 0) throw new CommandExit(report.exitCode);
  } finally {
    await http.close();
  }
}

export function doctorCommand(io: DoctorIo): Command {
  return new Command("doctor")
    .description(
      "Check, reading only (token requests and GETs), that this tenant, credential and network work with " +
        "pulumi-dpod and that DPoD behaves as the provider assumes (docs/first-contact.md).",
    )
    .option("--json", "print the report as JSON instead of tables", false)
    .option("--report <file>", "also write the report (JSON, without secrets or tokens) to this file")
    .option(
      "--keep-ids",
      "keep tenant, object and client ids in the output (replaced by placeholders by default)",
      false,
    )
    .option("--tenant-id <uuid>", "the child tenant whose users to read (with --users-client-id)")
    .option(
      "--users-client-id <id>",
      `credential that reads users (api_spadmin); its secret in ${USERS_SECRET_VARIABLE}`,
    )
    .option("--api-url <url>", "DPoD API URL (default: DPOD_API_URL)")
    .option("--token-url <url>", "OAuth token URL (default: DPOD_TOKEN_URL, else DPoD's)")
    .option(
      "--client-id <id>",
      "tenant credential's client id (default: DPOD_CLIENT_ID); secret in DPOD_CLIENT_SECRET",
    )
    .action(async (options: DoctorOptions) => runDoctor(options, io));
}
