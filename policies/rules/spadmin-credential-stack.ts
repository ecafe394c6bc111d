import type { StackContext } from "../stack-context";
import { property } from "../values";
import { describe, dpodResourcePolicy } from "./dpod-policy";
import { fullRole, SERVICE_PROVIDER_CREDENTIAL_ROLE } from "./roles";

export interface SpadminCredentialStackConfig {
  serviceProviderStacks: string[];
}

/** True when `entry` ("stack", "project/stack" or "org/project/stack") names the current stack. */
function namesStack(entry: string, stack: string, project: string | undefined): boolean {
  const parts = entry.trim().split("/");
  if (parts.length === 1) return parts[0] === stack;
  const [entryProject, entryStack] = parts.slice(-2);
  return entryStack === stack && entryProject === project;
}

/**
 * A service-provider administrator credential (dpod.tenant.api_spadmin) can act on every child tenant.
 * It belongs only in the stacks meant to hold one, listed in serviceProviderStacks.
 */
export function spadminCredentialStack(context: StackContext) {
  return dpodResourcePolicy<SpadminCredentialStackConfig>({
    name: "dpod-spadmin-credential-stack",
    description:
      "A dpod.tenant.api_spadmin credential is declared only in a stack listed in serviceProviderStacks.",
    enforcementLevel: "advisory",
    kinds: ["ClientCredential", "RotatingClientCredential"],
    configSchema: {
      properties: {
        serviceProviderStacks: {
          type: "array",
          items: { type: "string", minLength: 1 },
          default: [],
          description:
            'Stacks allowed to hold api_spadmin credentials: "stack", "project/stack" or "org/project/stack".',
        },
      },
    },
    defaults: { serviceProviderStacks: [] },
    check(resource, { serviceProviderStacks }) {
      const role = property(resource.props, "role");
      if (typeof role !== "string" || fullRole(role) !== SERVICE_PROVIDER_CREDENTIAL_ROLE) return [];
      const stack = context.stack();
      if (
        stack !== undefined &&
        serviceProviderStacks.some((entry) => namesStack(entry, stack, context.project()))
      ) {
        return [];
      }
      return [
        `${describe(resource)} is a service-provider administrator credential (api_spadmin) in stack ` +
          `"${stack ?? "unknown"}", which is not listed in serviceProviderStacks.`,
      ];
    },
  });
}
