#!/usr/bin/env bash
# Regenerates sdk/python and sdk/go from provider/native/pulumi-schema.json with Pulumi's own code generators
# (main.go in this directory), then records sdk/go's module checksums (go.sum) with `go mod tidy`.
#
#   bash scripts/sdkgen/generate.sh           write sdk/python and sdk/go
#   bash scripts/sdkgen/generate.sh --check   generate into a scratch directory and fail on any difference
#                                             from the committed SDKs, then `go build ./...` in sdk/go
#                                             (CI and `npm test` run this)
#
# The generator binary is built into .tmp/sdkgen/ and reused while main.go, go.mod and go.sum are unchanged
# (a cold build compiles pkg/v3's code generators: minutes on 2 cores; later runs take seconds).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0

say() { printf '[sdkgen] %s\n' "$*" >&2; }

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) say "usage: generate.sh [--check]"; exit 2 ;;
esac

command -v go >/dev/null 2>&1 || { say "error: Go is not installed (needs Go >= 1.25.11 on PATH)"; exit 1; }

cache="$root/.tmp/sdkgen"
mkdir -p "$cache"
stamp="$(cat "$here/main.go" "$here/go.mod" "$here/go.sum" <(go env GOVERSION) | sha256sum | cut -d' ' -f1)"
binary="$cache/sdkgen-$stamp"
if [ ! -x "$binary" ]; then
  say "building the generator (pkg/v3 codegen; a cold build takes minutes) ..."
  started=$SECONDS
  rm -f "$cache"/sdkgen-*
  (cd "$here" && go build -o "$binary.partial" .)
  mv "$binary.partial" "$binary"
  say "built in $((SECONDS - started)) s"
fi

if $check; then
  out="$(mktemp -d "$cache/check-XXXXXX")"
  trap 'rm -rf "$out"' EXIT
else
  out="$root/sdk"
fi

"$binary" -schema "$root/provider/native/pulumi-schema.json" -out "$out"
# go.sum lists the checksums of sdk/go's dependency graph (the modules are already in the module cache
# once anything here has built; otherwise the Go module proxy serves them). -mod is not a tidy flag.
(cd "$out/go" && GOFLAGS= go mod tidy)

if $check; then
  if ! diff -r "$root/sdk/python" "$out/python" >&2 || ! diff -r "$root/sdk/go" "$out/go" >&2; then
    say "error: sdk/python or sdk/go differs from what the schema generates: run 'npm run generate:sdks' and commit"
    exit 1
  fi
  say "sdk/python and sdk/go match provider/native/pulumi-schema.json"
  # The Go SDK compiles against github.com/pulumi/pulumi/sdk/v3 at the pinned version (a cold build compiles
  # the Pulumi Go SDK, which the Go example's e2e test then reuses from Go's build cache). sdk/python's
  # install is proven by scripts/sdkgen/python-venv.sh, which the Python e2e test runs.
  started=$SECONDS
  (cd "$root/sdk/go" && go build ./...)
  say "sdk/go builds (go build ./..., $((SECONDS - started)) s)"
else
  say "wrote sdk/python and sdk/go"
fi
