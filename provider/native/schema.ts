/**
 * The Pulumi package schema of the native plugin, built from the zod schemas the handlers validate with:
 * each resource's input schema (inputProperties), its state schema (properties), the data functions'
 * argument schemas, and the provider configuration. Field types, required-ness and descriptions all come
 * from there, so the plugin, its docs and the generated SDKs cannot drift from validation.
 *
 * provider/native/pulumi-schema.json is this function's output, committed for SDK generation and checked by a
 * unit test against a fresh build (regenerate with `npm run generate:schema`).
 */
import { z } from "zod";
import {
  clientCredentialLookupSchema,
  clientCredentialsFilterSchema,
  currentUserArgsSchema,
  subscriberGroupLookupSchema,
  subscriberGroupsFilterSchema,
  userLookupSchema,
  usersFilterSchema,
} from "../functions/args";
import { CREDENTIAL_RESULT_FIELDS, GROUP_RESULT_FIELDS, USER_RESULT_FIELDS } from "../functions/results";
import {
  clientCredentialInputsSchema,
  clientCredentialStateSchema,
} from "../resources/client-credential/schema";
import type { ResourceKind } from "../resources/registry";
import {
  rotatingClientCredentialInputsSchema,
  rotatingClientCredentialStateSchema,
} from "../resources/rotating-client-credential/schema";
import {
  subscriberGroupInputsSchema,
  subscriberGroupStateSchema,
} from "../resources/subscriber-group/schema";
import { userInputsSchema, userStateSchema } from "../resources/user/schema";
import { providerConfigSchema, SECRET_CONFIG_KEYS } from "./provider-config";

export const PACKAGE_NAME = "dpod";

/**
 * The project's home: the repository the Go SDK's module path names (github.com/pulumi-dpod/pulumi-dpod),
 * also package.json's repository; test/unit/package-metadata.test.ts holds them equal.
 */
export const REPOSITORY_URL = "https://github.com/pulumi-dpod/pulumi-dpod";

/** A property of the Pulumi schema (the subset this package uses). */
export interface PropertySpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  $ref?: string;
  description?: string;
  secret?: boolean;
}

interface ObjectSpec {
  properties: Record<string, PropertySpec>;
  required?: string[];
}

interface ResourceSpec extends ObjectSpec {
  description: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
}

export interface PackageSpec {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  publisher: string;
  homepage: string;
  repository: string;
  config: { variables: Record<string, PropertySpec> };
  provider: {
    description: string;
    inputProperties: Record<string, PropertySpec>;
    properties: Record<string, PropertySpec>;
  };
  resources: Record<string, ResourceSpec>;
  functions: Record<
    string,
    { description: string; inputs: ObjectSpec; outputs: ObjectSpec & { description?: string } }
  >;
  types: Record<string, ObjectSpec & { type: "object"; description: string }>;
  language: Record<string, Record<string, unknown>>;
}

/** The type token of a resource kind: dpod:index:User. */
export function resourceToken(kind: ResourceKind): string {
  return `${PACKAGE_NAME}:index:${kind}`;
}

/** The kind of a type token, or undefined when the token is not one of this package's resources. */
export function kindOfToken(token: string): string | undefined {
  const prefix = `${PACKAGE_NAME}:index:`;
  return token.startsWith(prefix) ? token.slice(prefix.length) : undefined;
}

/** Fields that exist only for the TypeScript dynamic SDK or for internal bookkeeping. */
const NOT_IN_NATIVE_SCHEMA = new Set(["connection", "targetTenantId"]);

interface JsonSchema {
  /** One type, or several for a union of primitives. */
  type?: string | string[];
  description?: string;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
}

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
}

/**
 * Converts one JSON-schema property into a Pulumi schema property. A union takes its first member: the
 * provider configuration accepts typed values and their text form, and the typed one is what SDKs offer.
 */
function propertyOf(json: JsonSchema): PropertySpec {
  const source = json.anyOf?.[0] ?? json;
  const type = Array.isArray(source.type) ? source.type[0] : source.type;
  const spec: PropertySpec = {};
  switch (type) {
    case "array":
      spec.type = "array";
      spec.items = source.items === undefined ? { type: "string" } : propertyOf(source.items);
      break;
    case "object":
      spec.type = "object";
      spec.additionalProperties =
        typeof source.additionalProperties === "object"
          ? propertyOf(source.additionalProperties)
          : { type: "string" };
      break;
    case "integer":
    case "number":
    case "boolean":
    case "string":
      spec.type = type;
      break;
    default:
      throw new Error(`the plugin schema cannot express the JSON-schema type ${String(type)}`);
  }
  const description = json.description ?? source.description;
  if (description !== undefined) spec.description = description;
  return spec;
}

