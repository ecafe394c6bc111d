/**
 * The rules of a release, kept apart from the script that runs them (scripts/release.ts) so unit tests hold
 * them: which version a release gets, how that version is written into each package's manifest and into
 * the Python SDK, and when an existing artifact may stay.
 *
 * Contract: a release has its own version, given with --version or by a `vX.Y.Z` tag on HEAD; it is never
 * the development version every checkout build carries (package.json's), so a released tarball cannot be
 * confused with, or replace, a tarball someone built from a checkout. A version is released once: an
 * artifact already in the output directory is kept when it is byte-identical to the new build and is never
 * overwritten when it differs, because lockfiles record each tarball's hash.
 */

/** Semantic Versioning 2.0.0, without build metadata (npm drops it, so two builds could share a name). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;

export interface VersionSources {
  /** The --version option, if given. */
  option?: string;
  /** The tags pointing at HEAD (`git tag --points-at HEAD`). */
  headTags: readonly string[];
  /** The version in the committed package.json: what every checkout build carries. */
  developmentVersion: string;
}

/** The release version, or an error that says what to do. */
export function releaseVersion(sources: VersionSources): string {
  const tagged = [...new Set(sources.headTags.filter((tag) => /^v\d/.test(tag)).map((tag) => tag.slice(1)))];
  if (tagged.length > 1) {
    throw new Error(
      `HEAD has several version tags (${tagged.map((v) => `v${v}`).join(", ")}): pass --version`,
    );
  }
  const version = sources.option ?? tagged[0];
  if (version === undefined) {
    throw new Error(
      "no release version: pass --version X.Y.Z, or tag the commit vX.Y.Z (git tag vX.Y.Z) and run again",
    );
  }
  if (sources.option !== undefined && tagged.length === 1 && tagged[0] !== sources.option) {
    throw new Error(`--version ${sources.option} disagrees with the tag v${tagged[0]} on HEAD`);
  }
  if (!SEMVER.test(version)) {
    throw new Error(
      `version "${version}" is not a semantic version such as 0.2.0 or 0.2.0-rc.1 (no "v", no "+build")`,
    );
  }
  if (version === sources.developmentVersion) {
    throw new Error(
      `version ${version} is the development version in package.json, which every build from a checkout ` +
        "carries: a release needs a version of its own (the next one), so that no two different tarballs " +
        "share a name",
    );
  }
  return version;
}

/**
 * The PEP 440 form of a release version, for the Python wheel. The generated SDK turns it back into the
 * plugin's semantic version (sdk/python/pulumi_dpod/_utilities.py): a = alpha, b = beta, rc, dev. Other
 * pre-release names have no such round trip and are refused.
 */
export function pythonVersion(version: string): string {
  const match = /^(\d+\.\d+\.\d+)(?:-(alpha|beta|rc|dev)\.(\d+))?$/.exec(version);
  if (!match) {
    throw new Error(
      `version ${version} has no Python (PEP 440) form the SDK maps back: use X.Y.Z or a pre-release ` +
        "-alpha.N, -beta.N, -rc.N or -dev.N",
    );
  }
  const [, release, tag, number] = match;
  if (tag === undefined) return release!;
  const suffix = { alpha: `a${number}`, beta: `b${number}`, rc: `rc${number}`, dev: `.dev${number}` }[tag]!;
  return `${release}${suffix}`;
}

type DependencyMap = Record<string, string>;

export interface ReleasedManifest {
  name: string;
  version: string;
  dependencies?: DependencyMap;
  devDependencies?: DependencyMap;
  peerDependencies?: DependencyMap;
  optionalDependencies?: DependencyMap;
  [field: string]: unknown;
}

/**
 * A packed package.json with the release version: its own version, and every dependency on another package
 * of the same release (a workspace) pinned to that version, since the packages are released together.
 */
export function stampManifest<T extends ReleasedManifest>(
  manifest: T,
  version: string,
  releasedNames: readonly string[],
): T {
  const stamped: T = { ...manifest, version };
  for (const field of [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
  ] as const) {
    const dependencies = manifest[field];
    if (dependencies === undefined) continue;
    stamped[field] = Object.fromEntries(
      Object.entries(dependencies).map(([name, spec]) => [
        name,
        releasedNames.includes(name) ? version : spec,
      ]),
    ) as T[typeof field];
  }
  return stamped;
}

/** sdk/python's pyproject.toml with the release version (the generator writes one `version = "..."` line). */
export function stampPyproject(text: string, version: string): string {
  const versionLine = /^(\s*version\s*=\s*)"[^"]*"\s*$/m;
  if (!versionLine.test(text)) throw new Error('pyproject.toml has no `version = "..."` line to stamp');
  return text.replace(versionLine, `$1"${pythonVersion(version)}"`);
}

/** sdk/python's pulumi-plugin.json with the plugin version the SDK asks the engine for. */
export function stampPluginJson(text: string, version: string): string {
  const plugin = JSON.parse(text) as { version?: string };
  if (plugin.version === undefined) throw new Error("pulumi-plugin.json has no version to stamp");
  return `${JSON.stringify({ ...plugin, version }, null, 2)}\n`;
}

export type ArtifactDecision = "write" | "unchanged" | "conflict";

/** What to do with a new artifact, given the bytes already at its path (undefined when there is none). */
export function artifactDecision(existing: Buffer | undefined, built: Buffer): ArtifactDecision {
  if (existing === undefined) return "write";
  return existing.equals(built) ? "unchanged" : "conflict";
}
