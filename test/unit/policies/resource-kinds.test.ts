import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import {
  DPOD_KINDS,
  DYNAMIC_PROVIDER_MODULES,
  dpodKindOf,
  dynamicType,
  GENERIC_DYNAMIC_TYPE,
  kindOfSerializedProvider,
  nativeType,
} from "../../../policies/resource-kinds";

const root = path.resolve(__dirname, "..", "..", "..");

/** The `__provider` a 0.1.0 state holds for a resource of `urnType`, as recorded by that release. */
function recordedProvider(kind: string): string {
  const state = JSON.parse(
    readFileSync(path.join(root, "test/fixtures/recorded-state/0.1.0/stack.json"), "utf8"),
  ) as {
    checkpoint?: unknown;
    deployment?: { resources: Array<{ type: string; inputs?: Record<string, unknown> }> };
  };
  const resources = state.deployment?.resources ?? [];
  const resource = resources.find((r) => r.type === `pulumi-nodejs:dynamic/dpod:${kind}`);
  if (!resource) throw new Error(`the recorded state has no ${kind}`);
  return String(resource.inputs?.__provider);
}

/** The `__provider` pulumi-dpod writes today: one require of the kind's module (asserted by the e2e resources test). */
function currentProvider(module: string): string {
  return `exports.handler = __f0;\n\nfunction __f0() {\n  return (function() {\n    with({ }) {\n\nreturn () => require("pulumi-dpod/dist/provider/dynamic-providers/${module}.js");\n\n    }\n  }).apply(undefined, undefined).apply(this, arguments);\n}\n`;
}

describe("recognising pulumi-dpod resources", () => {
  it("knows each kind by its native and its dynamic type token", () => {
    for (const kind of DPOD_KINDS) {
      expect(dpodKindOf(nativeType(kind), () => undefined)).toBe(kind);
      expect(dpodKindOf(dynamicType(kind), () => undefined)).toBe(kind);
    }
    expect(nativeType("User")).toBe("dpod:index:User");
    expect(dynamicType("ClientCredential")).toBe("pulumi-nodejs:dynamic/dpod:ClientCredential");
  });

  it("reads the kind of a generic dynamic resource from the module its __provider requires", () => {
    for (const kind of DPOD_KINDS) {
      const serialized = currentProvider(DYNAMIC_PROVIDER_MODULES[kind]);
      expect(dpodKindOf(GENERIC_DYNAMIC_TYPE, () => serialized)).toBe(kind);
    }
  });

  it("reads the kind from a 0.1.0 state's __provider, which captures it by value", () => {
    for (const kind of ["User", "SubscriberGroup", "ClientCredential"]) {
      expect(kindOfSerializedProvider(recordedProvider(kind))).toBe(kind);
    }
  });

  it("ignores other libraries' dynamic resources and other types", () => {
    const foreign = 'exports.handler = () => require("some-other-provider"); with({ kind: "User" }) {}';
    expect(dpodKindOf(GENERIC_DYNAMIC_TYPE, () => foreign)).toBeUndefined();
    expect(dpodKindOf(GENERIC_DYNAMIC_TYPE, () => undefined)).toBeUndefined();
    expect(dpodKindOf("aws:s3/bucket:Bucket", () => currentProvider("user"))).toBeUndefined();
    expect(dpodKindOf("dpod:index:Unknown", () => undefined)).toBeUndefined();
  });

  it("names the dynamic-provider modules that pulumi-dpod ships and exports", () => {
    const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    const sources = readdirSync(path.join(root, "provider/dynamic-providers"));
    for (const module of Object.values(DYNAMIC_PROVIDER_MODULES)) {
      expect(sources).toContain(`${module}.ts`);
      expect(Object.keys(manifest.exports)).toContain(`./dist/provider/dynamic-providers/${module}.js`);
    }
  });

  it("covers every kind the native plugin's schema declares", () => {
    const schema = JSON.parse(
      readFileSync(path.join(root, "provider/native/pulumi-schema.json"), "utf8"),
    ) as {
      resources: Record<string, unknown>;
    };
    for (const token of Object.keys(schema.resources)) {
      expect(dpodKindOf(token, () => undefined)).toBeDefined();
    }
  });
});
