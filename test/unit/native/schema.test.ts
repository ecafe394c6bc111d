import { readFileSync } from "node:fs";
import { providerConfigSchema } from "../../../provider/native/provider-config";
import { buildPackageSchema, kindOfToken, resourceToken } from "../../../provider/native/schema";
import { clientCredentialInputsSchema } from "../../../provider/resources/client-credential/schema";
import { subscriberGroupInputsSchema } from "../../../provider/resources/subscriber-group/schema";
import { userInputsSchema } from "../../../provider/resources/user/schema";
import { SCHEMA_FILE, schemaText } from "../../../scripts/generate-schema";

const schema = buildPackageSchema("1.2.3");

describe("the native plugin schema", () => {
  it("is committed as generated (run `npm run generate:schema` after changing a resource's fields)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(schemaText());
  });

  it.each([
    ["User", userInputsSchema],
    ["SubscriberGroup", subscriberGroupInputsSchema],
    ["ClientCredential", clientCredentialInputsSchema],
  ] as const)("declares exactly the inputs %s validates, each described", (kind, inputs) => {
    const resource = schema.resources[resourceToken(kind)]!;
    const validated = Object.keys(inputs.shape).filter((key) => key !== "connection");
    expect(Object.keys(resource.inputProperties)).toEqual(validated);
    for (const property of Object.values(resource.inputProperties)) {
      expect(property.description?.length ?? 0).toBeGreaterThan(10);
    }
    for (const property of Object.values(resource.properties)) expect(property.description).toBeTruthy();
  });

  it("marks every secret: the password input, the secret outputs and the credential config", () => {
    const secrets = (properties: Record<string, { secret?: boolean }>) =>
      Object.entries(properties)
        .filter(([, p]) => p.secret)
        .map(([name]) => name);
    expect(secrets(schema.resources[resourceToken("User")]!.inputProperties)).toEqual(["password"]);
    expect(secrets(schema.resources[resourceToken("User")]!.properties)).toEqual(["temporaryPassword"]);
    expect(secrets(schema.resources[resourceToken("ClientCredential")]!.properties)).toEqual([
      "clientSecret",
    ]);
    expect(secrets(schema.resources[resourceToken("RotatingClientCredential")]!.properties)).toEqual([
      "clientSecret",
      "previousClientSecret",
    ]);
    expect(secrets(schema.config.variables)).toEqual(["clientSecret", "accessToken"]);
    expect(Object.keys(schema.config.variables)).toEqual(Object.keys(providerConfigSchema.shape));
  });

  it("types fields as the validation does: lists, maps, booleans and whole numbers", () => {
    const user = schema.resources[resourceToken("User")]!;
    expect(user.inputProperties.subscriberGroups).toMatchObject({ type: "array", items: { type: "string" } });
    expect(user.inputProperties.emailHints).toMatchObject({
      type: "object",
      additionalProperties: { type: "string" },
    });
    expect(user.inputProperties.allowRecreate).toMatchObject({ type: "boolean" });
    expect(user.requiredInputs).toEqual(["username", "givenName", "familyName", "accountRole"]);
    expect(schema.config.variables.maxConcurrency).toMatchObject({ type: "integer" });
    expect(schema.version).toBe("1.2.3");
  });

  it("maps type tokens to resource kinds and back", () => {
    expect(kindOfToken(resourceToken("ClientCredential"))).toBe("ClientCredential");
    expect(kindOfToken("aws:s3:Bucket")).toBeUndefined();
  });
});
