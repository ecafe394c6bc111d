/**
 * The native plugin's wire format: property maps as protobuf Structs, with Pulumi's secret envelopes.
 *
 * Contract:
 * - The plugin answers Configure with acceptSecrets, so secrets arrive wrapped as
 *   `{ [SIG_KEY]: SECRET_SIG, value }`, at any depth. `unwrapSecrets` removes them all (handlers see plain
 *   values) and reports which top-level properties held one, at any depth.
 * - The engine does not re-mark outputs for such a provider: `toStruct` wraps the given top-level keys
 *   again. Which keys, is decided in one place (secrets.ts), so a secret stays a secret in state, in every
 *   language's SDK, after a refresh and after `pulumi import`.
 * - Unknown values (preview) travel as the UNKNOWN sentinel string, which the handlers already understand.
 * - `undefined` never reaches a Struct (it cannot hold one).
 */
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { isPlainObject, stripUndefined, type PlainObject } from "../resources/common/values";
import { grpcModules } from "./grpc";

/** The key and value that mark a Pulumi special object, and the signature of a secret. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isSecretEnvelope(value: unknown): value is { value?: unknown } {
  return isPlainObject(value) && value[SIG_KEY] === SECRET_SIG;
}

/** Removes every secret envelope, deeply. */
function unwrapDeep(value: unknown): { value: unknown; secret: boolean } {
  if (isSecretEnvelope(value)) return { value: unwrapDeep(value.value).value, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrapDeep);
    return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
  }
  if (isPlainObject(value)) {
    let secret = false;
    const out: PlainObject = {};
    for (const [key, item] of Object.entries(value)) {
      const unwrapped = unwrapDeep(item);
      out[key] = unwrapped.value;
      secret ||= unwrapped.secret;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

/** A property map without secret envelopes, and the top-level keys that held a secret. */
export function unwrapSecrets(props: PlainObject): { value: PlainObject; secretKeys: Set<string> } {
  const value: PlainObject = {};
  const secretKeys = new Set<string>();
  for (const [key, item] of Object.entries(props)) {
    const unwrapped = unwrapDeep(item);
    value[key] = unwrapped.value;
    if (unwrapped.secret) secretKeys.add(key);
  }
  return { value, secretKeys };
}

/** A secret envelope around a value. */
export function secret(value: unknown): PlainObject {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** A request's property map (absent = empty: an import Read sends none), secrets removed. */
export function fromStruct(struct: Struct | undefined): { value: PlainObject; secretKeys: Set<string> } {
  const plain = (struct?.toJavaScript() ?? {}) as PlainObject;
  return unwrapSecrets(plain);
}

/** A Struct of `props` (undefined dropped), with the given top-level keys wrapped as secrets. */
export function toStruct(props: PlainObject, secretKeys: Iterable<string> = []): Struct {
  const out: PlainObject = { ...stripUndefined(props) };
  for (const key of secretKeys) if (out[key] !== undefined) out[key] = secret(out[key]);
  return grpcModules().Struct.fromJavaScript(out as never);
}
