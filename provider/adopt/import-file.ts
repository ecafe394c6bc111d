/**
 * Renders an adoption plan as a `pulumi import --file` document, for programs in YAML, Python or Go that
 * use the native dpod provider plugin: {"resources":[{"type","name","id"}]} (Pulumi's bulk-import file
 * format). Types are the plugin's tokens; names are the same resource names as the TypeScript program's,
 * so both describe one stack. Ids are the plugin's import ids: the DPoD id, and for a user of a child
 * tenant `<tenant id>/<user id>` (docs/native-plugin.md#importing-existing-objects). Deterministic: the
 * plan's order, two-space indentation, trailing newline.
 */
import { NATIVE_TYPE_TOKENS } from "./kinds";
import type { AdoptionPlan } from "./plan";

export interface ImportFile {
  resources: Array<{ type: string; name: string; id: string }>;
}

export function importFile(plan: AdoptionPlan): ImportFile {
  return {
    resources: [...plan.groups, ...plan.users, ...plan.credentials].map((d) => ({
      type: NATIVE_TYPE_TOKENS[d.kind],
      name: d.resourceName,
      id: d.kind === "User" && plan.usersTenantId !== undefined ? `${plan.usersTenantId}/${d.id}` : d.id,
    })),
  };
}

export function renderImportFile(plan: AdoptionPlan): string {
  return `${JSON.stringify(importFile(plan), null, 2)}\n`;
}
