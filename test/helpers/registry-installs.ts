/**
 * Finds places that would install one of this project's packages from a public registry by name. Until the
 * project itself owns these names there, such an install fetches whatever a stranger may have published
 * under them, and runs it with the tenant's credentials in its environment.
 *
 * What counts as an install from a registry:
 *   - in a package.json, a dependency on one of the names whose value is a version or range (anything but
 *     a path, a file:/link: specifier or a URL); a workspace root may name its own workspaces, which npm
 *     links locally;
 *   - in a command line (a shell code block of the docs, a shell script, a CI workflow, a package.json
 *     script): `npm install|i|add`, `pnpm add|install`, `yarn add`, `pip install` (and `python -m pip`)
 *     with one of the names as an argument, bare or with `@version` (`==version` for pip), unless the same
 *     command names its registry with `--registry` / `--index-url` (a team's private registry);
 *   - `npx --yes <name>` and `npx --package <name>`, which download what is not installed; and in scripts
 *     and workflows, which run unattended, a plain `npx <name>` too (npm's exec installs a missing package
 *     without asking when there is no terminal or in CI): they must use `npx --no <name>`.
 */

/**
 * The names this project uses but has not registered: npm packages, and the Python SDK's distribution
 * name on PyPI. Remove a name from here once the project has published it itself.
 */
export const UNREGISTERED_NPM_NAMES = ["pulumi-dpod", "dpod-emulator", "pulumi-dpod-policies"] as const;
export const UNREGISTERED_PYPI_NAMES = ["pulumi_dpod", "pulumi-dpod"] as const;

export interface Finding {
  /** Where: a file path, with ":line" for command lines. */
  where: string;
  /** What was found, quoted. */
  what: string;
}

const DEPENDENCY_FIELDS = [
  "dependencies",
  "devDependencies",
  "peerDependencies",
  "optionalDependencies",
] as const;

/** A dependency value npm resolves without a registry: a path, file:/link:, a URL or a git reference. */
function isLocalOrUrlSpec(spec: string): boolean {
  return /^(file:|link:|\.{1,2}\/|\/|~\/|[a-z][a-z0-9+.-]*:\/\/|git\+|github:)/i.test(spec);
}

interface Manifest {
  name?: string;
  workspaces?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * Registry dependencies on the unregistered names in one package.json. `workspaceNames` are the packages
 * of the repository's npm workspaces: a workspace root or a workspace package may depend on them by version
 * (npm links them; a release publishes them together).
 */
export function manifestFindings(
  file: string,
  manifest: Manifest,
  options: { isWorkspaceMember: boolean; workspaceNames: readonly string[] },
): Finding[] {
  const findings: Finding[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (!(UNREGISTERED_NPM_NAMES as readonly string[]).includes(name)) continue;
      if (isLocalOrUrlSpec(spec)) continue;
      if (options.isWorkspaceMember && options.workspaceNames.includes(name)) continue;
      findings.push({ where: file, what: `${field}: "${name}": "${spec}"` });
    }
  }
  for (const [script, command] of Object.entries(manifest.scripts ?? {})) {
    for (const what of commandFindings(command, { unattended: true })) {
      findings.push({ where: `${file} (scripts.${script})`, what });
    }
  }
  return findings;
}

