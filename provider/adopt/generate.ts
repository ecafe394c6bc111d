/**
 * The adopt command's work, free of process concerns: read the tenant, plan, render. Takes ready clients
 * so tests can pass fakes; the command (command.ts) builds them from the connection settings.
 */
import { renderImportFile } from "./import-file";
import { planAdoption, type AdoptionPlan } from "./plan";
import type { PreviousNames } from "./previous-names";
import { renderProgram } from "./program";
import { nameSelected, type Selection } from "./selection";
import { readTenant, type TenantSources } from "./tenant";

export interface GenerateOptions {
  selection: Selection;
  /** Declare users in this child tenant (their tenantId), read with `sources.users`. */
  usersTenantId?: string;
  /** Users are managed with their own connection (the program reads it from its config). */
  usersConnection: boolean;
  retainOnDelete: boolean;
  /** Resource names of a previous run to keep (from its import file). */
  previousNames?: PreviousNames;
}

export interface Generated {
  plan: AdoptionPlan;
  /** The TypeScript program (index.ts). */
  program: string;
  /** The `pulumi import --file` document. */
  importFile: string;
}

export async function generateAdoption(sources: TenantSources, options: GenerateOptions): Promise<Generated> {
  const tenant = await readTenant(
    { tenant: sources.tenant, users: { client: sources.users.client, tenantId: options.usersTenantId } },
    options.selection.kinds,
    (name) => nameSelected(options.selection, name),
  );
  const plan = planAdoption(tenant, {
    selection: options.selection,
    usersTenantId: options.usersTenantId,
    usersConnection: options.usersConnection,
    previousNames: options.previousNames,
  });
  return {
    plan,
    program: renderProgram(plan, { retainOnDelete: options.retainOnDelete }),
    importFile: renderImportFile(plan),
  };
}
