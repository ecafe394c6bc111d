/**
 * The properties pulumi-dpod's SDK classes register with Pulumi, read off real instances built under
 * Pulumi's mocks (no engine involved). Pulumi's SDK pays a fixed cost in the program process for every
 * registered property, defined or not; the engine-floor benchmark's `--floor-outputs` option gives its
 * no-op resources these same names, to show how much of a difference is that cost.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SubscriberGroupArgs, UserArgs } from "../../sdk/nodejs";

export interface RegisteredProperties {
  User: string[];
  SubscriberGroup: string[];
}

/**
 * The names each class registers for these inputs (the inputs a program leaves out are not registered),
 * besides `urn` and `id`, which every resource has. Installs Pulumi mocks in this process: call it only
 * where no real Pulumi program runs.
 */
export async function registeredProperties(
  userArgs: Record<string, unknown>,
  groupArgs: Record<string, unknown>,
): Promise<RegisteredProperties> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    "probe",
    "probe",
    true,
  );
  // Loaded only after the mocks are in place, like a program under test.
  const sdk = await import("../../sdk/nodejs");
  const user = new sdk.User("probe-user", userArgs as unknown as UserArgs);
  const group = new sdk.SubscriberGroup("probe-group", groupArgs as unknown as SubscriberGroupArgs);
  // Every resource has these; the floor's resources register them too.
  const common = new Set(["urn", "id", "__provider"]);
  const names = (resource: object) =>
    Object.entries(resource)
      .filter(([name, value]) => !common.has(name) && pulumi.Output.isInstance(value))
      .map(([name]) => name)
      .sort();
  // Wait for the mocked registrations to finish, or Pulumi reports their promises as leaked at exit.
  await new Promise((resolve) => pulumi.all([user.id, group.id]).apply(resolve));
  return { User: names(user), SubscriberGroup: names(group) };
}