/** The properties (and required names) of an object schema, in declaration order. */
function objectOf(
  schema: z.ZodType,
  io: "input" | "output",
  options: { only?: readonly string[]; secret?: readonly string[] } = {},
): ObjectSpec {
  const json = jsonSchemaOf(schema, io);
  const names = Object.keys(json.properties ?? {}).filter(
    (name) => !NOT_IN_NATIVE_SCHEMA.has(name) && (options.only === undefined || options.only.includes(name)),
  );
  const properties: Record<string, PropertySpec> = {};
  for (const name of names) {
    const property = propertyOf((json.properties ?? {})[name] ?? {});
    if (options.secret?.includes(name)) property.secret = true;
    properties[name] = property;
  }
  // Output schemas of lenient state fields have defaults, so zod lists them as required: keep only those
  // that every state really has.
  const required = (json.required ?? []).filter((name) => names.includes(name));
  return required.length > 0 ? { properties, required } : { properties };
}

function resource(
  description: string,
  inputs: z.ZodType,
  state: z.ZodType,
  secrets: { inputs?: string[]; outputs?: string[] },
): ResourceSpec {
  const input = objectOf(inputs, "input", { secret: secrets.inputs ?? [] });
  const output = objectOf(state, "output", { secret: secrets.outputs ?? [] });
  const spec: ResourceSpec = {
    description,
    properties: output.properties,
    inputProperties: input.properties,
  };
  if (output.required) spec.required = output.required;
  if (input.required) spec.requiredInputs = input.required;
  return spec;
}

function resultType(description: string, state: z.ZodType, fields: readonly string[], idField?: string) {
  const object = objectOf(state, "output", { only: fields });
  const properties: Record<string, PropertySpec> =
    idField === undefined ? {} : { [idField]: { type: "string", description: "The id." } };
  Object.assign(properties, object.properties);
  const required = [...(idField === undefined ? [] : [idField]), ...(object.required ?? [])];
  return { type: "object" as const, description, properties, required };
}

const USER_RESULT = `${PACKAGE_NAME}:index:UserResult`;
const GROUP_RESULT = `${PACKAGE_NAME}:index:SubscriberGroupResult`;
const CREDENTIAL_RESULT = `${PACKAGE_NAME}:index:ClientCredentialResult`;

function ref(token: string): PropertySpec {
  return { $ref: `#/types/${token}` };
}

/** A function returning one object: its outputs are the result type's properties, inline. */
function single(description: string, args: z.ZodType, result: ObjectSpec) {
  return {
    description,
    inputs: objectOf(args, "input"),
    outputs: { properties: result.properties, required: result.required ?? [] },
  };
}

function list(description: string, args: z.ZodType, field: string, result: string, what: string) {
  return {
    description,
    inputs: objectOf(args, "input"),
    outputs: {
      properties: { [field]: { type: "array" as const, items: ref(result), description: what } },
      required: [field],
    },
  };
}

