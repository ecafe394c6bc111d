import * as pulumi from "@pulumi/pulumi";
import type { ConnectionSettings, DpodClient } from "../../../provider/client";
import { DynamicRuntime } from "../../../provider/dynamic";
import {
  clientCredentialProvider,
  subscriberGroupProvider,
  userProvider,
} from "../../../provider/dynamic-providers";
import {
  isTemporaryNameOf,
  temporaryNameOwner,
} from "../../../provider/resources/client-credential/temporary-name";
import { FakeDpod, PROVIDER } from "./fake-dpod";

const providers = {
  User: userProvider,
  SubscriberGroup: subscriberGroupProvider,
  ClientCredential: clientCredentialProvider,
};

describe("the serialized providers", () => {
  it.each(Object.entries(providers))(
    "%s: every method only loads pulumi-dpod/provider at call time",
    (kind, provider) => {
      const methods = Object.entries(provider);
      expect(methods.map(([name]) => name).sort()).toEqual(
        ["check", "configure", "create", "delete", "diff", "read", "update"].sort(),
      );
      for (const [, method] of methods) {
        const source = String(method);
        const requires = source.match(/require\([^)]*\)/g) ?? [];
        expect(requires.length).toBeGreaterThan(0);
        expect(new Set(requires)).toEqual(new Set(['require("pulumi-dpod/provider")']));
        // Free identifiers other than the call's own parameters, `kind` and `require` would be captured.
        expect(source).not.toMatch(/process\.env|DpodClient|dynamicRuntime\s*=|settings/);
      }
    },
  );

  it.each(Object.entries(providers))(
    "%s: serializes to a small closure holding no settings",
    async (kind, provider) => {
      const captured = provider; // a local, as dynamic.Resource captures it, so the module is not pulled in
      process.env.DPOD_CLIENT_SECRET = "env-secret-that-must-not-leak";
      try {
        const serialized = await pulumi.runtime.serializeFunction(() => captured, { allowSecrets: false });
        expect(serialized.containsSecrets).toBe(false);
        expect(serialized.text.length).toBeLessThan(4096);
        expect(serialized.text).toContain('require("pulumi-dpod/provider")');
        expect(serialized.text).toContain(JSON.stringify(kind));
        expect(serialized.text).not.toContain("env-secret-that-must-not-leak");
        expect(serialized.text).not.toMatch(/apiUrl|tokenUrl|clientSecret/);
      } finally {
        delete process.env.DPOD_CLIENT_SECRET;
      }
    },
  );
});

