// examples/go on the real engine: the generated Go SDK (sdk/go, built against
// github.com/pulumi/pulumi/sdk/v3 v3.248.0) and the Automation API's inline mode (auto), with the native
// plugin wired by path. The runner is compiled once with `go build` (a cold build compiles the Pulumi Go SDK:
// minutes on 2 cores; later runs reuse Go's build cache). The scenario is test/helpers/inline-example.ts.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repositoryRoot } from "../../scripts/lib/engine";
import { describeInlineExample } from "../helpers/inline-example";

describeInlineExample("Go", (scratchDir) => {
  const binary = path.join(scratchDir, "dpod-example-go");
  const started = Date.now();
  execFileSync("go", ["build", "-o", binary, "."], {
    cwd: path.join(repositoryRoot, "examples", "go"),
    // CGO_ENABLED=0 as in scripts/sdkgen and the engine build, so all three share Go's build cache.
    env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly", CGO_ENABLED: "0" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  process.stderr.write(`[e2e] built examples/go in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return { executable: binary, args: [] };
});