/** The whole package schema for this version of the plugin. */
export function buildPackageSchema(version: string): PackageSpec {
  const config = objectOf(providerConfigSchema, "input", { secret: [...SECRET_CONFIG_KEYS] });
  const userResult = resultType(
    "A DPoD user as the data functions return it.",
    userStateSchema,
    USER_RESULT_FIELDS,
    "id",
  );
  const groupResult = resultType(
    "A subscriber group as the data functions return it.",
    subscriberGroupStateSchema,
    GROUP_RESULT_FIELDS,
    "id",
  );
  const credentialResult = resultType(
    "A client credential as the data functions return it, never with a secret.",
    clientCredentialStateSchema,
    CREDENTIAL_RESULT_FIELDS,
  );
  return {
    name: PACKAGE_NAME,
    displayName: "Thales DPoD",
    version,
    description:
      "Users, subscriber groups and OAuth client credentials of a Thales Data Protection on Demand (DPoD) " +
      "tenant (Users and Credentials API 3.1.5).",
    keywords: ["pulumi", "dpod", "thales", "category/security", "kind/native"],
    license: "Apache-2.0",
    publisher: "The pulumi-dpod authors",
    homepage: REPOSITORY_URL,
    repository: REPOSITORY_URL,
    config: { variables: config.properties },
    provider: {
      description:
        "The DPoD connection: one provider instance per tenant or credential. Settings left out come from " +
        "the environment (DPOD_*).",
      inputProperties: config.properties,
      properties: Object.fromEntries(
        Object.entries(config.properties).filter(([, property]) => property.type === "string"),
      ),
    },
    resources: {
      [resourceToken("User")]: resource(
        "A DPoD user account (/v1/users). Refresh reads it back, so preview --refresh shows changes made " +
          "outside the program.",
        userInputsSchema,
        userStateSchema,
        { inputs: ["password"], outputs: ["temporaryPassword"] },
      ),
      [resourceToken("SubscriberGroup")]: resource(
        "A DPoD subscriber group (/v1/subscriber_groups). Both fields change in place.",
        subscriberGroupInputsSchema,
        subscriberGroupStateSchema,
        {},
      ),
      [resourceToken("ClientCredential")]: resource(
        "A DPoD OAuth client credential (/v1/credentials/clients). Its secret is a secret output that " +
          "rotates by trigger or by age; DPoD returns it only at create and reset.",
        clientCredentialInputsSchema,
        clientCredentialStateSchema,
        { outputs: ["clientSecret"] },
      ),
      [resourceToken("RotatingClientCredential")]: resource(
        "Zero-downtime rotation: two DPoD client credentials (<name>-a and <name>-b) used in turn. Each " +
          "rotation gives the other one a fresh secret and makes it current; the pair that was current " +
          "(previousClientId, previousClientSecret) keeps working until the next rotation.",
        rotatingClientCredentialInputsSchema,
        rotatingClientCredentialStateSchema,
        { outputs: ["clientSecret", "previousClientSecret"] },
      ),
    },
    functions: {
      [`${PACKAGE_NAME}:index:getUser`]: single(
        "Finds one user by id or username; fails when there is none.",
        userLookupSchema,
        userResult,
      ),
      [`${PACKAGE_NAME}:index:getUsers`]: list(
        "Lists the users of a tenant, filtered.",
        usersFilterSchema,
        "users",
        USER_RESULT,
        "The matching users, in DPoD's order.",
      ),
      [`${PACKAGE_NAME}:index:getCurrentUser`]: single(
        "The profile of the user whose access token the provider is configured with.",
        currentUserArgsSchema,
        userResult,
      ),
      [`${PACKAGE_NAME}:index:getSubscriberGroup`]: single(
        "Finds one subscriber group by id or name; fails when there is none.",
        subscriberGroupLookupSchema,
        groupResult,
      ),
      [`${PACKAGE_NAME}:index:getSubscriberGroups`]: list(
        "Lists the subscriber groups visible to the credential.",
        subscriberGroupsFilterSchema,
        "groups",
        GROUP_RESULT,
        "The matching groups, in DPoD's order.",
      ),
      [`${PACKAGE_NAME}:index:getClientCredential`]: single(
        "Finds one client credential by client id, or by name (and role). The secret is never returned.",
        clientCredentialLookupSchema,
        credentialResult,
      ),
      [`${PACKAGE_NAME}:index:getClientCredentials`]: list(
        "Lists the client credentials visible to the credential in use, without secrets.",
        clientCredentialsFilterSchema,
        "credentials",
        CREDENTIAL_RESULT,
        "The matching credentials, in DPoD's order, without secrets.",
      ),
    },
    types: { [USER_RESULT]: userResult, [GROUP_RESULT]: groupResult, [CREDENTIAL_RESULT]: credentialResult },
    language: {
      nodejs: { packageName: "@pulumi-dpod/native", packageDescription: "Thales DPoD (native plugin SDK)" },
      // respectSchemaVersion: the generated SDKs carry this schema's version (the plugin version they ask the
      // engine for) instead of a 0.0.0 placeholder. sdk/go is its own module, <importBasePath minus /dpod>.
      python: { packageName: "pulumi_dpod", pyproject: { enabled: true }, respectSchemaVersion: true },
      go: {
        importBasePath: "github.com/pulumi-dpod/pulumi-dpod/sdk/go/dpod",
        generateResourceContainerTypes: true,
        respectSchemaVersion: true,
      },
    },
  };
}
