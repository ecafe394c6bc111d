import * as pulumi from "@pulumi/pulumi";
import { secretConnection, withSecretOutputs } from "../../../sdk/nodejs/connection";

const registered: pulumi.runtime.MockResourceArgs[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args);
      return { id: `${args.name}-id`, state: { ...args.inputs } };
    },
    call() {
      return {};
    },
  },
  "project",
  "stack",
  false,
);

// Record the additionalSecretOutputs each registration asks for (mocks do not pass them to newResource).
const secretOutputs = new Map<string, string[]>();
const settings = require("@pulumi/pulumi/runtime/settings");
const monitor = settings.getMonitor();
const register = monitor.registerResource.bind(monitor);
monitor.registerResource = (
  req: { getName(): string; getAdditionalsecretoutputsList(): string[] },
  ...rest: unknown[]
) => {
  secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
  return register(req, ...rest);
};

// Imported after setMocks, as programs would be run.
const dpod = require("../../../sdk/nodejs") as typeof import("../../../sdk/nodejs");

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

describe("SDK resource classes", () => {
  beforeEach(() => registered.splice(0));

  it("register readable type tokens and carry a small serialized provider", async () => {
    const group = new dpod.SubscriberGroup("ops", { name: "ops" });
    const user = new dpod.User("alice", {
      username: "alice@example.com",
      givenName: "Alice",
      familyName: "Doe",
      accountRole: "dpod.tenant.appowner",
      subscriberGroups: [group.id],
    });
    const credential = new dpod.ClientCredential("ci", { name: "ci", role: "dpod.tenant.api_appowner" });
    await Promise.all([outputValue(group.id), outputValue(user.id), outputValue(credential.id)]);
    expect(registered.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/dpod:ClientCredential",
      "pulumi-nodejs:dynamic/dpod:SubscriberGroup",
      "pulumi-nodejs:dynamic/dpod:User",
    ]);
    for (const r of registered) {
      expect(typeof r.inputs.__provider).toBe("string");
      expect(r.inputs.__provider.length).toBeLessThan(4096);
    }
    expect(await outputValue(user.subscriberGroups)).toEqual(["ops-id"]);
    expect(secretOutputs.get("ci")).toEqual(["clientSecret", "connection"]);
    expect(secretOutputs.get("alice")).toEqual(["temporaryPassword", "connection"]);
    expect(secretOutputs.get("ops")).toEqual(["connection"]);
  });

  it("marks the password input secret", async () => {
    const user = new dpod.User("bob", {
      username: "bob@example.com",
      givenName: "Bob",
      familyName: "Doe",
      accountRole: "dpod.tenant.admin",
      password: "a-secret-password",
    });
    const password = (user as unknown as { password: pulumi.Output<string> }).password;
    expect(await isSecret(password)).toBe(true);
  });
});

describe("SDK credential classes", () => {
  it("pass their URN as the engine computes it (with parents) for the provider's create proof", async () => {
    const parent = new pulumi.ComponentResource("acme:index:Team", "team");
    const credential = new dpod.ClientCredential("ci", { name: "ci", role: "api_appowner" }, { parent });
    const pair = new dpod.RotatingClientCredential("deployer", { name: "deployer", role: "api_appowner" });
    const [ciUrn, pairUrn] = await Promise.all([outputValue(credential.urn), outputValue(pair.urn)]);
    const inputsOf = (name: string) => registered.find((r) => r.name === name)?.inputs;
    expect(ciUrn).toBe(
      "urn:pulumi:stack::project::acme:index:Team$pulumi-nodejs:dynamic/dpod:ClientCredential::ci",
    );
    expect(inputsOf("ci")?.__urn).toBe(ciUrn);
    expect(inputsOf("deployer")?.__urn).toBe(pairUrn);
  });
});

