#!/usr/bin/env sh
# Makes a self-contained directory for `pulumi plugin install resource dpod <version> --file <dir>`: the
# pulumi-dpod package and the @pulumi/pulumi it runs on, installed for production, and the executable
# pulumi-resource-dpod the engine starts, which runs the package's plugin with node. The directory can be
# copied (Pulumi copies it into its plugin cache): the launcher finds the package beside itself.
#
#   sh plugin-dir.sh <pulumi-dpod tarball, or a registry spec such as pulumi-dpod@0.2.0> <directory>
# docs/native-plugin.md shows these steps; test/e2e/native-import.test.ts runs this script with relative
# paths, as the docs show it.
set -eu
package="$1"
dir="$2"
# A tarball or directory named relative to where the script was called from must still resolve after the
# cd below; anything else (a registry spec) is passed to npm as written.
if [ -e "$package" ]; then
  package="$(cd "$(dirname "$package")" && pwd)/$(basename "$package")"
fi
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || printf '{ "name": "pulumi-resource-dpod-plugin", "private": true }\n' > package.json
npm install --omit=dev --no-audit --no-fund --loglevel=error "$package" @pulumi/pulumi@3.248.0
cat > pulumi-resource-dpod <<'LAUNCHER'
#!/bin/sh
exec node "$(dirname "$0")/node_modules/pulumi-dpod/dist/provider/native/main.js" "$@"
LAUNCHER
chmod 755 pulumi-resource-dpod
