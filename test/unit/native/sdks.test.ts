// The generated Python and Go SDKs (sdk/python, sdk/go; `npm run check:sdks` proves they are exactly what
// the schema generates) ask the engine for the plugin version this package ships, and every place that
// pins Pulumi for them names the same version as the @pulumi/pulumi the project builds and tests with, so
// the SDKs, their generator and the engine cannot drift apart one file at a time.
import { readFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..", "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const packageJson = JSON.parse(read("package.json")) as {
  version: string;
  devDependencies: Record<string, string>;
};
const pulumiVersion = packageJson.devDependencies["@pulumi/pulumi"]!;

describe("the generated SDKs", () => {
  it.each(["sdk/python/pulumi_dpod/pulumi-plugin.json", "sdk/go/dpod/pulumi-plugin.json"])(
    "%s names the dpod plugin at the package's version",
    (file) => {
      expect(JSON.parse(read(file))).toEqual({ resource: true, name: "dpod", version: packageJson.version });
    },
  );

  it("sdk/python is the pulumi_dpod project at the package's version", () => {
    const pyproject = read("sdk/python/pyproject.toml");
    expect(pyproject).toMatch(/^\s*name = "pulumi_dpod"$/m);
    expect(pyproject).toMatch(
      new RegExp(`^\\s*version = "${packageJson.version.replace(/\./g, "\\.")}"$`, "m"),
    );
  });
});

describe("Pulumi version pins for the SDKs", () => {
  it("is an exact version (the pins below compare against it)", () => {
    expect(pulumiVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    ["scripts/sdkgen/go.mod", `github.com/pulumi/pulumi/pkg/v3 v${pulumiVersion}`],
    ["scripts/sdkgen/main.go", `pulumiSDKVersion = "v${pulumiVersion}"`],
    ["sdk/go/go.mod", `github.com/pulumi/pulumi/sdk/v3 v${pulumiVersion}`],
    ["examples/go/go.mod", `github.com/pulumi/pulumi/sdk/v3 v${pulumiVersion}`],
    ["scripts/sdkgen/python-venv.sh", `PULUMI_VERSION="${pulumiVersion}"`],
  ])("%s pins the same version", (file, pin) => {
    expect(read(file)).toContain(pin);
  });
});
