// The API reference (docs/reference) is generated from the plugin schema: the committed pages must be what
// the schema renders today (as `npm run check:docs` checks), and the names they give for Python and Go must
// be the names the generated SDKs really use.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  goFunctionName,
  goName,
  pythonName,
  renderApiDocs,
  tokenName,
  type PackageSchema,
} from "../../scripts/api-docs/render";
import { expectedPages, staleReferencePages } from "../../scripts/generate-api-docs";

const root = path.resolve(__dirname, "..", "..");
const schema = JSON.parse(
  readFileSync(path.join(root, "provider", "native", "pulumi-schema.json"), "utf8"),
) as PackageSchema;
const noGuides = { resources: new Set<string>(), functions: new Set<string>() };

function sdkFile(...parts: string[]): string {
  return readFileSync(path.join(root, "sdk", ...parts), "utf8");
}

describe("the committed API reference", () => {
  it("is what the schema renders (run `npm run generate:docs` when this fails)", () => {
    expect(staleReferencePages()).toEqual([]);
  });

  it("has a page for the provider and for every resource and function of the schema", () => {
    const pages = expectedPages();
    expect(pages.has("provider.md")).toBe(true);
    for (const token of [...Object.keys(schema.resources), ...Object.keys(schema.functions)]) {
      expect(
        [...pages.values()].some((text) => text.startsWith(`# ${tokenName(token)} (\`${token}\`)`)),
      ).toBe(true);
    }
  });
});

describe("rendering", () => {
  it("follows the schema: a changed description changes the page", () => {
    const changed = structuredClone(schema);
    changed.resources["dpod:index:User"]!.description = "A changed description.";
    expect(renderApiDocs(changed, noGuides).get("user.md")).toContain("A changed description.");
    expect(renderApiDocs(changed, noGuides).get("user.md")).not.toEqual(
      renderApiDocs(schema, noGuides).get("user.md"),
    );
  });

  it("marks secret properties as secret, and only those", () => {
    const page = renderApiDocs(schema, noGuides).get("client-credential.md")!;
    expect(page).toMatch(
      /^\| `clientSecret` \| `client_secret` \| `ClientSecret` \| `string` \| no \| yes \|/m,
    );
    expect(page).toMatch(/^\| `clientId` \| `client_id` \| `ClientId` \| `string` \| yes \| no \|/m);
    const provider = renderApiDocs(schema, noGuides).get("provider.md")!;
    expect(provider).toMatch(
      /^\| `dpod:clientSecret` \| `client_secret` \| `ClientSecret` \| `string` \| yes \|/m,
    );
    expect(provider).toMatch(/^\| `dpod:apiUrl` \| `api_url` \| `ApiUrl` \| `string` \| no \|/m);
  });

  it("gives every resource the pulumi import command for its token", () => {
    const pages = renderApiDocs(schema, noGuides);
    expect(pages.get("user.md")).toContain("pulumi import dpod:index:User <resource name> <user id>");
    expect(pages.get("subscriber-group.md")).toContain(
      "pulumi import dpod:index:SubscriberGroup <resource name> <group id>",
    );
  });

  it("stops on a resource it has no import form for, naming it", () => {
    const extended = structuredClone(schema);
    extended.resources["dpod:index:Widget"] = { description: "New.", properties: {}, inputProperties: {} };
    expect(() => renderApiDocs(extended, noGuides)).toThrow(/dpod:index:Widget/);
  });
});

describe("names in each language's casing match the generated SDKs", () => {
  const resources = Object.entries(schema.resources);

  it.each(resources)("%s: Python and Go property names", (token, resource) => {
    const name = tokenName(token);
    const python = sdkFile("python", "pulumi_dpod", `${pythonName(name)}.py`);
    const go = sdkFile("go", "dpod", `${name.charAt(0).toLowerCase()}${name.slice(1)}.go`);
    expect(python).toContain(`class ${name}(pulumi.CustomResource)`);
    expect(go).toContain(`func New${name}(ctx *pulumi.Context`);
    for (const property of Object.keys(resource.properties ?? {})) {
      expect(python).toContain(`def ${pythonName(property)}(self)`);
      expect(go).toContain(`func (o ${name}Output) ${goName(property)}()`);
    }
  });

  it.each(Object.keys(schema.functions))("%s: Python and Go function names", (token) => {
    const name = tokenName(token);
    expect(sdkFile("python", "pulumi_dpod", `${pythonName(name)}.py`)).toContain(`def ${pythonName(name)}(`);
    expect(sdkFile("go", "dpod", `${name}.go`)).toContain(`func ${goFunctionName(schema, token)}(ctx`);
  });

  it("TypeScript: every resource and function the pages name is exported by the pulumi-dpod SDK", () => {
    const index = readFileSync(path.join(root, "sdk", "nodejs", "index.ts"), "utf8");
    const functions = readFileSync(path.join(root, "sdk", "nodejs", "functions.ts"), "utf8");
    for (const token of Object.keys(schema.resources)) {
      expect(index).toMatch(new RegExp(`export \\{ ${tokenName(token)}, `));
    }
    for (const token of Object.keys(schema.functions)) {
      expect(functions).toContain(`export async function ${tokenName(token)}(`);
      expect(functions).toContain(`export const ${tokenName(token)}Output = `);
    }
  });

  it("spells compound names the way the SDK generators do", () => {
    expect(pythonName("allowInsecureHttp")).toBe("allow_insecure_http");
    expect(pythonName("resetMfaTrigger")).toBe("reset_mfa_trigger");
    expect(goFunctionName(schema, "dpod:index:getUser")).toBe("LookupUser");
    expect(goFunctionName(schema, "dpod:index:getUsers")).toBe("GetUsers");
  });
});
