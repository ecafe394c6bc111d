#!/usr/bin/env sh
# Makes a self-contained directory for `pulumi plugin install resource dpod <version> --file <dir>`: the
# pulumi-dpod package and the @pulumi/pulumi it runs on, installed for production, and the executable
# pulumi-resource-dpod the engine starts, which runs the package's plugin with node. The directory can be
# copied (Pulumi copies it into its plugin cache): the launcher finds the package beside itself.
#
#   sh plugin-dir.sh <pulumi-dpod tarball or version> <directory>
# docs/native-plugin.md shows these steps; test/e2e/native-import.test.ts runs this script.
set -eu
package="$1"
dir="$2"
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || printf '{ "name": "pulumi-resource-dpod-plugin", "private": true }\n' > package.json
npm install --omit=dev --no-audit --no-fund --loglevel=error "$package" @pulumi/pulumi@3.248.0
cat > pulumi-resource-dpod <<'LAUNCHER'
#!/bin/sh
exec node "$(dirname "$0")/node_modules/pulumi-dpod/dist/provider/native/main.js" "$@"
LAUNCHER
chmod 755 pulumi-resource-dpod
