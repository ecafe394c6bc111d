/**
 * Which pulumi-dpod resource a policy is looking at, for programs in every language.
 *
 * How each appears to a policy pack:
 * - Native plugin (YAML, Python, Go, explicit providers): the type token `dpod:index:<Kind>`.
 * - TypeScript SDK (dynamic resources): the type `pulumi-nodejs:dynamic/dpod:<Kind>`, which the SDK's
 *   classes register. A dynamic resource registered without a module and type has the generic type
 *   `pulumi-nodejs:dynamic:Resource`; its kind is then read from its `__provider` input, the serialized
 *   provider object: pulumi-dpod's is one `require` of the kind's own module,
 *   `pulumi-dpod/dist/provider/dynamic-providers/<kind-module>.js` (those paths are a stable contract of
 *   the package), and states written by 0.1.0 carry the methods by value, capturing `kind: "<Kind>"`
 *   beside a require of `pulumi-dpod/provider`. Anything else (another library's dynamic resource) is not
 *   a DPoD resource.
 */
export const DPOD_KINDS = [
  "User",
  "SubscriberGroup",
  "ClientCredential",
  "RotatingClientCredential",
] as const;
export type DpodKind = (typeof DPOD_KINDS)[number];

/** The module of each kind's dynamic-provider object, under pulumi-dpod/dist/provider/dynamic-providers/. */
export const DYNAMIC_PROVIDER_MODULES: Readonly<Record<DpodKind, string>> = {
  User: "user",
  SubscriberGroup: "subscriber-group",
  ClientCredential: "client-credential",
  RotatingClientCredential: "rotating-client-credential",
};

/** The native plugin's type token for a kind. */
export function nativeType(kind: DpodKind): string {
  return `dpod:index:${kind}`;
}

/** The type the TypeScript SDK registers a kind's dynamic resource under. */
export function dynamicType(kind: DpodKind): string {
  return `pulumi-nodejs:dynamic/dpod:${kind}`;
}

/** The generic dynamic type, used by dynamic resources registered without a module and type. */
export const GENERIC_DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/** The resource type of the native plugin's provider (its inputs are the provider configuration). */
export const NATIVE_PROVIDER_TYPE = "pulumi:providers:dpod";

const byType = new Map<string, DpodKind>(
  DPOD_KINDS.flatMap((kind) => [
    [nativeType(kind), kind],
    [dynamicType(kind), kind],
  ]),
);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const moduleRequire = new RegExp(
  `require\\(\\s*["']pulumi-dpod/dist/provider/dynamic-providers/(${Object.values(DYNAMIC_PROVIDER_MODULES)
    .map(escape)
    .join("|")})(?:\\.js)?["']\\s*\\)`,
);
const capturedKind = /\bkind:\s*"(\w+)"/;
const providerRequire = /require\(\s*["']pulumi-dpod\/provider["']\s*\)/;

/** The kind named by a serialized dynamic-provider object, or undefined if it is not pulumi-dpod's. */
export function kindOfSerializedProvider(serialized: string): DpodKind | undefined {
  const module = moduleRequire.exec(serialized)?.[1];
  if (module !== undefined) {
    return DPOD_KINDS.find((kind) => DYNAMIC_PROVIDER_MODULES[kind] === module);
  }
  const captured = capturedKind.exec(serialized)?.[1];
  if (captured !== undefined && providerRequire.test(serialized)) {
    return DPOD_KINDS.find((kind) => kind === captured);
  }
  return undefined;
}

/**
 * The DPoD kind of a resource, or undefined when it is not a pulumi-dpod resource. `serializedProvider`
 * is read only for the generic dynamic type (it is a plain string, known at preview).
 */
export function dpodKindOf(type: string, serializedProvider: () => unknown): DpodKind | undefined {
  const kind = byType.get(type);
  if (kind !== undefined) return kind;
  if (type !== GENERIC_DYNAMIC_TYPE) return undefined;
  const serialized = serializedProvider();
  return typeof serialized === "string" ? kindOfSerializedProvider(serialized) : undefined;
}
