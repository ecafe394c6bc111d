#!/usr/bin/env bash
# Builds the Pulumi engine our end-to-end tests and the demo drive, from Go modules fetched through the Go module proxy.
#
#   scripts/pulumi-engine/build.sh [version]     # default v3.248.0, the development pin
#
# Each version builds from its own pinned module graph in this directory (go.mod for v3.248.0, go.<version>.mod
# and go.<version>.sum for others, used with -modfile) into its own directory, so builds sit side by side:
# .pulumi-engine/bin for v3.248.0, .pulumi-engine/<version>/bin for any other. In that directory:
#   pulumi                        the CLI and engine, github.com/pulumi/pulumi/pkg/v3 at the version
#   pulumi-language-nodejs        our Node.js language host (scripts/pulumi-engine/language-nodejs), built against the
#                                 same SDK version; it also runs Node.js policy packs (`--policy-pack`): with a
#                                 Node.js language host installed the CLI starts a pack through it (RunPlugin),
#                                 never through a `pulumi-analyzer-policy` launcher, so the engine needs none
#   pulumi-resource-pulumi-nodejs the dynamic-provider plugin shipped in @pulumi/pulumi
#   pulumi-language-yaml          the YAML language host, github.com/pulumi/pulumi-yaml v1.25.0 (it pins its own
#                                 Pulumi version, so it is built with `go install` in its own module graph)
#
# A build whose inputs (version, go.mod, go.sum, host source) match the stamp is reused in seconds. A cold
# build downloads about 1.4 GB of module cache and compiles, about 7 minutes in all on 2 cores; progress is
# printed while it runs. Set PULUMI_ENGINE_DIR to use an existing Pulumi install instead (then this
# script is not needed).
set -euo pipefail

DEFAULT_VERSION="v3.248.0"
PULUMI_VERSION="${1:-$DEFAULT_VERSION}"
YAML_VERSION="v1.25.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ "$PULUMI_VERSION" = "$DEFAULT_VERSION" ]; then
  modfile="go.mod"
  bin="$root/.pulumi-engine/bin"
else
  modfile="go.$PULUMI_VERSION.mod"
  bin="$root/.pulumi-engine/$PULUMI_VERSION/bin"
fi
stamp_file="$(dirname "$bin")/stamp"

say() { printf '[engine] %s\n' "$*" >&2; }
fail() { printf '[engine] error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 ||
  fail "Go is not installed (needs Go >= 1.25.11 on PATH). Install Go, or set PULUMI_ENGINE_DIR to a directory holding an existing 'pulumi' CLI."
command -v node >/dev/null 2>&1 || fail "node is not on PATH."

nodejs_plugin="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
[ -f "$nodejs_plugin" ] || fail "missing $nodejs_plugin: run 'npm ci' first."
sumfile="${modfile%.mod}.sum"
[ -f "$here/$modfile" ] && [ -f "$here/$sumfile" ] ||
  fail "no pinned module graph for Pulumi $PULUMI_VERSION: add scripts/pulumi-engine/$modfile and $sumfile (copy go.mod and go.sum, then 'go get -modfile=$modfile github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION' and 'go mod tidy -modfile=$modfile')."

stamp="$(printf '%s\n' "$PULUMI_VERSION" "$YAML_VERSION" "$(go env GOVERSION)" |
  cat - "$here/$modfile" "$here/$sumfile" "$here"/language-nodejs/*.go "$0" | sha256sum | cut -d' ' -f1)"

install_nodejs_plugin() {
  cp "$nodejs_plugin" "$bin/pulumi-resource-pulumi-nodejs"
  chmod 755 "$bin/pulumi-resource-pulumi-nodejs"
}

if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ -x "$bin/pulumi-language-yaml" ] &&
  [ -f "$stamp_file" ] &&
  [ "$(cat "$stamp_file")" = "$stamp" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "$PULUMI_VERSION" ]; then
  install_nodejs_plugin
  say "reusing the Pulumi $PULUMI_VERSION engine in $bin"
  exit 0
fi

mkdir -p "$bin"
rm -f "$stamp_file"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -modfile=$modfile"
cd "$here"

started=$SECONDS
say "downloading Go modules for Pulumi $PULUMI_VERSION (first run: a few hundred MB) ..."
mkdir -p "$root/.pulumi-engine"
if ! go mod download 2>"$root/.pulumi-engine/download.log"; then
  tail -n 20 "$root/.pulumi-engine/download.log" >&2
  fail "could not download the Go modules. The build needs the Go module proxy (GOPROXY=$(go env GOPROXY)); see .pulumi-engine/download.log."
fi
say "modules ready after $((SECONDS - started)) s; compiling (a cold build, downloads included, took about 7 minutes on 2 cores) ..."

# Prints a line every 100 compiled packages and a heartbeat every minute, so a long cold build is visibly alive.
progress() {
  awk -v start="$(date +%s)" 'BEGIN { last = start } { n++; now = systime(); if (n % 100 == 0 || now - last >= 60) { printf "[engine]   %d packages compiled, %d s\n", n, now - start; fflush(); last = now } }' >&2
}

ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
build() { # build <output name> <package>
  go build -v -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$bin/$1" "$2" 2> >(progress)
}
build pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
build pulumi-language-nodejs ./language-nodejs
say "building the YAML language host $YAML_VERSION (its own module graph) ..."
(cd "$root" && GOFLAGS= GOBIN="$bin" go install -v -trimpath \
  -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_VERSION" \
  "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION" 2> >(progress))
install_nodejs_plugin

version="$("$bin/pulumi" version)"
[ "$version" = "$PULUMI_VERSION" ] || fail "built pulumi reports version '$version', expected $PULUMI_VERSION"
echo "$stamp" >"$stamp_file"
say "built Pulumi $version in $((SECONDS - started)) s into $bin"
