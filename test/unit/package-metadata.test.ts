// What the packages say about themselves agrees everywhere: every npm package of the repository and the
// plugin schema name the same license, repository, issue tracker and author, the repository is the one the
// Go SDK's module path names, and each package ships the license's full text.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { buildPackageSchema, REPOSITORY_URL } from "../../provider/native/schema";

const root = path.resolve(__dirname, "..", "..");

interface Manifest {
  name: string;
  version: string;
  license?: string;
  author?: string;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  workspaces?: string[];
}

function read(file: string): string {
  return readFileSync(path.join(root, file), "utf8");
}

const rootManifest = JSON.parse(read("package.json")) as Manifest;
const packageDirs = ["", ...(rootManifest.workspaces ?? [])];
const manifests = packageDirs.map((dir) => ({
  dir,
  manifest: JSON.parse(read(path.join(dir, "package.json"))) as Manifest,
}));

describe("package metadata", () => {
  it("covers every npm package of the repository", () => {
    expect(manifests.map((m) => m.manifest.name)).toEqual(
      expect.arrayContaining(["pulumi-dpod", "dpod-emulator"]),
    );
  });

  it("names the repository the Go SDK's module path names", () => {
    const goModule = /^module\s+(\S+)/m.exec(read("sdk/go/go.mod"))![1]!;
    expect(goModule.startsWith(`${REPOSITORY_URL.replace(/^https:\/\//, "")}/`)).toBe(true);
  });

  it.each(manifests.map((m) => [m.manifest.name, m] as const))(
    "%s declares license, author, repository, homepage, issue tracker and keywords, all agreeing",
    (_name, { dir, manifest }) => {
      expect(manifest.license).toBe("Apache-2.0");
      expect(manifest.author).toBe(rootManifest.author);
      expect(manifest.repository).toEqual({
        type: "git",
        url: `git+${REPOSITORY_URL}.git`,
        ...(dir === "" ? {} : { directory: dir }),
      });
      expect(manifest.homepage?.startsWith(REPOSITORY_URL)).toBe(true);
      expect(manifest.bugs).toEqual({ url: `${REPOSITORY_URL}/issues` });
      expect(manifest.keywords?.length).toBeGreaterThan(2);
    },
  );

  it.each(packageDirs.map((dir) => [dir === "" ? "the root" : dir, dir] as const))(
    "%s ships the full Apache-2.0 text as LICENSE (npm packs a package's own LICENSE only)",
    (_label, dir) => {
      const license = path.join(root, dir, "LICENSE");
      expect(existsSync(license)).toBe(true);
      const text = readFileSync(license, "utf8");
      expect(text.startsWith("Apache License\nVersion 2.0, January 2004\n")).toBe(true);
      expect(text).toContain("END OF TERMS AND CONDITIONS");
      expect(text).toBe(read("LICENSE"));
    },
  );

  it("is repeated in the plugin schema", () => {
    const schema = buildPackageSchema(rootManifest.version);
    expect(schema).toMatchObject({
      license: rootManifest.license,
      publisher: rootManifest.author,
      homepage: REPOSITORY_URL,
      repository: REPOSITORY_URL,
    });
    expect(schema).not.toHaveProperty("logoUrl");
  });
});
