import * as pulumi from "@pulumi/pulumi";
import rotatingClientCredentialProvider = require("../../provider/dynamic-providers/rotating-client-credential");
import type { CredentialRole } from "./client-credential";
import {
  definedOnly,
  secretConnection,
  urnInput,
  withSecretOutputs,
  type ConnectionArgs,
} from "./connection";

/** The inputs of a {@link RotatingClientCredential}. */
export interface RotatingClientCredentialArgs {
  /**
   * Base name, 1 to 62 characters: the two DPoD credentials are named `<name>-a` and `<name>-b`.
   * Updated in place on both.
   */
  name: pulumi.Input<string>;
  /** The role of both credentials (see ClientCredential). Changing it replaces the pair (only with `allowRecreate`). */
  role: pulumi.Input<CredentialRole>;
  /** Service ids both credentials are limited to. Changing the list replaces the pair (only with `allowRecreate`). */
  serviceIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Subscriber group ids both credentials are bound to. Changing it replaces the pair (only with `allowRecreate`). */
  subscriberGroups?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Rotation trigger: a map of names to strings, numbers or booleans, each compared as its string form.
   * When this map changes to a new, non-empty value, the next `pulumi up` rotates once.
   * The other credential becomes current with a fresh secret; the pair that was current becomes
   * `previousClientId`/`previousClientSecret` and keeps working until the next rotation. A map present
   * at create does not rotate.
   */
  rotationTriggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  /** Rotate once the current secret is older than this many days (counted from `secretCreatedAt`). */
  rotateAfterDays?: pulumi.Input<number>;
  /**
   * With `rotateAfterDays`: preview warns, naming this resource, once the previous pair stops working
   * (the next rotation by age) within this many days (default 7; 0 turns the warning off).
   */
  expiryWarningDays?: pulumi.Input<number>;
  /**
   * Grace floor, in hours (default 24; 0 turns it off): a rotation that would reset the previous pair
   * less than this long after it became previous fails preview, naming the time it is allowed from. The
   * previous pair stops working at the next rotation, so this is the least time consumers get to pick up
   * a new pair. Creating into a free slot (the first rotation, or after a credential was deleted by hand)
   * is never refused.
   */
  minRotationIntervalHours?: pulumi.Input<number>;
  /**
   * Accept replacing the pair: changing `role`, `serviceIds` or `subscriberGroups` creates two new
   * credentials and deletes both old ones. Without it, such a change fails preview, naming the field.
   */
  allowRecreate?: pulumi.Input<boolean>;
  /** Connection settings for this resource only; fields left out come from stack config, then environment. */
  connection?: pulumi.Input<ConnectionArgs>;
}

/**
 * A DPoD client credential that rotates without downtime: two DPoD credentials used in turn. Each
 * rotation gives the other credential a fresh secret and makes it current, so the previous pair keeps
 * working until the next rotation; consumers have one rotation interval to pick up the new pair.
 *
 * The client id changes at every rotation (it alternates between the two credentials): consumers take
 * `clientId` and `clientSecret` together. Both secrets are Pulumi secrets.
 */
export class RotatingClientCredential extends pulumi.dynamic.Resource {
  /** Base name. */
  declare public readonly name: pulumi.Output<string>;
  /** The role, in full form. */
  declare public readonly role: pulumi.Output<string>;
  /** Service ids, sorted. */
  declare public readonly serviceIds: pulumi.Output<string[]>;
  /** Subscriber group ids, sorted. */
  declare public readonly subscriberGroups: pulumi.Output<string[]>;
  /** The current client id: what consumers should use now. */
  declare public readonly clientId: pulumi.Output<string>;
  /** The current client secret. A Pulumi secret. */
  declare public readonly clientSecret: pulumi.Output<string>;
  /** When the current secret was made (ISO 8601); `rotateAfterDays` counts from here. */
  declare public readonly secretCreatedAt: pulumi.Output<string>;
  /**
   * With `rotateAfterDays`: when the current secret stops working if rotations come by age only (ISO
   * 8601): it becomes the previous pair at the next due rotation and is reset at the one after.
   */
  declare public readonly secretExpiresAt: pulumi.Output<string | undefined>;
  /** With `rotateAfterDays`: when the previous pair stops working, the next due rotation. */
  declare public readonly previousSecretExpiresAt: pulumi.Output<string | undefined>;
  /** The client id that was current before the last rotation; undefined before the first rotation. */
  declare public readonly previousClientId: pulumi.Output<string | undefined>;
  /** Its secret, still accepted until the next rotation. A Pulumi secret. */
  declare public readonly previousClientSecret: pulumi.Output<string | undefined>;
  /** When the previous secret was made (ISO 8601). */
  declare public readonly previousSecretCreatedAt: pulumi.Output<string | undefined>;
  /** Which of the two credentials is current: "a" or "b". */
  declare public readonly currentSlot: pulumi.Output<string>;
  /** The tenant the credentials belong to. */
  declare public readonly tenantId: pulumi.Output<string | undefined>;
  /** The rotationTriggers value last applied. */
  declare public readonly rotationTriggers: pulumi.Output<Record<string, string> | undefined>;
  /** The rotateAfterDays value in effect. */
  declare public readonly rotateAfterDays: pulumi.Output<number | undefined>;
  /** The minRotationIntervalHours value in effect (undefined: the default, 24). */
  declare public readonly minRotationIntervalHours: pulumi.Output<number | undefined>;

  constructor(name: string, args: RotatingClientCredentialArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      serviceIds: undefined,
      subscriberGroups: undefined,
      clientId: undefined,
      clientSecret: undefined,
      secretCreatedAt: undefined,
      secretExpiresAt: undefined,
      previousSecretExpiresAt: undefined,
      previousClientId: undefined,
      previousClientSecret: undefined,
      previousSecretCreatedAt: undefined,
      currentSlot: undefined,
      tenantId: undefined,
      rotationTriggers: undefined,
      rotateAfterDays: undefined,
      minRotationIntervalHours: undefined,
      ...args,
      ...definedOnly({ connection: secretConnection(args.connection) }),
      ...urnInput(name, "RotatingClientCredential", opts),
    };
    super(
      rotatingClientCredentialProvider,
      name,
      props,
      withSecretOutputs(opts, ["clientSecret", "previousClientSecret", "connection"]),
      "dpod",
      "RotatingClientCredential",
    );
  }
}