/** Splits a command line into simple commands (at ;, &&, ||, |, parentheses and backquotes). */
function simpleCommands(line: string): string[][] {
  return line
    .replace(/\s#.*$/, "")
    .split(/&&|\|\||[;|()`]|\$\(/)
    .map((part) =>
      part
        .trim()
        .split(/\s+/)
        .filter((word) => word !== "")
        .map((word) => word.replace(/^["']|["']$/g, "")),
    )
    .filter((words) => words.length > 0);
}

/** Flags whose next word is their value, not a package. */
const FLAGS_WITH_VALUES = new Set(["--workspace", "-w", "--prefix", "-C", "--tag", "--omit", "--include"]);

function namesNpmPackage(word: string): string | undefined {
  return UNREGISTERED_NPM_NAMES.find((name) => word === name || word.startsWith(`${name}@`));
}

function namesPypiPackage(word: string): string | undefined {
  const requirement = word.split(/[=<>!~[;]/)[0]!.toLowerCase();
  return UNREGISTERED_PYPI_NAMES.find((name) => requirement === name);
}

/** The package arguments of an installing command, or undefined when the words are not one. */
function installArguments(words: string[]): { packages: string[]; ecosystem: "npm" | "pypi" } | undefined {
  // Leading environment assignments (FOO=bar npm install ...) and sudo are not the command.
  let rest = words;
  while (rest.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0]!) || rest[0] === "sudo")) {
    rest = rest.slice(1);
  }
  const [tool, ...args] = rest;
  const packagesAfter = (from: number): string[] => {
    const packages: string[] = [];
    for (let index = from; index < args.length; index += 1) {
      const word = args[index]!;
      if (FLAGS_WITH_VALUES.has(word)) index += 1;
      else if (!word.startsWith("-")) packages.push(word);
    }
    return packages;
  };
  const sub = args[0];
  if (tool === "npm" && ["install", "i", "add", "in", "isntall"].includes(sub ?? "")) {
    return { packages: packagesAfter(1), ecosystem: "npm" };
  }
  if (tool === "pnpm" && ["add", "install", "i"].includes(sub ?? "")) {
    return { packages: packagesAfter(1), ecosystem: "npm" };
  }
  if (tool === "yarn" && sub === "add") return { packages: packagesAfter(1), ecosystem: "npm" };
  if (tool !== undefined && /(^|\/)pip3?$/.test(tool) && sub === "install") {
    return { packages: packagesAfter(1), ecosystem: "pypi" };
  }
  if (tool !== undefined && /(^|\/)python3?$/.test(tool) && sub === "-m" && args[1] === "pip") {
    return args[2] === "install" ? { packages: packagesAfter(3), ecosystem: "pypi" } : undefined;
  }
  return undefined;
}

/** What npx would download: the package of `npx --yes X`, `npx -p X`, and in unattended runs `npx X`. */
function npxDownload(words: string[], unattended: boolean): string | undefined {
  if (words[0] !== "npx" && !(words[0] === "npm" && words[1] === "exec")) return undefined;
  const args = words[0] === "npx" ? words.slice(1) : words.slice(2);
  let confirmed = false;
  let refused = false;
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index]!;
    if (word === "--yes" || word === "-y") confirmed = true;
    else if (word === "--no" || word === "--no-install") refused = true;
    else if (word === "-p" || word === "--package") {
      const name = namesNpmPackage(args[index + 1] ?? "");
      if (name) return args[index + 1];
      index += 1;
    } else if (word.startsWith("--package=")) {
      if (namesNpmPackage(word.slice("--package=".length))) return word.slice("--package=".length);
    } else if (!word.startsWith("-")) {
      // The command npx runs: a download when confirmed, or when nothing stops it in an unattended run.
      if (namesNpmPackage(word) && !refused && (confirmed || unattended)) return word;
      return undefined;
    }
  }
  return undefined;
}

/**
 * The registry installs of the unregistered names in one command line. `unattended`: the line runs in a
 * script or CI job, where npx installs a missing package without asking.
 */
export function commandFindings(line: string, options: { unattended: boolean }): string[] {
  const findings: string[] = [];
  for (const words of simpleCommands(line)) {
    const install = installArguments(words);
    if (install !== undefined) {
      const namesRegistry = words.some((word) =>
        /^(--registry|--index-url|-i|--extra-index-url)(=|$)/.test(word),
      );
      for (const word of install.packages) {
        const named = install.ecosystem === "npm" ? namesNpmPackage(word) : namesPypiPackage(word);
        if (named !== undefined && !namesRegistry) findings.push(words.join(" "));
      }
    }
    const npx = npxDownload(words, options.unattended);
    if (npx !== undefined) findings.push(words.join(" "));
  }
  return [...new Set(findings)];
}

/** The lines of shell code blocks (```sh, bash, shell, console or untagged) in a Markdown text, with numbers. */
export function markdownShellLines(text: string): Array<{ line: number; text: string }> {
  const lines = text.split("\n");
  const found: Array<{ line: number; text: string }> = [];
  let inShell = false;
  let inOther = false;
  lines.forEach((raw, index) => {
    const fence = /^\s*(```|~~~)\s*([\w-]*)/.exec(raw);
    if (fence) {
      if (inShell || inOther) {
        inShell = false;
        inOther = false;
      } else if (["", "sh", "bash", "shell", "console", "zsh"].includes(fence[2]!.toLowerCase())) {
        inShell = true;
      } else {
        inOther = true;
      }
      return;
    }
    if (inShell) found.push({ line: index + 1, text: raw.replace(/^\s*\$\s+/, "") });
  });
  return found;
}
