/**
 * The doctor's report: built from the probe's facts and the judged findings, then shown as a table
 * (default), as JSON (--json) or written to a file (--report).
 *
 * Contract (what a user can attach to a public bug report):
 * - no secret and no token: the report is built from names, statuses and forms, never from a token or a
 *   request; every text that came from the server (error messages) is redacted, and the known secret
 *   values are scrubbed from the final text as a last guard;
 * - no id, user name or e-mail address unless `keepIds`: each is replaced by a placeholder (`<id-1>`,
 *   the same placeholder for the same value), and anything shaped like a UUID or an e-mail address too.
 */
import { redactText, SecretScrubber } from "../client/redact";
import {
  allowedOperations,
  compareListedWithGet,
  KIND_OPERATIONS,
  rolesOf,
  tenancyOf,
  type FieldComparison,
  type Finding,
} from "./assumptions";
import type { KindFacts, KindName, ReadOutcome, TokenFacts } from "./probe";

export interface KindReport {
  kind: KindName;
  credential: "tenant" | "users";
  /** Operations of this kind the scope matrix allows the credential's role. */
  allowedByScopeMatrix: string[];
  reads: { list: string; get: string };
  listedVersusGet?: FieldComparison;
  createdAtReported?: boolean;
  createdByReported?: boolean;
  paging?: { firstPageNumber: unknown; totalPagesReported: boolean; sizeCap: unknown };
}

export interface DoctorReport {
  tool: "pulumi-dpod doctor";
  version: string;
  generatedAt: string;
  connection: {
    apiUrl: string;
    tokenUrl: string;
    proxy: { api: string; token: string };
    tokenEndpoint: string;
    tokenMs?: number;
    role: string[];
    tenantId?: string;
    boundToSubscriberGroups: number;
    clockSkewSeconds?: number;
    usersCredential?: { tokenEndpoint: string; role: string[] };
  };
  kinds: KindReport[];
  findings: Finding[];
  summary: { confirmed: number; contradicted: number; notTestable: number };
  /** Credentials that obtained no token, so what they read was not judged (each exits 1). */
  unusableCredentials: string[];
  /** 0 when nothing is contradicted and every credential obtained a token, 1 otherwise. */
  exitCode: 0 | 1;
}

