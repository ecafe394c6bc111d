// The release rules (scripts/lib/release.ts): where the version comes from, what it may not be, how it is
// written into packed manifests and the Python SDK, and when an artifact already built may stay.
import {
  artifactDecision,
  pythonVersion,
  releaseVersion,
  stampManifest,
  stampPluginJson,
  stampPyproject,
} from "../../scripts/lib/release";

describe("the release version", () => {
  const base = { headTags: [] as string[], developmentVersion: "0.1.0" };

  it("comes from --version, or from a vX.Y.Z tag on HEAD", () => {
    expect(releaseVersion({ ...base, option: "0.2.0" })).toBe("0.2.0");
    expect(releaseVersion({ ...base, headTags: ["deployed", "v0.3.0-rc.1"] })).toBe("0.3.0-rc.1");
    expect(releaseVersion({ ...base, option: "0.3.0", headTags: ["v0.3.0"] })).toBe("0.3.0");
  });

  it("is required", () => {
    expect(() => releaseVersion({ ...base, headTags: ["deployed"] })).toThrow(
      /no release version: pass --version/,
    );
  });

  it("is never the development version every checkout build carries", () => {
    expect(() => releaseVersion({ ...base, option: "0.1.0" })).toThrow(/0\.1\.0 is the development version/);
    expect(() => releaseVersion({ ...base, headTags: ["v0.1.0"] })).toThrow(/development version/);
  });

  it("refuses disagreeing or several sources", () => {
    expect(() => releaseVersion({ ...base, option: "0.2.0", headTags: ["v0.3.0"] })).toThrow(
      "--version 0.2.0 disagrees with the tag v0.3.0 on HEAD",
    );
    expect(() => releaseVersion({ ...base, headTags: ["v0.2.0", "v0.3.0"] })).toThrow(/several version tags/);
  });

  it.each(["v0.2.0", "0.2", "0.2.0+build.5", "01.2.0", "0.2.0-"])(
    "refuses %s, not a plain semantic version",
    (v) => {
      expect(() => releaseVersion({ ...base, option: v })).toThrow(/not a semantic version/);
    },
  );
});

describe("the Python version", () => {
  it.each([
    ["0.2.0", "0.2.0"],
    ["1.0.0-alpha.1", "1.0.0a1"],
    ["1.0.0-beta.2", "1.0.0b2"],
    ["1.0.0-rc.3", "1.0.0rc3"],
    ["1.0.0-dev.4", "1.0.0.dev4"],
  ])("of %s is %s, which the SDK maps back", (semver, pep440) => {
    expect(pythonVersion(semver)).toBe(pep440);
  });

  it("is refused for pre-releases the SDK cannot map back", () => {
    expect(() => pythonVersion("1.0.0-preview")).toThrow(/no Python \(PEP 440\) form/);
  });
});

describe("stamping", () => {
  it("sets the manifest's version and pins dependencies on packages of the same release", () => {
    const manifest = {
      name: "pulumi-dpod",
      version: "0.1.0",
      dependencies: { zod: "^4.6.7" },
      peerDependencies: { "@pulumi/pulumi": ">=3.216.0 <4" },
      devDependencies: { "dpod-emulator": "0.1.0", jest: "^30" },
      files: ["dist"],
    };
    expect(stampManifest(manifest, "0.2.0", ["pulumi-dpod", "dpod-emulator"])).toEqual({
      ...manifest,
      version: "0.2.0",
      devDependencies: { "dpod-emulator": "0.2.0", jest: "^30" },
    });
    expect(manifest.version).toBe("0.1.0");
  });

  it("writes the PEP 440 version into pyproject.toml and the semantic one into pulumi-plugin.json", () => {
    const pyproject = '[project]\n  name = "pulumi_dpod"\n  version = "0.1.0"\n  readme = "README.md"\n';
    expect(stampPyproject(pyproject, "0.2.0-rc.1")).toBe(pyproject.replace('"0.1.0"', '"0.2.0rc1"'));
    expect(() => stampPyproject("[project]\n", "0.2.0")).toThrow(/no `version = "..."` line/);
    expect(
      JSON.parse(stampPluginJson('{"resource": true, "name": "dpod", "version": "0.1.0"}', "0.2.0-rc.1")),
    ).toEqual({
      resource: true,
      name: "dpod",
      version: "0.2.0-rc.1",
    });
  });
});

describe("an artifact already built", () => {
  it("is written when absent, kept when identical, and a conflict when different", () => {
    const built = Buffer.from("tarball bytes");
    expect(artifactDecision(undefined, built)).toBe("write");
    expect(artifactDecision(Buffer.from("tarball bytes"), built)).toBe("unchanged");
    expect(artifactDecision(Buffer.from("other bytes"), built)).toBe("conflict");
  });
});
