/**
 * Which forward proxy, if any, a request to a DPoD origin goes through: the environment variables users'
 * other tools read (curl, Go programs, Terraform and Pulumi providers), read once per client.
 *
 * Contract:
 * - an https:// origin uses `https_proxy`, else `HTTPS_PROXY`, else `http_proxy`, else `HTTP_PROXY`; an http://
 *   origin uses `http_proxy`, else `HTTP_PROXY` (the lower-case form wins, as in curl and undici);
 * - `no_proxy`, else `NO_PROXY`: entries separated by commas or spaces; `*` exempts every host; `example.com`,
 *   `.example.com` and `*.example.com` exempt that domain and its subdomains; `host:port` only that port;
 *   an IP address or a CIDR block (`10.0.0.0/8`, `fd00::/8`) the addresses it covers;
 * - loopback (127.0.0.0/8, ::1, localhost) is never proxied, whatever the variables say;
 * - a proxy URL without a scheme is taken as http://; credentials in it (`http://user:pass@proxy:3128`) are
 *   sent as Proxy-Authorization and shown nowhere: `describe()` and every error show `[REDACTED]` instead;
 * - a malformed proxy variable is an error naming the variable, never echoing its value.
 */
import { BlockList, isIP } from "node:net";
import { REDACTED } from "./redact";

/** The variables read, in the order they are looked up. */
export const PROXY_VARIABLES = {
  https: ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"],
  http: ["http_proxy", "HTTP_PROXY"],
  noProxy: ["no_proxy", "NO_PROXY"],
} as const;

export interface ProxyChoice {
  /** The proxy URL to connect through, credentials included: only the transport may hold it. */
  url: URL;
  /** The variable it came from, e.g. HTTPS_PROXY. */
  variable: string;
  /** The URL with any user name and password replaced by [REDACTED]: safe for logs, errors and reports. */
  display: string;
}

/** The proxy URL with credentials removed, for anything a person or a log may see. */
export function displayProxyUrl(url: URL): string {
  const shown = new URL(url.href);
  const hadCredentials = shown.username !== "" || shown.password !== "";
  shown.username = "";
  shown.password = "";
  const text = `${shown.protocol}//${shown.host}`;
  return hadCredentials ? text.replace("//", `//${REDACTED}@`) : text;
}

/** 127.0.0.0/8 (also IPv4-mapped, ::ffff:127.x.y.z), ::1 and localhost (and *.localhost). */
export function isLoopbackHost(hostname: string): boolean {
  const host = bare(hostname);
  if (host === "localhost" || host.endsWith(".localhost") || host === "::1") return true;
  return (
    /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)
  );
}

function bare(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
}

function parseProxyUrl(variable: string, text: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(
      `${variable} is not a proxy URL (expected http://host:port or http://user:pass@host:port).`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(
      `${variable} uses ${url.protocol}//; pulumi-dpod supports http:// and https:// proxies.`,
    );
  }
  if (url.hostname === "") throw new TypeError(`${variable} names no proxy host.`);
  return url;
}

interface NoProxyRule {
  /** A host name suffix or an exact IP address (lower case, no brackets); undefined for a CIDR rule. */
  host?: string;
  cidr?: BlockList;
  port?: number;
}

function parseNoProxy(text: string): { everything: boolean; rules: NoProxyRule[] } {
  const rules: NoProxyRule[] = [];
  let everything = false;
  for (const raw of text.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") {
      everything = true;
      continue;
    }
    const cidr = /^\[?([0-9a-f:.]+)\]?\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const family = isIP(cidr[1]!);
      const prefix = Number(cidr[2]);
      if (family !== 0 && prefix <= (family === 4 ? 32 : 128)) {
        const list = new BlockList();
        list.addSubnet(cidr[1]!, prefix, family === 4 ? "ipv4" : "ipv6");
        rules.push({ cidr: list });
      }
      continue;
    }
    let port: number | undefined;
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (withPort) {
      entry = withPort[1]!;
      port = Number(withPort[2]);
    }
    entry = bare(entry).replace(/^\*?\./, "");
    if (entry !== "") rules.push({ host: entry, port });
  }
  return { everything, rules };
}

function defaultPort(url: URL): number {
  return url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

function exempted(target: URL, noProxy: { everything: boolean; rules: NoProxyRule[] }): boolean {
  if (noProxy.everything) return true;
  const host = bare(target.hostname);
  const port = defaultPort(target);
  const family = isIP(host);
  return noProxy.rules.some((rule) => {
    if (rule.port !== undefined && rule.port !== port) return false;
    if (rule.cidr) return family !== 0 && rule.cidr.check(host, family === 4 ? "ipv4" : "ipv6");
    if (rule.host === undefined) return false;
    if (isIP(rule.host) !== 0 || family !== 0) return host === rule.host;
    return host === rule.host || host.endsWith(`.${rule.host}`);
  });
}

/** The proxy settings of one environment, parsed once; `choose` is called per origin. */
export class ProxyRouting {
  private readonly https: { url: URL; variable: string } | undefined;
  private readonly http: { url: URL; variable: string } | undefined;
  private readonly noProxy: { everything: boolean; rules: NoProxyRule[] };
  /** The variable NO_PROXY came from, for reports. */
  readonly noProxyVariable: string | undefined;

  /** Throws a TypeError naming the variable when a proxy variable is set but malformed. */
  constructor(env: NodeJS.ProcessEnv) {
    const first = (names: readonly string[]) => {
      for (const name of names) {
        const value = env[name]?.trim();
        if (value) return { name, value };
      }
      return undefined;
    };
    const parsed = (names: readonly string[]) => {
      const found = first(names);
      return found ? { url: parseProxyUrl(found.name, found.value), variable: found.name } : undefined;
    };
    this.https = parsed(PROXY_VARIABLES.https);
    this.http = parsed(PROXY_VARIABLES.http);
    const noProxy = first(PROXY_VARIABLES.noProxy);
    this.noProxyVariable = noProxy?.name;
    this.noProxy = parseNoProxy(noProxy?.value ?? "");
  }

  /** The proxy for requests to `origin` (scheme, host and port), or undefined to connect directly. */
  choose(origin: string): ProxyChoice | undefined {
    const target = new URL(origin);
    if (isLoopbackHost(target.hostname)) return undefined;
    const proxy = target.protocol === "https:" ? this.https : this.http;
    if (!proxy || exempted(target, this.noProxy)) return undefined;
    return { url: proxy.url, variable: proxy.variable, display: displayProxyUrl(proxy.url) };
  }

  /** Every proxy password this environment holds, for the client's secret scrubber. */
  credentials(): string[] {
    const values: string[] = [];
    for (const proxy of [this.https, this.http]) {
      if (!proxy) continue;
      // User names are left to the URL pattern of redact.ts: a short common name would mangle messages.
      if (proxy.url.password) values.push(proxy.url.password, decodeURIComponent(proxy.url.password));
    }
    return values;
  }
}
