import * as pulumi from "@pulumi/pulumi";
import userProvider = require("../../provider/dynamic-providers/user");
import {
  definedOnly,
  lookupProps,
  secretConnection,
  withSecretOutputs,
  type ConnectionArgs,
  type LookupState,
} from "./connection";

/** A DPoD account role. The short forms (`admin`) are accepted and stored in their full form. */
export type AccountRole =
  "dpod.tenant.spadmin" | "dpod.tenant.admin" | "dpod.tenant.appowner" | "spadmin" | "admin" | "appowner";

/** The inputs of a {@link User}. */
export interface UserArgs {
  /**
   * The login: the user's email address. Must be an email address. Unique in the tenant (compared
   * without regard to case). Changing it replaces the user (only with `allowRecreate`).
   */
  username: pulumi.Input<string>;
  /** First name, 1 to 50 characters. Updated in place. */
  givenName: pulumi.Input<string>;
  /** Last name, 1 to 50 characters. Updated in place. */
  familyName: pulumi.Input<string>;
  /**
   * The account role: `dpod.tenant.spadmin` (service-provider tenants), `dpod.tenant.admin` or
   * `dpod.tenant.appowner` (tenants). Changing it replaces the user (only with `allowRecreate`).
   */
  accountRole: pulumi.Input<AccountRole>;
  /** Phone number, at most 20 characters. Updated in place; leaving it out clears it. */
  phoneNumber?: pulumi.Input<string>;
  /**
   * Initial password, 8 to 100 characters. A secret, and create-only: it is sent once, when the user is
   * created, and is never stored in the stack's outputs. Changing it later does nothing; to give the user a
   * new password, change `resetPasswordTrigger`. Without it, DPoD lets the user set one by email.
   */
  password?: pulumi.Input<string>;
  /**
   * Subscriber group ids the user belongs to (at least one for `dpod.tenant.appowner`). Order does not
   * matter. DPoD cannot move users between groups, so changing the list replaces the user (only with `allowRecreate`).
   */
  subscriberGroups?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The child tenant to create the user in, for a service-provider (api_spadmin) credential. Leave it out
   * for the credential's own tenant. Changing it replaces the user (only with `allowRecreate`).
   */
  tenantId?: pulumi.Input<string>;
  /**
   * Values for DPoD's invitation email (free-form names to strings). Create-only: changing it later does
   * nothing.
   */
  emailHints?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Trigger: set it to a new value (a string, number or boolean, e.g. a date or ticket number, compared
   * as its string form) and the next `pulumi up`
   * resets the user's password once; the temporary password DPoD hands out is the secret output
   * `temporaryPassword`. An unchanged value does nothing, removing it does nothing, and a value present
   * when the user is created does not run (a new user needs no reset).
   */
  resetPasswordTrigger?: pulumi.Input<string | number | boolean>;
  /**
   * Trigger: set it to a new value and the next `pulumi up` resets the user's MFA token once, so the
   * user must register MFA again. Same rules as `resetPasswordTrigger`.
   */
  resetMfaTrigger?: pulumi.Input<string | number | boolean>;
  /**
   * Trigger: set it to a new value and the next `pulumi up` sends the verification email once. Same
   * rules as `resetPasswordTrigger`. DPoD grants this to administrators' user tokens, not (as far as is
   * known) to api_* platform credentials: give this user a `connection` with an admin's `accessToken`.
   * If DPoD refuses, the user stays in the stack and the next `up` tries again.
   */
  sendVerificationTrigger?: pulumi.Input<string | number | boolean>;
  /**
   * Brownfield adoption: when true and a user with this username already exists (in `tenantId`'s
   * tenant), `pulumi up` takes it over instead of failing with 409. Its accountRole and subscriberGroups
   * must already match the program (they cannot change in place); names and phone number are brought to
   * the program's with one update; `password` and `emailHints` are not applied. Consulted only at
   * create; add the `retainOnDelete` resource option to keep the user on destroy.
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Accept replacing this user. Changing `username`, `accountRole`, `subscriberGroups` or `tenantId`
   * cannot be done in place: it deletes the person's account and creates a new one (a new id, no
   * password, no MFA registration). Without `allowRecreate: true`, such a change fails `pulumi preview`
   * and `pulumi up` before anything is changed, naming the field; this also covers `pulumi up --refresh`
   * finding a group or role changed in the console. Changing only this flag changes nothing.
   */
  allowRecreate?: pulumi.Input<boolean>;
  /**
   * Connection settings for this user only (e.g. an api_spadmin credential for a child tenant); fields
   * left out come from stack config, then environment. Secret parts stay secret; never replaces.
   */
  connection?: pulumi.Input<ConnectionArgs>;
}

