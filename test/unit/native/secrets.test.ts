import { buildPackageSchema } from "../../../provider/native/schema";
import { schemaSecretKeys, secretKeysFor, wrapSecrets } from "../../../provider/native/secrets";
import { SECRET_SIG, SIG_KEY } from "../../../provider/native/wire";

const schema = buildPackageSchema("1.2.3");

describe("the native plugin's secret rule", () => {
  it("takes the schema's secrets, inputs and outputs alike", () => {
    expect([...schemaSecretKeys(schema, "User")].sort()).toEqual(["password", "temporaryPassword"]);
    expect([...schemaSecretKeys(schema, "ClientCredential")]).toEqual(["clientSecret"]);
    expect([...schemaSecretKeys(schema, "SubscriberGroup")]).toEqual([]);
  });

  it("adds every key any source of the call received as a secret", () => {
    expect([...secretKeysFor(schema, "SubscriberGroup", ["description"], new Set(["name"]))].sort()).toEqual([
      "description",
      "name",
    ]);
  });

  it("wraps those keys that are present, and nothing else", () => {
    const struct = wrapSecrets(
      schema,
      "ClientCredential",
      { name: "ci", clientSecret: "s3cr3t", rotationTriggers: { round: "1" } },
      ["rotationTriggers", "phoneNumber"],
    );
    expect(struct.toJavaScript()).toEqual({
      name: "ci",
      clientSecret: { [SIG_KEY]: SECRET_SIG, value: "s3cr3t" },
      rotationTriggers: { [SIG_KEY]: SECRET_SIG, value: { round: "1" } },
    });
  });
});
