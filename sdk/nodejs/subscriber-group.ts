import * as pulumi from "@pulumi/pulumi";
import subscriberGroupProvider = require("../../provider/dynamic-providers/subscriber-group");
import {
  definedOnly,
  lookupProps,
  secretConnection,
  withSecretOutputs,
  type ConnectionArgs,
  type LookupState,
} from "./connection";

/** The inputs of a {@link SubscriberGroup}. */
export interface SubscriberGroupArgs {
  /** The group name, 1 to 64 characters, unique in the tenant; avoid special characters. Updated in place. */
  name: pulumi.Input<string>;
  /** A description, at most 255 characters. Updated in place; leaving it out clears it. */
  description?: pulumi.Input<string>;
  /**
   * Brownfield adoption: when true and a group of this name already exists, `pulumi up` takes it over
   * (bringing its description to the program's with one update) instead of failing with 409. Consulted
   * only at create; changing it later does nothing. The group is then managed like any other: add the
   * `retainOnDelete` resource option to keep it on destroy.
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Connection settings for this group only (e.g. a child tenant's api_appowner credential); fields left
   * out come from stack config, then environment. Secret parts stay secret; never replaces.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

/**
 * A DPoD subscriber group: a set of application owners in a tenant (Users and Credentials API:
 * /v1/subscriber_groups). Nothing about it forces a replacement; name and description change in place.
 */
export class SubscriberGroup extends pulumi.dynamic.Resource {
  /** The group name. */
  declare public readonly name: pulumi.Output<string>;
  /** The description; undefined when none. */
  declare public readonly description: pulumi.Output<string | undefined>;
  /** The tenant the group belongs to. */
  declare public readonly tenantId: pulumi.Output<string | undefined>;
  /** When the group was created (RFC 3339). */
  declare public readonly createdAt: pulumi.Output<string | undefined>;

  /**
   * Reads an existing group into the program without managing it (Pulumi's `get`), with
   * `state.connection` or else the stack config (or environment) connection.
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: Pick<LookupState, "connection">,
    opts?: pulumi.CustomResourceOptions,
  ): SubscriberGroup {
    return new SubscriberGroup(name, undefined, { ...opts, id }, state);
  }

  constructor(name: string, args: SubscriberGroupArgs, opts?: pulumi.CustomResourceOptions);
  /** @internal */
  constructor(
    name: string,
    args: SubscriberGroupArgs | undefined,
    opts?: pulumi.CustomResourceOptions,
    state?: Pick<LookupState, "connection">,
  );
  constructor(
    name: string,
    args: SubscriberGroupArgs | undefined,
    opts?: pulumi.CustomResourceOptions,
    state?: Pick<LookupState, "connection">,
  ) {
    const props: Record<string, unknown> = {
      name: undefined,
      description: undefined,
      tenantId: undefined,
      createdAt: undefined,
    };
    if (state !== undefined) Object.assign(props, lookupProps(state));
    if (args !== undefined)
      Object.assign(props, args, definedOnly({ connection: secretConnection(args.connection) }));
    super(
      subscriberGroupProvider,
      name,
      props,
      withSecretOutputs(opts, ["connection"]),
      "dpod",
      "SubscriberGroup",
    );
  }
}
