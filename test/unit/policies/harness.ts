/**
 * Runs the pack's policies the way @pulumi/policy does, without an engine: properties wrapped in its
 * unknown-checking proxy (so a value unknown at preview throws when read, as in a real preview), the
 * policy's `--policy-pack-config` section from getConfig, and violations collected.
 */
import type {
  Policy,
  PolicyResource,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { StackContext } from "../../../policies/stack-context";

/** What the engine sends for an input that is not known at preview. */
export const UNKNOWN_ON_THE_WIRE: string = unknownValue;

export interface Violation {
  message: string;
  urn?: string;
}

export function policyNamed<P extends Policy>(policies: Policy[], name: string): P {
  const policy = policies.find((p) => p.name === name);
  if (!policy) throw new Error(`no policy named ${name}`);
  return policy as P;
}

/** Violations of one resource policy for a resource of `type` with `props`. */
export async function validateResource(
  policy: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
  config: Record<string, unknown> = {},
  name = "it",
): Promise<string[]> {
  const messages: string[] = [];
  const validations: ResourceValidation[] = [policy.validateResource ?? []].flat();
  for (const validate of validations) {
    await validate(
      {
        type,
        props: unknownCheckingProxy(props),
        urn: `urn:pulumi:test::project::${type}::${name}`,
        name,
        opts: {
          protect: false,
          ignoreChanges: [],
          aliases: [],
          additionalSecretOutputs: [],
          customTimeouts: {},
        },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
          throw new Error(`not applicable: ${reason}`);
        },
      } as never,
      (message: string) => messages.push(message),
    );
  }
  return messages;
}

/** Violations of a stack policy over resources given as [type, name, props]. */
export async function validateStack(
  policy: StackValidationPolicy,
  resources: Array<[type: string, name: string, props: Record<string, unknown>]>,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const policyResources = resources.map(
    ([type, name, props]) =>
      ({
        type,
        name,
        props: unknownCheckingProxy(props),
        urn: `urn:pulumi:test::project::${type}::${name}`,
        dependencies: [],
        propertyDependencies: {},
      }) as unknown as PolicyResource,
  );
  await policy.validateStack(
    {
      resources: policyResources,
      stackTags: new Map(),
      getConfig: <T extends object>() => ({}) as T,
      notApplicable: (reason?: string): never => {
        throw new Error(`not applicable: ${reason}`);
      },
    },
    (message: string, urn?: string) => violations.push({ message, ...(urn ? { urn } : {}) }),
  );
  return violations;
}

/** A stack context with fixed answers. */
export function stackContext(options: {
  stack?: string;
  project?: string;
  config?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}): StackContext {
  return {
    stack: () => options.stack,
    project: () => options.project,
    dpodConfig: (name) => options.config?.[name],
    environment: () => options.env ?? {},
  };
}
