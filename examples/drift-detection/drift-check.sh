#!/usr/bin/env bash
# Fails (exit 1) when the DPoD tenant no longer matches the program: someone changed, added back or
# deleted a managed object by hand. Read-only: it refreshes in memory and changes neither the tenant nor
# the stack's state.
#
#   STACK   the stack to check (default: the selected stack)
# Credentials come from the stack config (dpod:clientId, dpod:clientSecret) or DPOD_* variables.
set -euo pipefail

stack_args=()
[ -n "${STACK:-}" ] && stack_args=(--stack "$STACK")

if pulumi preview --refresh --expect-no-changes --diff --non-interactive "${stack_args[@]}"; then
  echo "drift-check: the tenant matches the program."
else
  status=$?
  echo "drift-check: DRIFT. The resources shown above with (update), (create) or (replace) differ from the" >&2
  echo "drift-check: program; the lines under each, 'field: \"in the tenant\" => \"in the program\"', name the" >&2
  echo "drift-check: fields. Run 'pulumi up --refresh' to put them back, or change the program to adopt them." >&2
  exit "$status"
fi
