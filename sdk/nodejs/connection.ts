import * as pulumi from "@pulumi/pulumi";
import { URN_KEY } from "../../provider/dynamic-providers/urn";

/**
 * Where and as whom to reach DPoD, for one resource or one function call. Every field is optional: a
 * field left out comes from the stack config (`dpod:apiUrl`, `dpod:tokenUrl`, `dpod:clientId`,
 * `dpod:clientSecret`, `dpod:accessToken`, `dpod:allowInsecureHttp`), then from the environment
 * (`DPOD_API_URL`, `DPOD_TOKEN_URL`, `DPOD_CLIENT_ID`, `DPOD_CLIENT_SECRET`, `DPOD_ACCESS_TOKEN`,
 * `DPOD_ALLOW_INSECURE_HTTP`). The credential (clientId, clientSecret, accessToken) is taken as a unit:
 * a connection that gives any part of one uses only its own, never a client id or secret from elsewhere.
 *
 * Use it when a program needs several credentials, e.g. an api_spadmin credential for the users of a child
 * tenant and that tenant's api_appowner credential for its groups and credentials. On a resource, the
 * connection is kept in the stack (encrypted, as a secret) because refresh and destroy need it; changing
 * it never replaces the resource.
 */
export interface ConnectionArgs {
  /** API base URL, e.g. `https://thales.eu.market.dpondemand.io`. */
  apiUrl?: pulumi.Input<string>;
  /** OAuth token URL, e.g. `https://access.dpondemand.io/oauth/v1/token`. */
  tokenUrl?: pulumi.Input<string>;
  /** Client id of the DPoD platform credential to act as. */
  clientId?: pulumi.Input<string>;
  /** Its client secret. Always treated as a Pulumi secret. */
  clientSecret?: pulumi.Input<string>;
  /** A user's bearer token, for getCurrentUser and the account functions. Always treated as a Pulumi secret. */
  accessToken?: pulumi.Input<string>;
  /** Allow plain http:// to a host other than loopback. Only for test servers, never for real tenants. */
  allowInsecureHttp?: pulumi.Input<boolean>;
}

/** The plain form of {@link ConnectionArgs}, for the plain (non-Output) functions. */
export interface Connection {
  apiUrl?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
  allowInsecureHttp?: boolean;
}

/** Marks the secret parts of a connection input secret before it reaches the engine. */
export function secretConnection(
  connection: pulumi.Input<ConnectionArgs> | undefined,
): pulumi.Input<ConnectionArgs> | undefined {
  if (connection === undefined) return undefined;
  if (pulumi.Output.isInstance(connection) || connection instanceof Promise) {
    // Not a plain object: the parts cannot be told apart before it resolves, so all of it is secret.
    return pulumi.secret(connection);
  }
  const plain = connection as ConnectionArgs;
  return {
    ...plain,
    clientSecret: plain.clientSecret === undefined ? undefined : pulumi.secret(plain.clientSecret),
    accessToken: plain.accessToken === undefined ? undefined : pulumi.secret(plain.accessToken),
  };
}

/**
 * The entries of `values` that are not undefined. Every property a resource registers costs the program
 * process a few promises with captured stack traces in Pulumi's SDK, so inputs the program left out are not
 * registered at all (an undefined input never reaches the provider either way).
 */
export function definedOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** Appends output names to a resource's additionalSecretOutputs without dropping the caller's. */
export function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  names: readonly string[],
): pulumi.CustomResourceOptions {
  const existing = opts?.additionalSecretOutputs ?? [];
  return { ...opts, additionalSecretOutputs: [...new Set([...existing, ...names])] };
}

/** What a resource's `get` may be told so that refresh can find the object. */
export interface LookupState {
  /** The credential to read the object with; fields left out come from stack config, then environment. */
  connection?: pulumi.Input<ConnectionArgs>;
  /** User only: the child tenant the user is in (for a service-provider credential). */
  tenantId?: pulumi.Input<string>;
}

/** The state properties `get` hands to the provider's read: names as the stored state uses them. */
export function lookupProps(state: LookupState): Record<string, unknown> {
  return definedOnly({
    connection: secretConnection(state.connection),
    targetTenantId: state.tenantId,
  });
}

/**
 * The resource's URN, computed the way the engine does (stack, project, parent types, type, name), as an
 * input under URN_KEY: the engine gives dynamic providers no URN, and a credential's create derives its
 * temporary name from it (provider/resources/client-credential/temporary-name.ts).
 */
export function urnInput(
  name: string,
  type: "ClientCredential" | "RotatingClientCredential",
  opts: pulumi.CustomResourceOptions | undefined,
): Record<string, pulumi.Output<string>> {
  return { [URN_KEY]: pulumi.createUrn(name, `pulumi-nodejs:dynamic/dpod:${type}`, opts?.parent) };
}
