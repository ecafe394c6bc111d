import * as pulumi from "@pulumi/pulumi";
import clientCredentialProvider = require("../../provider/dynamic-providers/client-credential");
import {
  definedOnly,
  lookupProps,
  secretConnection,
  urnInput,
  withSecretOutputs,
  type ConnectionArgs,
  type LookupState,
} from "./connection";

/** A credential role. The short forms (`api_appowner`) are accepted and stored in their full form. */
export type CredentialRole =
  | "dpod.tenant.api_spadmin"
  | "dpod.tenant.api_appowner"
  | "dpod.tenant.api_service"
  | "api_spadmin"
  | "api_appowner"
  | "api_service";

/** The inputs of a {@link ClientCredential}. */
export interface ClientCredentialArgs {
  /** Display name, 1 to 64 characters; avoid special characters. Updated in place. */
  name: pulumi.Input<string>;
  /**
   * The role: `dpod.tenant.api_spadmin` (service-provider tenants), `dpod.tenant.api_appowner` or
   * `dpod.tenant.api_service` (tenants). Changing it replaces the credential (new client id and secret;
   * only with `allowRecreate`).
   */
  role: pulumi.Input<CredentialRole>;
  /**
   * Service ids the credential is limited to (required for `dpod.tenant.api_service`). Order does not
   * matter. Changing the list replaces the credential (only with `allowRecreate`).
   */
  serviceIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Subscriber group ids the credential is bound to. Order does not matter. Changing it replaces the
   * credential (only with `allowRecreate`).
   */
  subscriberGroups?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Rotation trigger: a map of names to strings, numbers or booleans (e.g. `{ quarter: "2026Q4" }` or
   * `{ round: 2 }`), each compared as its string form, so `2` and `"2"` are the same. When it changes to a new,
   * non-empty value, the next `pulumi up` resets the secret once: `clientSecret` gets the new secret and
   * the old one stops working at once. An unchanged map does nothing; removing it does nothing; a map
   * present at create does not rotate (create already yields a fresh secret).
   */
  rotationTriggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  /**
   * Rotate the secret once it is older than this many days (counted from `secretCreatedAt`): from then
   * on `pulumi preview` shows an update and `pulumi up` rotates, so a scheduled `pulumi up` rotates
   * without code changes.
   */
  rotateAfterDays?: pulumi.Input<number>;
  /**
   * With `rotateAfterDays`: preview warns, naming this resource, once the secret is due for rotation within
   * this many days (default 7; 0 turns the warning off). Consulted by preview only.
   */
  expiryWarningDays?: pulumi.Input<number>;
  /**
   * Brownfield adoption: when true, `pulumi up` takes over the one existing credential that has exactly
   * this name, role, serviceIds and subscriberGroups, with no write. DPoD never reveals a secret, so the
   * stack does not know it: `clientSecret` stays undefined, `secretUnknown` is true, and the secret is
   * never reset (its holders keep working) until `rotationTriggers` is set to a new value, which resets it
   * once into a known one. Several identical credentials, or same-name ones that differ, fail before any
   * change; none means an ordinary create. Consulted only at create.
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Accept replacing this credential. Changing `role`, `serviceIds` or `subscriberGroups` cannot be done
   * in place: it creates a new credential (a new client id and secret) and deletes this one, cutting off
   * every consumer of this client id. Without `allowRecreate: true`, such a change fails `pulumi preview`
   * and `pulumi up` before anything is changed, naming the field. Changing only this flag changes nothing.
   */
  allowRecreate?: pulumi.Input<boolean>;
  /**
   * Connection settings for this credential only; fields left out come from stack config, then
   * environment. Secret parts stay secret; never replaces.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

/**
 * An OAuth client credential of a DPoD tenant (Users and Credentials API: /v1/credentials/clients).
 *
 * `clientSecret` is a Pulumi secret. DPoD shows a secret only once (at create or reset), so the stack is
 * the only copy: export it from the program (it stays a secret) or hand it to a secret store.
 */
export class ClientCredential extends pulumi.dynamic.Resource {
  /** The client id (also the resource id). */
  declare public readonly clientId: pulumi.Output<string>;
  /** Display name. */
  declare public readonly name: pulumi.Output<string>;
  /** The role, in full form (`dpod.tenant.api_appowner`). */
  declare public readonly role: pulumi.Output<string>;
  /** Service ids, sorted. */
  declare public readonly serviceIds: pulumi.Output<string[]>;
  /** Subscriber group ids, sorted. */
  declare public readonly subscriberGroups: pulumi.Output<string[]>;
  /** The tenant the credential belongs to. */
  declare public readonly tenantId: pulumi.Output<string | undefined>;
  /** When the credential was created (RFC 3339). */
  declare public readonly createdAt: pulumi.Output<string | undefined>;
  /** Who created it, as DPoD reports. */
  declare public readonly createdBy: pulumi.Output<string | undefined>;
  /** The current client secret. A Pulumi secret; DPoD keeps no copy. */
  declare public readonly clientSecret: pulumi.Output<string>;
  /** When the provider obtained the current secret (ISO 8601); `rotateAfterDays` counts from here. */
  declare public readonly secretCreatedAt: pulumi.Output<string | undefined>;
  /**
   * With `rotateAfterDays`: when the secret becomes due for rotation (ISO 8601); the first `pulumi up`
   * after it resets the secret. Set at create and update.
   */
  declare public readonly secretExpiresAt: pulumi.Output<string | undefined>;
  /** true for a credential taken over with `adopt`: its secret exists but the stack does not know it. */
  declare public readonly secretUnknown: pulumi.Output<boolean | undefined>;
  /** The rotationTriggers value last applied. */
  declare public readonly rotationTriggers: pulumi.Output<Record<string, string> | undefined>;
  /** The rotateAfterDays value in effect. */
  declare public readonly rotateAfterDays: pulumi.Output<number | undefined>;

