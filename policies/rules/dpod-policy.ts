/**
 * The shape every resource rule of the pack shares: which DPoD kinds it looks at, its parameters with
 * their defaults, and a check over the resource's properties that returns the violations' messages.
 * The check is plain code over the properties, so tests call it directly; the wrapper recognises the
 * resource (resource-kinds.ts), reads the parameters from `--policy-pack-config`, and reports.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { dpodKindOf, type DpodKind } from "../resource-kinds";
import { property } from "../values";

/** A DPoD resource as a rule sees it. Properties may be unknown at preview: read them through values.ts. */
export interface DpodResource {
  kind: DpodKind;
  /** The resource's name in the program. */
  name: string;
  props: Record<string, unknown>;
}

export interface DpodRuleSpec<Config extends object> {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  kinds: readonly DpodKind[];
  /** The parameters; each has a `default` equal to the one in `defaults`. */
  configSchema?: PolicyConfigSchema;
  defaults: Config;
  /** The violations' messages; empty when the resource complies (or cannot be judged before the update). */
  check(resource: DpodResource, config: Config): string[];
}

/** How a message names the resource: `ClientCredential "ci"`. */
export function describe(resource: DpodResource): string {
  return `${resource.kind} "${resource.name}"`;
}

/** The parameters in force: `--policy-pack-config` over the defaults. */
export function configWithDefaults<Config extends object>(defaults: Config, given: Partial<Config>): Config {
  const config = { ...defaults };
  for (const [key, value] of Object.entries(given) as Array<[keyof Config, Config[keyof Config]]>) {
    if (value !== undefined && value !== null) config[key] = value;
  }
  return config;
}

export interface DpodResourcePolicy<Config extends object> extends ResourceValidationPolicy {
  spec: DpodRuleSpec<Config>;
}

export function dpodResourcePolicy<Config extends object>(
  spec: DpodRuleSpec<Config>,
): DpodResourcePolicy<Config> {
  return {
    spec,
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
    validateResource: (args: ResourceValidationArgs, reportViolation) => {
      const props = args.props as Record<string, unknown>;
      const kind = dpodKindOf(args.type, () => property(props, "__provider"));
      if (kind === undefined || !spec.kinds.includes(kind)) return;
      const config = configWithDefaults(spec.defaults, args.getConfig<Partial<Config>>());
      for (const message of spec.check({ kind, name: args.name, props }, config)) reportViolation(message);
    },
  };
}