describe("DynamicRuntime", () => {
  const made: ConnectionSettings[] = [];
  const factory = (settings: ConnectionSettings) => {
    made.push(settings);
    return { settings } as unknown as DpodClient;
  };
  const env = {
    DPOD_API_URL: "https://env.example",
    DPOD_CLIENT_ID: "env-id",
    DPOD_CLIENT_SECRET: "env-secret",
  };

  beforeEach(() => made.splice(0));

  it("resolves settings field by field: connection input, then stack config, then environment", () => {
    const runtime = new DynamicRuntime(env, factory, () => undefined);
    expect(runtime.settingsFor({})).toMatchObject({ apiUrl: "https://env.example", clientId: "env-id" });

    const stack: Record<string, string> = {
      "dpod:apiUrl": "https://stack.example",
      "dpod:clientId": "stack-id",
      "dpod:clientSecret": "stack-secret",
    };
    runtime.configure({ config: { get: (key) => stack[key] } });
    expect(runtime.settingsFor({})).toMatchObject({ apiUrl: "https://stack.example", clientId: "stack-id" });

    const connection = { clientId: "own-id", clientSecret: "own-secret" };
    expect(runtime.settingsFor({ connection, __provider: PROVIDER })).toMatchObject({
      apiUrl: "https://stack.example",
      clientId: "own-id",
      clientSecret: "own-secret",
    });
  });

  it("takes the request concurrency from dpod:maxConcurrency, then DPOD_MAX_CONCURRENCY", () => {
    const options: unknown[] = [];
    const recordingFactory = (settings: ConnectionSettings, clientOptions: unknown) => {
      options.push(clientOptions);
      return { settings } as unknown as DpodClient;
    };
    const runtime = new DynamicRuntime(
      { ...env, DPOD_MAX_CONCURRENCY: "3" },
      recordingFactory,
      () => undefined,
    );
    expect(runtime.clientOptions()).toEqual({ maxConcurrency: 3 });
    runtime.configure({ config: { get: (key) => (key === "dpod:maxConcurrency" ? "2" : undefined) } });
    expect(runtime.clientOptions()).toEqual({ maxConcurrency: 2 });
    expect(new DynamicRuntime(env, recordingFactory, () => undefined).clientOptions()).toEqual({});

    const invalid = new DynamicRuntime(
      { ...env, DPOD_MAX_CONCURRENCY: "lots" },
      recordingFactory,
      () => undefined,
    );
    expect(() => invalid.clientOptions()).toThrow(
      /dpod:maxConcurrency \(environment variable DPOD_MAX_CONCURRENCY\): must be a whole number from 1 to 64/,
    );
  });

  it("survives a configure whose config cannot be read", () => {
    const runtime = new DynamicRuntime(env, factory, () => undefined);
    runtime.configure({
      config: {
        get: () => {
          throw new TypeError("no config");
        },
      },
    });
    expect(runtime.settingsFor({})).toMatchObject({ apiUrl: "https://env.example" });
  });

  it("reports config problems without the secret", () => {
    const runtime = new DynamicRuntime({ DPOD_CLIENT_SECRET: "lonely-secret" }, factory, () => undefined);
    let message = "";
    try {
      runtime.settingsFor({});
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/apiUrl/);
    expect(message).not.toContain("lonely-secret");
  });

  it("keeps one client per distinct settings", async () => {
    const runtime = new DynamicRuntime(env, factory, () => undefined);
    const ids = ["a", "b"];
    const calls = ids.flatMap((id) => [
      runtime.read("SubscriberGroup", id, {}).catch(() => undefined),
      runtime
        .read("SubscriberGroup", id, { connection: { clientId: "x", clientSecret: "y" } })
        .catch(() => undefined),
    ]);
    await Promise.all(calls);
    expect(made).toHaveLength(2);
  });

  it("uses DPOD_PROVIDER_NOW (with DPOD_ENABLE_TEST_CLOCK) as the clock in diff", async () => {
    const state = {
      clientId: "c",
      name: "ci",
      role: "dpod.tenant.api_appowner",
      serviceIds: [],
      subscriberGroups: [],
      clientSecret: "s",
      secretCreatedAt: "2026-01-01T00:00:00Z",
      rotateAfterDays: 30,
    };
    const inputs = { name: "ci", role: "dpod.tenant.api_appowner", rotateAfterDays: 30 };
    const testEnv = { ...env, DPOD_ENABLE_TEST_CLOCK: "1" };
    const early = new DynamicRuntime({ ...testEnv, DPOD_PROVIDER_NOW: "2026-01-15T00:00:00Z" }, factory);
    const late = new DynamicRuntime({ ...testEnv, DPOD_PROVIDER_NOW: "2026-03-01T00:00:00Z" }, factory);
    expect(await early.diff("ClientCredential", "c", state, inputs)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await late.diff("ClientCredential", "c", state, inputs)).changes).toBe(true);
    const broken = new DynamicRuntime({ ...testEnv, DPOD_PROVIDER_NOW: "yesterday" }, factory);
    await expect(broken.diff("ClientCredential", "c", state, inputs)).rejects.toThrow(
      /DPOD_PROVIDER_NOW must be an ISO 8601/,
    );
    // Without the switch, a stray DPOD_PROVIDER_NOW is ignored (real time: the 2026 secret is due) and
    // reported once per process.
    const warnings: string[] = [];
    const stray = new DynamicRuntime({ ...env, DPOD_PROVIDER_NOW: "2026-01-15T00:00:00Z" }, factory, (m) =>
      warnings.push(m),
    );
    expect((await stray.diff("ClientCredential", "c", state, inputs)).changes).toBe(true);
    await stray.diff("ClientCredential", "c", state, inputs);
    expect(warnings).toHaveLength(1);
  });

  it("hands the diff's expiry warning to its warn (the provider's log), naming the resource", async () => {
    const state = {
      clientId: "c",
      name: "ci",
      role: "dpod.tenant.api_appowner",
      serviceIds: [],
      subscriberGroups: [],
      clientSecret: "s",
      secretCreatedAt: "2026-01-01T00:00:00Z",
      rotateAfterDays: 30,
    };
    const inputs = { name: "ci", role: "dpod.tenant.api_appowner", rotateAfterDays: 30 };
    const testEnv = { ...env, DPOD_ENABLE_TEST_CLOCK: "1", DPOD_PROVIDER_NOW: "2026-01-28T00:00:00Z" };
    const warnings: string[] = [];
    const runtime = new DynamicRuntime(testEnv, factory, (m) => warnings.push(m));
    expect((await runtime.diff("ClientCredential", "c", state, inputs)).changes).toBe(false);
    expect(warnings).toEqual([
      expect.stringMatching(/^ClientCredential "ci" \(client id c\): .* in 3\.0 days/),
    ]);
  });

  it("takes the SDK's URN out of the inputs for the handlers and hands it to create as the context's urn", async () => {
    const dpod = new FakeDpod();
    const runtime = new DynamicRuntime(
      env,
      () => dpod.api as unknown as DpodClient,
      () => undefined,
    );
    const urn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/dpod:ClientCredential::ci";
    const news = { name: "ci", role: "api_appowner", __urn: urn, __provider: PROVIDER };
    const checked = await runtime.check("ClientCredential", {}, news);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ name: "ci", role: "api_appowner", __urn: urn });

    const created = await runtime.create("ClientCredential", checked.inputs);
    const posted = dpod.calls.find((c) => c.op === "credentials.create")?.args[0] as { name: string };
    expect(isTemporaryNameOf(posted.name, temporaryNameOwner(urn))).toBe(true);
    expect(created.outs).not.toHaveProperty("__urn");
    expect((await runtime.diff("ClientCredential", created.id, created.outs, checked.inputs)).changes).toBe(
      false,
    );
    const updated = await runtime.update("ClientCredential", created.id, created.outs, {
      ...checked.inputs,
      name: "ci-2",
    });
    expect(updated.outs).toMatchObject({ name: "ci-2" });
  });

  it("refuses an unknown kind", async () => {
    const runtime = new DynamicRuntime(env, factory);
    await expect(runtime.check("Tenant", {}, {})).rejects.toThrow(/unknown resource kind "Tenant"/);
  });
});