  /**
   * Reads an existing credential into the program without managing it (Pulumi's `get`), with
   * `state.connection` or else the stack config (or environment) connection. Its secret is not known:
   * DPoD never returns it.
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: Pick<LookupState, "connection">,
    opts?: pulumi.CustomResourceOptions,
  ): ClientCredential {
    return new ClientCredential(name, undefined, { ...opts, id }, state);
  }

  constructor(name: string, args: ClientCredentialArgs, opts?: pulumi.CustomResourceOptions);
  /** @internal */
  constructor(
    name: string,
    args: ClientCredentialArgs | undefined,
    opts?: pulumi.CustomResourceOptions,
    state?: Pick<LookupState, "connection">,
  );
  constructor(
    name: string,
    args: ClientCredentialArgs | undefined,
    opts?: pulumi.CustomResourceOptions,
    state?: Pick<LookupState, "connection">,
  ) {
    const props: Record<string, unknown> = {
      clientId: undefined,
      name: undefined,
      role: undefined,
      serviceIds: undefined,
      subscriberGroups: undefined,
      tenantId: undefined,
      createdAt: undefined,
      createdBy: undefined,
      clientSecret: undefined,
      secretCreatedAt: undefined,
      secretExpiresAt: undefined,
      secretUnknown: undefined,
      rotationTriggers: undefined,
      rotateAfterDays: undefined,
    };
    if (state !== undefined) Object.assign(props, lookupProps(state));
    if (args !== undefined)
      Object.assign(
        props,
        args,
        definedOnly({ connection: secretConnection(args.connection) }),
        urnInput(name, "ClientCredential", opts),
      );
    super(
      clientCredentialProvider,
      name,
      props,
      withSecretOutputs(opts, ["clientSecret", "connection"]),
      "dpod",
      "ClientCredential",
    );
  }
}
