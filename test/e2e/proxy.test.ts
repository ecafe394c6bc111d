// The resources scenario on the real engine with DPoD reachable only through a forward proxy (issue "Done
// when"): the emulator is addressed as http://dpod.test:<port>, a name only the test proxy resolves, so
// every request the program's providers make must go through it; the proxy's log is compared with the
// emulator's, request for request. With NO_PROXY naming the host (and the name resolvable directly), the
// same stack runs without the proxy seeing a single request.
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { requestCounts, resetRequestLog } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setUsersConfig } from "../helpers/emulator-seed";
import { createProgram } from "../helpers/e2e-workspace";
import { startForwardProxy, type ForwardProxy } from "../../scripts/lib/forward-proxy";

const HOST = "dpod.test";
const PROXY_CREDENTIALS = "corp-user:Proxy-Pa55word-e2e";

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const ops = new dpod.SubscriberGroup("ops", { name: config.require("groupName"), description: "Operations" });
const alice = new dpod.User("alice", {
  username: config.require("username"),
  givenName: "Alice",
  familyName: "Doe",
  accountRole: "dpod.tenant.appowner",
  subscriberGroups: [ops.id],
  tenantId: config.require("tenantId"),
  connection: { clientId: config.require("spClientId"), clientSecret: config.requireSecret("spClientSecret") },
});
const ci = new dpod.ClientCredential("ci", {
  name: config.require("credentialName"),
  role: "dpod.tenant.api_appowner",
  rotationTriggers: { round: config.get("rotation") ?? "1" },
});
export const ids = [ops.id, alice.id, ci.clientId];
`;

describe("DPoD behind a forward proxy, on the real engine", () => {
  let emulator: RunningEmulator;
  let proxy: ForwardProxy;
  let origin: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    proxy = await startForwardProxy({ map: { [HOST]: "127.0.0.1" }, credentials: PROXY_CREDENTIALS });
    origin = `http://${HOST}:${new URL(emulator.url).port}`;
  });

  afterAll(async () => {
    await proxy?.stop();
    await emulator?.close();
  });

  async function stackFor(name: string, env: Record<string, string>): Promise<PulumiStack> {
    const { tenant, serviceProvider } = seedOf(emulator);
    const appOwner = credentialOf(tenant, "dpod.tenant.api_appowner");
    const spAdmin = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
    const stack = await PulumiStack.create({
      projectDir: createProgram(name, {
        "Pulumi.yaml": `name: ${name}\nruntime: nodejs\n`,
        "index.ts": program,
      }),
      env,
    });
    await stack.setConfig("dpod:apiUrl", origin);
    await stack.setConfig("dpod:tokenUrl", `${origin}/oauth/v1/token`);
    await stack.setConfig("dpod:allowInsecureHttp", "true"); // plain http to a name that is not loopback
    await stack.setConfig("dpod:clientId", appOwner.clientId);
    await stack.setConfig("dpod:clientSecret", appOwner.clientSecret, { secret: true });
    await setUsersConfig(stack, spAdmin, tenant.id);
    await stack.setConfig("groupName", `${name}-ops`);
    await stack.setConfig("username", `alice-${name}@example.com`);
    await stack.setConfig("credentialName", `${name}-ci`);
    return stack;
  }

  /** A failed command's output is the test's message. */
  function succeeded(result: { code: number; stdout: string; stderr: string }): void {
    if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  }

  /** The DPoD requests the proxy forwarded since the last reset, as "<METHOD> <path>". */
  function proxied(): string[] {
    return proxy.seen
      .filter((s) => s.target.startsWith(`${origin}/`))
      .map((s) => `${s.method} ${new URL(s.target).pathname}`);
  }

  /** The requests the emulator answered since the last reset, as "<METHOD> <path>" counts. */
  async function answered(): Promise<number> {
    return (await requestCounts(emulator)).total;
  }

  it("create, clean refresh, rotation and destroy all go through HTTP_PROXY, every request of them", async () => {
    const stack = await stackFor("proxied", {
      HTTP_PROXY: `http://${PROXY_CREDENTIALS}@127.0.0.1:${proxy.port}`,
      // Pulumi's own gRPC between its processes stays local, as users configure it.
      NO_PROXY: "localhost,127.0.0.1",
    });
    try {
      for (const step of [
        () => stack.up(),
        () => stack.preview(["--refresh", "--expect-no-changes"]),
        async () => {
          await stack.setConfig("rotation", "2");
          return stack.up();
        },
        () => stack.destroy(),
      ]) {
        proxy.seen.length = 0;
        await resetRequestLog(emulator);
        const result = await step();
        expect(result.stdout + result.stderr).not.toContain("Proxy-Pa55word-e2e");
        succeeded(result);
        const count = await answered();
        expect(count).toBeGreaterThan(0);
        await proxy.waitFor(count);
        expect(proxied()).toHaveLength(count);
        expect(proxy.seen.every((s) => s.authorized)).toBe(true);
      }
    } finally {
      stack.dispose();
    }
  });

  it("with NO_PROXY naming the host, the same scenario connects directly: the proxy sees none", async () => {
    const stack = await stackFor("direct", {
      HTTP_PROXY: `http://${PROXY_CREDENTIALS}@127.0.0.1:${proxy.port}`,
      NO_PROXY: `localhost,127.0.0.1,${HOST}`,
      // Directly, dpod.test must resolve without the proxy: the program's processes resolve it themselves.
      NODE_OPTIONS: `--require ${path.join(__dirname, "..", "helpers", "resolve-dpod-test.js")}`,
    });
    try {
      proxy.seen.length = 0;
      await resetRequestLog(emulator);
      succeeded(await stack.up());
      succeeded(await stack.preview(["--refresh", "--expect-no-changes"]));
      succeeded(await stack.destroy());
      expect(await answered()).toBeGreaterThan(5);
      expect(proxy.seen).toEqual([]);
    } finally {
      stack.dispose();
    }
  });
});