/**
 * A DPoD user account (Users and Credentials API: /v1/users).
 *
 * Refresh reads the user back, so `pulumi preview --refresh` shows changes made outside the program; a
 * user deleted outside the program leaves the stack with a warning and is created again by the next `up`.
 */
export class User extends pulumi.dynamic.Resource {
  /** The login email address. */
  declare public readonly username: pulumi.Output<string>;
  /** The email address DPoD reports (normally the username). */
  declare public readonly email: pulumi.Output<string | undefined>;
  /** First name. */
  declare public readonly givenName: pulumi.Output<string>;
  /** Last name. */
  declare public readonly familyName: pulumi.Output<string>;
  /** Phone number; undefined when none. */
  declare public readonly phoneNumber: pulumi.Output<string | undefined>;
  /** The account role, in full form (`dpod.tenant.admin`). */
  declare public readonly accountRole: pulumi.Output<string>;
  /** Subscriber group ids, sorted. */
  declare public readonly subscriberGroups: pulumi.Output<string[]>;
  /** The tenant the user belongs to. */
  declare public readonly tenantId: pulumi.Output<string | undefined>;
  /** Whether the user has verified their email address. */
  declare public readonly verified: pulumi.Output<boolean | undefined>;
  /** The account status DPoD reports. */
  declare public readonly status: pulumi.Output<string | undefined>;
  /** When the user was created (RFC 3339). */
  declare public readonly createdAt: pulumi.Output<string | undefined>;
  /**
   * The temporary password from the last `resetPasswordTrigger` run; undefined before the first one.
   * A Pulumi secret.
   */
  declare public readonly temporaryPassword: pulumi.Output<string | undefined>;
  /** The resetPasswordTrigger value last applied. */
  declare public readonly resetPasswordTrigger: pulumi.Output<string | undefined>;
  /** The resetMfaTrigger value last applied. */
  declare public readonly resetMfaTrigger: pulumi.Output<string | undefined>;
  /** The sendVerificationTrigger value last applied. */
  declare public readonly sendVerificationTrigger: pulumi.Output<string | undefined>;

  /**
   * Reads an existing user into the program without managing it (Pulumi's `get`). `state.tenantId` names
   * the child tenant the user is in, and `state.connection` the credential to read it with; without them
   * the user is read in the stack config's (or environment's) own tenant.
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: LookupState,
    opts?: pulumi.CustomResourceOptions,
  ): User {
    return new User(name, undefined, { ...opts, id }, state);
  }

  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions);
  /** @internal */
  constructor(
    name: string,
    args: UserArgs | undefined,
    opts?: pulumi.CustomResourceOptions,
    state?: LookupState,
  );
  constructor(
    name: string,
    args: UserArgs | undefined,
    opts?: pulumi.CustomResourceOptions,
    state?: LookupState,
  ) {
    const props: Record<string, unknown> = {
      username: undefined,
      email: undefined,
      givenName: undefined,
      familyName: undefined,
      phoneNumber: undefined,
      accountRole: undefined,
      subscriberGroups: undefined,
      tenantId: undefined,
      verified: undefined,
      status: undefined,
      createdAt: undefined,
      temporaryPassword: undefined,
      resetPasswordTrigger: undefined,
      resetMfaTrigger: undefined,
      sendVerificationTrigger: undefined,
    };
    if (state !== undefined) Object.assign(props, lookupProps(state));
    if (args !== undefined) {
      Object.assign(
        props,
        args,
        definedOnly({
          password: args.password === undefined ? undefined : pulumi.secret(args.password),
          connection: secretConnection(args.connection),
        }),
      );
    }
    super(
      userProvider,
      name,
      props,
      withSecretOutputs(opts, ["temporaryPassword", "connection"]),
      "dpod",
      "User",
    );
  }
}
