/**
 * Which proxy a request goes through (provider/client/proxy.ts): the variables users' other tools read,
 * NO_PROXY's forms, loopback never proxied, and proxy credentials never shown.
 */
import { displayProxyUrl, isLoopbackHost, ProxyRouting } from "../../../provider/client/proxy";
import { REDACTED, redactText, redactValue } from "../../../provider/client/redact";

const DPOD = "https://thales.eu.market.dpondemand.io";
const TOKEN = "https://access.dpondemand.io";

function chosen(env: NodeJS.ProcessEnv, origin: string): string | undefined {
  return new ProxyRouting(env).choose(origin)?.display;
}

describe("which variable applies", () => {
  it("https origins use HTTPS_PROXY, falling back to HTTP_PROXY; http origins only HTTP_PROXY", () => {
    expect(chosen({ HTTPS_PROXY: "http://secure:3128", HTTP_PROXY: "http://plain:3128" }, DPOD)).toBe(
      "http://secure:3128",
    );
    expect(chosen({ HTTP_PROXY: "http://plain:3128" }, DPOD)).toBe("http://plain:3128");
    expect(chosen({ HTTPS_PROXY: "http://secure:3128" }, "http://dpod.example:8080")).toBeUndefined();
    expect(chosen({}, DPOD)).toBeUndefined();
  });

  it("the lower-case form wins over the upper-case one, and an empty value counts as unset", () => {
    expect(chosen({ https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2" }, DPOD)).toBe(
      "http://lower:1",
    );
    expect(chosen({ https_proxy: " ", HTTPS_PROXY: "http://upper:2" }, DPOD)).toBe("http://upper:2");
  });

  it("a proxy without a scheme is http://", () => {
    expect(chosen({ HTTPS_PROXY: "proxy.corp:8080" }, DPOD)).toBe("http://proxy.corp:8080");
  });

  it("a malformed or unsupported proxy variable is an error naming the variable, never its value", () => {
    expect(() => new ProxyRouting({ HTTPS_PROXY: "http://user:s3cr3t@[bad" })).toThrow(/HTTPS_PROXY/);
    expect(() => new ProxyRouting({ HTTPS_PROXY: "http://user:s3cr3t@[bad" })).not.toThrow(/s3cr3t/);
    expect(() => new ProxyRouting({ https_proxy: "socks5://user:s3cr3t@proxy:1080" })).toThrow(
      /https_proxy uses socks5:/,
    );
  });
});

describe("loopback is never proxied", () => {
  it.each([
    "http://127.0.0.1:8080",
    "http://127.1.2.3",
    "http://localhost:1",
    "http://api.localhost",
    "http://[::1]:9",
    "http://[::ffff:127.0.0.1]:9",
  ])("%s", (origin) => {
    expect(isLoopbackHost(new URL(origin).hostname)).toBe(true);
    expect(chosen({ HTTP_PROXY: "http://proxy:3128", NO_PROXY: "" }, origin)).toBeUndefined();
  });

  it("a name that merely contains localhost or 127 is not loopback", () => {
    expect(isLoopbackHost("localhost.example.com")).toBe(false);
    expect(isLoopbackHost("127.example.com")).toBe(false);
    expect(chosen({ HTTP_PROXY: "http://proxy:3128" }, "http://localhost.example.com")).toBe(
      "http://proxy:3128",
    );
  });
});

describe("NO_PROXY", () => {
  const proxied = (noProxy: string, origin: string) =>
    chosen(
      { HTTPS_PROXY: "http://proxy:3128", HTTP_PROXY: "http://proxy:3128", NO_PROXY: noProxy },
      origin,
    ) !== undefined;

  it("* exempts every host", () => {
    expect(proxied("*", DPOD)).toBe(false);
    expect(proxied("example.com, *", TOKEN)).toBe(false);
  });

  it("a domain, .domain and *.domain exempt the domain and its subdomains, not look-alikes", () => {
    for (const entry of ["dpondemand.io", ".dpondemand.io", "*.dpondemand.io", "DPONDEMAND.IO"]) {
      expect(proxied(entry, DPOD)).toBe(false);
      expect(proxied(entry, TOKEN)).toBe(false);
      expect(proxied(entry, "https://dpondemand.io")).toBe(false);
      expect(proxied(entry, "https://notdpondemand.io")).toBe(true);
    }
  });

  it("an exact host exempts that host only", () => {
    expect(proxied("access.dpondemand.io", TOKEN)).toBe(false);
    expect(proxied("access.dpondemand.io", DPOD)).toBe(true);
  });

  it("host:port exempts only that port (the scheme's default when the URL names none)", () => {
    expect(proxied("access.dpondemand.io:443", TOKEN)).toBe(false);
    expect(proxied("access.dpondemand.io:8443", TOKEN)).toBe(true);
    expect(proxied("dpod.test:8443", "https://dpod.test:8443")).toBe(false);
  });

  it("entries may be separated by commas, spaces or both", () => {
    expect(proxied("a.example  , b.example c.example", "https://c.example")).toBe(false);
    expect(proxied("a.example,b.example", "https://d.example")).toBe(true);
  });

  it("IP addresses match exactly, CIDR blocks by range, IPv6 in brackets", () => {
    expect(proxied("10.1.2.3", "https://10.1.2.3")).toBe(false);
    expect(proxied("10.1.2.3", "https://10.1.2.4")).toBe(true);
    expect(proxied("10.0.0.0/8", "https://10.200.0.1")).toBe(false);
    expect(proxied("10.0.0.0/8", "https://11.0.0.1")).toBe(true);
    expect(proxied("fd00::/8", "https://[fd12::1]")).toBe(false);
    expect(proxied("[fd12::1]:443", "https://[fd12::1]")).toBe(false);
    // a CIDR block never matches a name
    expect(proxied("10.0.0.0/8", "https://ten.example")).toBe(true);
  });

  it("the lower-case no_proxy wins", () => {
    const env = { HTTPS_PROXY: "http://proxy:3128", no_proxy: "other.example", NO_PROXY: "*" };
    expect(chosen(env, DPOD)).toBe("http://proxy:3128");
  });
});

describe("proxy credentials are never shown", () => {
  const env = { HTTPS_PROXY: "http://alice:pa%24%24word-99@proxy.corp:3128" };

  it("the display form of the proxy hides user and password", () => {
    const choice = new ProxyRouting(env).choose(DPOD)!;
    expect(choice.display).toBe(`http://${REDACTED}@proxy.corp:3128`);
    expect(choice.variable).toBe("HTTPS_PROXY");
    expect(choice.url.password).toBe("pa%24%24word-99"); // the transport still has them
    expect(displayProxyUrl(new URL("http://proxy.corp:3128"))).toBe("http://proxy.corp:3128");
  });

  it("the client's scrubber learns the password, encoded and decoded", () => {
    expect(new ProxyRouting(env).credentials()).toEqual(["pa%24%24word-99", "pa$$word-99"]);
  });

  it("redaction removes credentials from any URL in text and in JSON values", () => {
    const text = "connect ECONNREFUSED via http://alice:pa$$word-99@proxy.corp:3128 (HTTPS_PROXY)";
    expect(redactText(text)).toBe(
      `connect ECONNREFUSED via http://${REDACTED}@proxy.corp:3128 (HTTPS_PROXY)`,
    );
    expect(redactValue({ proxy: "https://bob:hunter22@p:1/x" })).toEqual({
      proxy: `https://${REDACTED}@p:1/x`,
    });
    expect(redactText("see https://thales.eu.market.dpondemand.io/v1/users")).toBe(
      "see https://thales.eu.market.dpondemand.io/v1/users",
    );
  });
});
