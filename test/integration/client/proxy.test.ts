/**
 * The client through a real forward proxy (the `proxy` package) to the emulator, which the client can only
 * reach by the name `dpod.test`, a name only the proxy resolves: reaching it proves the request went
 * through the proxy. Also: NO_PROXY, proxy credentials (sent, never shown), a refusing proxy, and TLS
 * kept end to end through the tunnel (a private CA the process does not trust is refused; trusted through
 * NODE_EXTRA_CA_CERTS in a fresh process, it works).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { clearTokenCache, DpodClient, type ConnectionSettings } from "../../../provider/client";
import { startForwardProxy, type ForwardProxy } from "../../../scripts/lib/forward-proxy";
import { makeTestCertificates } from "../../helpers/test-ca";

const NAME = "dpod.test";
const PROXY_USER = "proxy-user";
const PROXY_PASSWORD = "proxy-Pa55word-31";

let emulator: RunningEmulator;
let proxy: ForwardProxy;
let settings: ConnectionSettings;
const clients: DpodClient[] = [];

function client(env: NodeJS.ProcessEnv, connection: ConnectionSettings = settings): DpodClient {
  const made = new DpodClient(connection, {
    proxyEnvironment: env,
    maxAttempts: 1,
    debug: false,
    requestTimeoutMs: 10_000,
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  emulator = await startEmulator();
  proxy = await startForwardProxy({
    map: { [NAME]: "127.0.0.1" },
    credentials: `${PROXY_USER}:${PROXY_PASSWORD}`,
  });
  const port = new URL(emulator.url).port;
  const credential = emulator.tenants[0]!.credentials.find((c) => c.role === "dpod.tenant.api_spadmin")!;
  settings = {
    apiUrl: `http://${NAME}:${port}`,
    tokenUrl: `http://${NAME}:${port}/oauth/v1/token`,
    clientId: credential.clientId,
    clientSecret: credential.clientSecret,
    allowInsecureHttp: true,
  };
});

beforeEach(() => {
  clearTokenCache();
  proxy.seen.length = 0;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await proxy?.stop();
  await emulator?.close();
});

const authenticatedProxy = () => `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`;

it("reaches DPoD through HTTP_PROXY, with the proxy's credentials, and the proxy sees every connection", async () => {
  const dpod = client({ HTTP_PROXY: authenticatedProxy() });
  const page = await dpod.users.listPage();
  expect(page.content.length).toBeGreaterThan(0);
  await dpod.users.listPage();
  expect(dpod.stats().requests).toBe(2);
  // to an http:// origin each request is forwarded in absolute form: the proxy sees every one
  await proxy.waitFor(3);
  const origin = settings.apiUrl;
  expect(proxy.seen).toEqual([
    { method: "POST", target: `${origin}/oauth/v1/token`, authorized: true },
    { method: "GET", target: `${origin}/v1/users?page=0&size=100`, authorized: true },
    { method: "GET", target: `${origin}/v1/users?page=0&size=100`, authorized: true },
  ]);
  expect(dpod.proxies()).toEqual({
    api: { proxy: `http://[REDACTED]@127.0.0.1:${proxy.port}`, variable: "HTTP_PROXY" },
    token: { proxy: `http://[REDACTED]@127.0.0.1:${proxy.port}`, variable: "HTTP_PROXY" },
  });
});

it("with NO_PROXY naming the host, the client connects directly and the proxy sees nothing", async () => {
  const dpod = client({ HTTP_PROXY: authenticatedProxy(), NO_PROXY: `localhost,${NAME}` });
  expect(dpod.proxies()).toEqual({ api: undefined, token: undefined });
  // dpod.test resolves only through the proxy: directly, it cannot be found
  const error = await dpod.users.listPage().catch((e: unknown) => e);
  expect(String((error as Error).message)).toMatch(/ENOTFOUND|EAI_AGAIN/);
  expect(proxy.seen).toEqual([]);
});

it("loopback is never proxied, whatever the variables say", async () => {
  const dpod = client(
    { HTTP_PROXY: authenticatedProxy() },
    { ...settings, apiUrl: emulator.url, tokenUrl: emulator.tokenUrl },
  );
  await dpod.users.listPage();
  expect(proxy.seen).toEqual([]);
});

it("a proxy refusing the credentials gives an error that names it without them, and nothing is retried blindly", async () => {
  const wrong = `http://${PROXY_USER}:wrong-Pa55word-77@127.0.0.1:${proxy.port}`;
  const dpod = client({ HTTP_PROXY: wrong });
  const error = (await dpod.users.listPage().catch((e: unknown) => e)) as Error;
  expect(error.message).toContain(
    `the proxy http://[REDACTED]@127.0.0.1:${proxy.port} (from HTTP_PROXY) answered 407`,
  );
  expect(error.message).toContain("it wants valid proxy credentials");
  await proxy.waitFor(1);
  expect(proxy.seen.map((s) => s.authorized)).toEqual([false]);
  const everything = [error.message, String(error.stack), JSON.stringify(error)].join("\n");
  for (const secret of ["wrong-Pa55word-77", PROXY_PASSWORD, settings.clientSecret!])
    expect(everything).not.toContain(secret);
});

describe("HTTPS with a private CA, through the proxy", () => {
  let tlsEmulator: RunningEmulator;
  let directory: string;
  let caFile: string;
  let tlsSettings: ConnectionSettings;

  beforeAll(async () => {
    const certificates = await makeTestCertificates([NAME]);
    directory = mkdtempSync(path.join(tmpdir(), "dpod-ca-"));
    caFile = path.join(directory, "ca.pem");
    writeFileSync(caFile, certificates.caCert);
    tlsEmulator = await startEmulator({ tls: { cert: certificates.cert, key: certificates.key } });
    const port = new URL(tlsEmulator.url).port;
    const credential = tlsEmulator.tenants[0]!.credentials.find((c) => c.role === "dpod.tenant.api_spadmin")!;
    tlsSettings = {
      apiUrl: `https://${NAME}:${port}`,
      tokenUrl: `https://${NAME}:${port}/oauth/v1/token`,
      clientId: credential.clientId,
      clientSecret: credential.clientSecret,
    };
  });

  afterAll(async () => {
    await tlsEmulator?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("this process does not trust the test CA: the certificate is refused, so TLS runs end to end through the tunnel", async () => {
    const dpod = client({ HTTPS_PROXY: authenticatedProxy() }, tlsSettings);
    const error = (await dpod.users.listPage().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/certificate|UNABLE_TO_VERIFY|SELF_SIGNED/i);
    await proxy.waitFor(1);
  });

  it("a proxy refusing to open the tunnel is named without its credentials", async () => {
    const wrong = `http://${PROXY_USER}:wrong-Pa55word-78@127.0.0.1:${proxy.port}`;
    const error = (await client({ HTTPS_PROXY: wrong }, tlsSettings)
      .users.listPage()
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(
      `the proxy http://[REDACTED]@127.0.0.1:${proxy.port} (from HTTPS_PROXY) answered 407 instead of opening a tunnel`,
    );
    expect(error.message).not.toContain("wrong-Pa55word-78");
    await proxy.waitFor(1);
    expect(proxy.seen[0]).toMatchObject({ method: "CONNECT", authorized: false });
  });

  it("a process started with NODE_EXTRA_CA_CERTS naming the CA reaches DPoD through the proxy", async () => {
    const script = `
      const { DpodClient } = require(${JSON.stringify(path.resolve(__dirname, "../../../provider/client"))});
      const client = new DpodClient(JSON.parse(process.env.TEST_SETTINGS), { maxAttempts: 1 });
      client.users.listPage().then(
        (page) => { console.log(JSON.stringify({ users: page.content.length, proxies: client.proxies() })); return client.close(); },
        (error) => { console.error(error.message); process.exitCode = 1; return client.close(); },
      );`;
    // Asynchronously: the emulator answers from this process's event loop.
    const result = await promisify(execFile)(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "-e", script],
      {
        env: {
          PATH: process.env.PATH,
          NODE_EXTRA_CA_CERTS: caFile,
          HTTPS_PROXY: authenticatedProxy(),
          TEST_SETTINGS: JSON.stringify(tlsSettings),
        },
        encoding: "utf8",
        timeout: 60_000,
      },
    ).catch((error: { stdout: string; stderr: string }) => error);
    expect(result.stderr).toBe("");
    const output = JSON.parse(result.stdout) as { users: number; proxies: unknown };
    expect(output.users).toBeGreaterThan(0);
    expect(output.proxies).toEqual({
      api: { proxy: `http://[REDACTED]@127.0.0.1:${proxy.port}`, variable: "HTTPS_PROXY" },
      token: { proxy: `http://[REDACTED]@127.0.0.1:${proxy.port}`, variable: "HTTPS_PROXY" },
    });
    await proxy.waitFor(1);
    expect(proxy.seen.every((s) => s.method === "CONNECT" && s.target.startsWith(`${NAME}:`))).toBe(true);
  });
});