function describe(outcome: ReadOutcome | undefined): string {
  if (!outcome) return "not tried";
  if (outcome.status === undefined) return `failed: ${redactText(outcome.error ?? "unknown error")}`;
  return outcome.status >= 200 && outcome.status < 300
    ? `ok (${outcome.status})`
    : `refused (${outcome.status})`;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function kindReport(facts: KindFacts, roles: readonly string[]): KindReport {
  const envelope = record(facts.list.body);
  const content = envelope?.content;
  const listed = Array.isArray(content) ? content[0] : undefined;
  const got = facts.get?.status === 200 ? record(facts.get.body) : undefined;
  const report: KindReport = {
    kind: facts.kind,
    credential: facts.credential,
    allowedByScopeMatrix: allowedOperations(facts.kind, roles),
    reads: {
      list: describe(facts.list),
      get: facts.get ? describe(facts.get) : listed ? "not tried" : "nothing listed",
    },
  };
  if (got) {
    report.listedVersusGet = compareListedWithGet(listed, got);
    report.createdAtReported = got.createdAt !== undefined && got.createdAt !== null;
    if (facts.kind === "credentials")
      report.createdByReported = got.createdBy !== undefined && got.createdBy !== null;
  }
  if (envelope) {
    report.paging = {
      firstPageNumber: envelope.number,
      totalPagesReported: typeof envelope.totalPages === "number",
      sizeCap: record(facts.oversizedPage?.body)?.size,
    };
  }
  return report;
}

export function buildReport(input: {
  version: string;
  now: Date;
  apiUrl: string;
  tokenUrl: string;
  proxy: { api: string; token: string };
  token: TokenFacts;
  usersToken?: TokenFacts;
  kinds: KindFacts[];
  findings: Finding[];
}): DoctorReport {
  const { token } = input;
  const { roles } = rolesOf(token.scopes);
  const usersRoles = input.usersToken ? rolesOf(input.usersToken.scopes).roles : roles;
  const tenancy = tenancyOf(token.scopes);
  const count = (status: Finding["status"]) => input.findings.filter((f) => f.status === status).length;
  const contradicted = count("contradicted");
  const unusableCredentials = [
    ...(token.accessToken ? [] : ["the tenant credential"]),
    ...(input.usersToken && !input.usersToken.accessToken
      ? ["the users credential (--users-client-id)"]
      : []),
  ];
  return {
    tool: "pulumi-dpod doctor",
    version: input.version,
    generatedAt: input.now.toISOString(),
    connection: {
      apiUrl: input.apiUrl,
      tokenUrl: input.tokenUrl,
      proxy: input.proxy,
      tokenEndpoint:
        !token.reached && token.accessToken !== undefined
          ? "not used (a static access token, DPOD_ACCESS_TOKEN, is configured)"
          : describe(token.outcome),
      tokenMs: token.elapsedMs,
      role: roles,
      tenantId: tenancy.tenantId,
      boundToSubscriberGroups: tenancy.groupIds.length,
      clockSkewSeconds: token.clockSkewSeconds,
      ...(input.usersToken
        ? { usersCredential: { tokenEndpoint: describe(input.usersToken.outcome), role: usersRoles } }
        : {}),
    },
    kinds: input.kinds.map((facts) => kindReport(facts, facts.credential === "users" ? usersRoles : roles)),
    findings: input.findings,
    summary: { confirmed: count("confirmed"), contradicted, notTestable: count("not-testable") },
    unusableCredentials,
    exitCode: contradicted > 0 || unusableCredentials.length > 0 ? 1 : 0,
  };
}

const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * Makes report text safe to share: secret values scrubbed, and unless `keepIds`, every id the doctor
 * saw (and anything shaped like a UUID or an e-mail address) replaced by a stable placeholder.
 */
export class ReportRedactor {
  private readonly scrubber = new SecretScrubber();
  private readonly placeholders = new Map<string, string>();

  constructor(
    private readonly keepIds: boolean,
    secrets: Array<string | undefined>,
    ids: Array<string | undefined>,
  ) {
    for (const secret of secrets) this.scrubber.add(secret);
    for (const id of ids) if (id !== undefined && id.length >= 4) this.placeholder(id);
  }

  private placeholder(id: string): string {
    let name = this.placeholders.get(id);
    if (!name) {
      name = `<id-${this.placeholders.size + 1}>`;
      this.placeholders.set(id, name);
    }
    return name;
  }

  clean(text: string): string {
    let result = this.scrubber.clean(text);
    if (this.keepIds) return result;
    for (const [id, name] of [...this.placeholders].sort((a, b) => b[0].length - a[0].length)) {
      result = result.split(id).join(name);
    }
    return result
      .replace(UUID, (id) => this.placeholder(id))
      .replace(EMAIL, (address) => this.placeholder(address));
  }
}

const STATUS_MARK: Record<Finding["status"], string> = {
  confirmed: "ok",
  contradicted: "CONTRADICTED",
  "not-testable": "not testable",
};

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** "all 6", "none", or what is left out when that is shorter than what is allowed. */
function allowedSummary(kind: KindReport): string {
  const all = KIND_OPERATIONS[kind.kind];
  const denied = all.filter((id) => !kind.allowedByScopeMatrix.includes(id));
  if (denied.length === 0) return `all ${all.length}`;
  if (denied.length === all.length) return "none";
  return denied.length <= kind.allowedByScopeMatrix.length
    ? `all but ${denied.join(", ")}`
    : kind.allowedByScopeMatrix.join(", ");
}

/** The human report: connection facts, one row per kind, one row per finding, then the contradictions' consequences. */
export function renderHuman(report: DoctorReport): string {
  const c = report.connection;
  const lines = [
    `pulumi-dpod doctor ${report.version}: read-only checks (token requests and GETs only)`,
    "",
    table([
      ["API URL", c.apiUrl],
      ["Token URL", c.tokenUrl],
      ["Proxy", c.proxy.api === c.proxy.token ? c.proxy.api : `API: ${c.proxy.api}; token: ${c.proxy.token}`],
      ["Token endpoint", `${c.tokenEndpoint}${c.tokenMs !== undefined ? ` in ${c.tokenMs} ms` : ""}`],
      ["Role", c.role.join(", ") || "unknown"],
      ["Tenant", c.tenantId ?? "not named by the token"],
      ["Bound to groups", String(c.boundToSubscriberGroups)],
      [
        "Clock skew",
        c.clockSkewSeconds === undefined
          ? "unknown (no Date header)"
          : `${c.clockSkewSeconds} s (server minus local)`,
      ],
      ...(c.usersCredential
        ? [
            [
              "Users credential",
              `${c.usersCredential.tokenEndpoint}; role ${c.usersCredential.role.join(", ") || "unknown"}`,
            ],
          ]
        : []),
    ]),
    "",
    table([
      [
        "Kind",
        "Scope matrix allows",
        "List",
        "Get",
        "Listed vs GET",
        "createdAt",
        "Paging (first, totalPages, cap)",
      ],
      ...report.kinds.map((k) => [
        k.kind,
        allowedSummary(k),
        k.reads.list,
        k.reads.get,
        k.listedVersusGet
          ? k.listedVersusGet.missing.length
            ? `missing ${k.listedVersusGet.missing.join(",")}`
            : `same${k.listedVersusGet.extra.length ? ` (+${k.listedVersusGet.extra.join(",")})` : ""}`
          : "-",
        k.createdAtReported === undefined ? "-" : k.createdAtReported ? "yes" : "NO",
        k.paging
          ? `${JSON.stringify(k.paging.firstPageNumber)}, ${k.paging.totalPagesReported ? "yes" : "NO"}, ${JSON.stringify(k.paging.sizeCap)}`
          : "-",
      ]),
    ]),
    "",
    table([
      ["Assumption", "Result", "Evidence"],
      ...report.findings.map((f) => [f.id, STATUS_MARK[f.status], f.evidence]),
    ]),
  ];
  const contradicted = report.findings.filter((f) => f.status === "contradicted");
  if (contradicted.length > 0) {
    lines.push("", "What the contradictions mean (docs/first-contact.md):");
    for (const f of contradicted) {
      lines.push(
        `  ${f.id}: assumed "${f.assumption}" (docs/dpod-api-notes.md#${f.topic})`,
        `    ${f.ifContradicted}`,
        ...(f.dialect ? [`    Reproduce locally: dpod-emulator --dialect ${f.dialect}`] : []),
      );
    }
  }
  lines.push(
    "",
    `${report.summary.confirmed} confirmed, ${report.summary.contradicted} contradicted, ${report.summary.notTestable} not testable.` +
      (report.exitCode === 0
        ? " Everything checked holds."
        : report.summary.contradicted > 0
          ? " Please report the contradictions (docs/first-contact.md)."
          : ""),
    ...report.unusableCredentials.map(
      (credential) =>
        `No token for ${credential}: what it reads was not judged. Check its client id and secret.`,
    ),
  );
  return `${lines.join("\n")}\n`;
}

export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
