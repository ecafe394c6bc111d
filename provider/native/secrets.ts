/**
 * The native plugin's one rule for which properties leave it as secrets. The plugin answers Configure with
 * acceptSecrets, and the engine then copies no secretness from inputs to outputs: what the plugin does not
 * wrap is stored in plain text. So every property map the plugin returns (Check's inputs, Create's and
 * Update's outputs and their previews, Read's outputs and inputs, a partial state) goes through
 * `wrapSecrets`.
 *
 * Contract: a top-level property is sent as a secret when
 * - the package schema declares it secret, as an input or as an output, or
 * - the call received it as a secret anywhere inside its value: the program's inputs, and for Update and
 *   Read the recorded outputs and inputs too (secretness, once given, is not dropped by a later call).
 * A secret anywhere inside a value (one entry of rotationTriggers) makes the whole top-level value secret.
 */
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PlainObject } from "../resources/common/values";
import type { ResourceKind } from "../resources/registry";
import { resourceToken, type PackageSpec } from "./schema";
import { toStruct } from "./wire";

/** The properties of `kind` the schema declares secret, as inputs or as outputs. */
export function schemaSecretKeys(schema: PackageSpec, kind: ResourceKind): Set<string> {
  const resource = schema.resources[resourceToken(kind)];
  const keys = new Set<string>();
  for (const properties of [resource?.inputProperties ?? {}, resource?.properties ?? {}])
    for (const [name, property] of Object.entries(properties)) if (property.secret === true) keys.add(name);
  return keys;
}

/** Every property of `kind` to send wrapped, given the keys the call received as secrets. */
export function secretKeysFor(
  schema: PackageSpec,
  kind: ResourceKind,
  ...received: Iterable<string>[]
): Set<string> {
  const keys = schemaSecretKeys(schema, kind);
  for (const source of received) for (const key of source) keys.add(key);
  return keys;
}

/** `props` as a Struct with the rule's secrets wrapped: the only way resource properties leave the plugin. */
export function wrapSecrets(
  schema: PackageSpec,
  kind: ResourceKind,
  props: PlainObject,
  ...received: Iterable<string>[]
): Struct {
  return toStruct(props, secretKeysFor(schema, kind, ...received));
}
