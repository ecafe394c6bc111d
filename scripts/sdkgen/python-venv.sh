#!/usr/bin/env bash
# Makes .tmp/python-venv, a virtual environment holding `pulumi` from the Python package index at the
# version of our engine and the generated SDK sdk/python (pulumi_dpod), for the Python example and its e2e
# test; prints the environment's python executable on stdout.
#
# Idempotent: an environment whose inputs (Pulumi version, Python version, sdk/python's files) match its
# stamp is reused at once. sdk/python is installed from a scratch copy, so the build leaves nothing
# (build/, *.egg-info) in the committed tree.
set -euo pipefail

PULUMI_VERSION="3.248.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.tmp/python-venv"
python="${PYTHON:-python3}"

say() { printf '[python-venv] %s\n' "$*" >&2; }

command -v "$python" >/dev/null 2>&1 || { say "error: $python is not installed (needs Python >= 3.9 with venv)"; exit 1; }

stamp="$(
  {
    printf '%s\n' "$PULUMI_VERSION" "$("$python" --version 2>&1)"
    (cd "$root/sdk/python" && find . -type f ! -path '*/__pycache__/*' | LC_ALL=C sort | xargs sha256sum)
    cat "$0"
  } | sha256sum | cut -d' ' -f1
)"

if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$venv/bin/python"
  exit 0
fi

started=$SECONDS
say "creating $venv: pulumi==$PULUMI_VERSION and sdk/python ..."
rm -rf "$venv"
"$python" -m venv "$venv"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -R "$root/sdk/python" "$scratch/pulumi_dpod_sdk"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet "pulumi==$PULUMI_VERSION" "$scratch/pulumi_dpod_sdk" >&2
echo "$stamp" >"$venv/stamp"
say "ready after $((SECONDS - started)) s"
echo "$venv/bin/python"
