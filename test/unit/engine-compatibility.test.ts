import { DpodConfigError } from "../../provider/config";
import { DynamicRuntime } from "../../provider/dynamic";
import { MINIMUM_PULUMI_CLI } from "../../provider/engine-compatibility";
import { LANES } from "../../scripts/lib/lanes";

describe("a Pulumi CLI too old to pass the stack config to dynamic providers", () => {
  const configured = { get: () => undefined }; // what an old engine's Configure carries: no dpod:* keys

  it("is refused with a message naming the minimum CLI version, not the settings the user did set", () => {
    const runtime = new DynamicRuntime({}, undefined, () => undefined);
    runtime.configure({ config: configured });
    expect(() => runtime.settingsFor({})).toThrow(
      new RegExp(
        `older than 3\\.139\\.0 .*needs Pulumi CLI ${MINIMUM_PULUMI_CLI.replace(/\./g, "\\.")} or later`,
      ),
    );
  });

  it("names as the minimum the oldest CLI a test lane runs on, so the claim is what is tested", () => {
    const oldest = Object.values(LANES)
      .map((lane) => lane.cli.replace(/^v/, ""))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))[0];
    expect(MINIMUM_PULUMI_CLI).toBe(oldest);
  });

  it("is not suspected when the engine set PULUMI_PROJECT: the settings' own problems are reported", () => {
    const runtime = new DynamicRuntime({ PULUMI_PROJECT: "tenant" }, undefined, () => undefined);
    runtime.configure({ config: configured });
    expect(() => runtime.settingsFor({})).toThrow(DpodConfigError);
    expect(() => runtime.settingsFor({})).toThrow(
      /dpod:apiUrl \(environment variable DPOD_API_URL\): is not set/,
    );
  });

  it("does not matter when the environment supplies the settings", () => {
    const runtime = new DynamicRuntime(
      { DPOD_API_URL: "https://dpod.example", DPOD_CLIENT_ID: "id", DPOD_CLIENT_SECRET: "secret" },
      undefined,
      () => undefined,
    );
    expect(runtime.settingsFor({}).apiUrl).toBe("https://dpod.example");
  });
});
