/**
 * What the pack knows of the stack it runs for: its name and project, and the DPoD stack config.
 *
 * The engine hands these to a Node.js policy pack through its environment when it starts the pack for a
 * stack (PULUMI_NODEJS_STACK, PULUMI_NODEJS_PROJECT and PULUMI_CONFIG, read here through @pulumi/pulumi);
 * they are absent when the pack runs outside a stack. Tests pass their own context.
 */
import * as pulumi from "@pulumi/pulumi";

export interface StackContext {
  /** The stack name, or undefined when the engine did not say. */
  stack(): string | undefined;
  /** The project name, or undefined when the engine did not say. */
  project(): string | undefined;
  /** A `dpod:` stack config value (e.g. "adoptIdentical"), or undefined when not set. */
  dpodConfig(name: string): string | undefined;
  /** The environment the CLI, and so the providers, run with. */
  environment(): NodeJS.ProcessEnv;
}

function nonEmpty(read: () => string | undefined): string | undefined {
  try {
    const value = read();
    return value === undefined || value === "" ? undefined : value;
  } catch {
    return undefined; // outside a stack the SDK has no stack to report
  }
}

/** The context of the stack the engine runs the pack for. */
export const engineStackContext: StackContext = {
  stack: () => nonEmpty(() => pulumi.getStack()),
  project: () => nonEmpty(() => pulumi.getProject()),
  dpodConfig: (name) => nonEmpty(() => new pulumi.Config("dpod").get(name)),
  environment: () => process.env,
};