describe("SDK helpers", () => {
  it("registers no property for a password or connection the program left out", async () => {
    const bare = new dpod.User("bare", {
      username: "bare@example.com",
      givenName: "Bare",
      familyName: "Doe",
      accountRole: "dpod.tenant.admin",
    });
    const full = new dpod.User("full", {
      username: "full@example.com",
      givenName: "Full",
      familyName: "Doe",
      accountRole: "dpod.tenant.admin",
      password: "a-long-password",
      connection: { clientId: "sp", clientSecret: "sp-secret" },
    });
    const group = new dpod.SubscriberGroup("bare-group", { name: "bare-group" });
    const credential = new dpod.ClientCredential("bare-ci", {
      name: "bare-ci",
      role: "dpod.tenant.api_appowner",
    });
    const pair = new dpod.RotatingClientCredential("bare-pair", {
      name: "bare-pair",
      role: "dpod.tenant.api_appowner",
    });
    await Promise.all([bare, full, group, credential, pair].map((resource) => outputValue(resource.id)));
    // Pulumi's SDK pays promises and stack traces for every registered property, defined or not.
    expect(Object.keys(bare)).not.toContain("password");
    for (const resource of [bare, group, credential, pair])
      expect(Object.keys(resource)).not.toContain("connection");
    expect(Object.keys(full)).toEqual(expect.arrayContaining(["password", "connection", "email", "status"]));
  });

  it("marks the secret parts of a plain connection secret", async () => {
    const wrapped = secretConnection({
      apiUrl: "https://x.example",
      clientId: "id",
      clientSecret: "s",
    }) as Record<string, unknown>;
    expect(wrapped.apiUrl).toBe("https://x.example");
    expect(wrapped.clientId).toBe("id");
    expect(await isSecret(wrapped.clientSecret as pulumi.Output<string>)).toBe(true);
    expect(wrapped.accessToken).toBeUndefined();
  });

  it("marks all of a connection secret when it is an Output", async () => {
    const wrapped = secretConnection(pulumi.output({ clientSecret: "s" }));
    expect(await isSecret(wrapped as pulumi.Output<unknown>)).toBe(true);
  });

  it("merges additionalSecretOutputs with the caller's", () => {
    expect(withSecretOutputs({ additionalSecretOutputs: ["name"], protect: true }, ["clientSecret"])).toEqual(
      {
        additionalSecretOutputs: ["name", "clientSecret"],
        protect: true,
      },
    );
    expect(withSecretOutputs(undefined, ["temporaryPassword"])).toEqual({
      additionalSecretOutputs: ["temporaryPassword"],
    });
  });
});

describe("SDK get", () => {
  it("reads by id with the lookup state the provider's read understands", async () => {
    registered.splice(0);
    const user = dpod.User.get("existing", "user-id", {
      tenantId: "child-tenant",
      connection: { clientId: "sp", clientSecret: "sp-secret" },
    });
    const group = dpod.SubscriberGroup.get("existing-group", "group-id");
    expect(await outputValue(user.id)).toBe("user-id");
    expect(await outputValue(group.id)).toBe("group-id");
    const read = registered.find((r) => r.name === "existing");
    expect(read).toMatchObject({ type: "pulumi-nodejs:dynamic/dpod:User", id: "user-id" });
    expect(read?.inputs.targetTenantId).toBe("child-tenant");
    // The connection arrives as a secret (the secret envelope around its value).
    expect(read?.inputs.connection).toMatchObject({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: { clientId: "sp", clientSecret: "sp-secret" },
    });
  });
});

describe("SDK RotatingClientCredential", () => {
  it("registers its type and keeps both secrets and the connection secret", async () => {
    registered.splice(0);
    const pair = new dpod.RotatingClientCredential("deployer", {
      name: "deployer",
      role: "dpod.tenant.api_appowner",
      connection: { clientSecret: "s" },
    });
    await outputValue(pair.id);
    expect(registered.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/dpod:RotatingClientCredential"]);
    expect(secretOutputs.get("deployer")).toEqual(["clientSecret", "previousClientSecret", "connection"]);
  });
});
