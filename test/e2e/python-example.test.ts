// examples/python on the real engine: the generated Python SDK (sdk/python, installed with pip beside
// pulumi==3.248.0 from the package index by scripts/sdkgen/python-venv.sh) and pulumi.automation's inline
// mode, with the native plugin wired by path. The scenario is test/helpers/inline-example.ts.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repositoryRoot } from "../../scripts/lib/engine";
import { describeInlineExample } from "../helpers/inline-example";

describeInlineExample("Python", () => {
  const python = execFileSync("bash", [path.join(repositoryRoot, "scripts", "sdkgen", "python-venv.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  return {
    executable: python,
    // -B: no __pycache__ written into the example's directory.
    args: ["-B", path.join(repositoryRoot, "examples", "python", "main.py")],
  };
});
