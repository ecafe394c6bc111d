"""Runs a program with the Pulumi Automation API's inline mode: the program runs in this process, and the
`pulumi` CLI (started with --client) needs no Python language host. The program is dpod_program
(dpod_program.py, project dpod-python), or with --program rotation, rotation_program (rotation_program.py,
project dpod-python-rotation).

    python main.py [options] up        create or update the stack (--refresh: refresh first)
    python main.py [options] preview   preview with refresh; fails when anything would change
    python main.py [options] outputs   the stack outputs as JSON; secret ones as "[secret]" unless
                                       --show-secrets
    python main.py [options] destroy   delete everything the stack holds

The stack's settings live in the working directory (Pulumi.yaml and Pulumi.<stack>.yaml); the state goes to
the backend the environment names (PULUMI_BACKEND_URL, else `pulumi login`). Before up and preview, the
program's config is taken from the environment where set: DPOD_SP_CLIENT_ID, DPOD_SP_CLIENT_SECRET (stored
as a secret), DPOD_TENANT_ID, DPOD_ROTATION and DPOD_MIN_ROTATION_INTERVAL_HOURS. The tenant credential
and the API addresses are the provider's own environment settings (DPOD_API_URL, DPOD_TOKEN_URL,
DPOD_CLIENT_ID, DPOD_CLIENT_SECRET), or stack config dpod:*.
"""

import argparse
import json
import os
import sys
from typing import Optional

import yaml
from pulumi import automation as auto

from dpod_program import dpod_program
from rotation_program import rotation_program

# --program: the inline program and its project name.
PROGRAMS = {
    "quickstart": (dpod_program, "dpod-python"),
    "rotation": (rotation_program, "dpod-python-rotation"),
}

# Environment variable, config key, stored as a secret.
CONFIG_FROM_ENVIRONMENT = [
    ("DPOD_SP_CLIENT_ID", "spClientId", False),
    ("DPOD_SP_CLIENT_SECRET", "spClientSecret", True),
    ("DPOD_TENANT_ID", "tenantId", False),
    ("DPOD_ROTATION", "rotation", False),
    ("DPOD_MIN_ROTATION_INTERVAL_HOURS", "minRotationIntervalHours", False),
]


def write_project_file(work_dir: str, project_name: str, plugin_dir: Optional[str]) -> None:
    """Writes Pulumi.yaml. auto.ProjectSettings has no `plugins` field, so a plugin wired by path goes into
    the file, which the workspace then reads instead of making default settings."""
    project = {"name": project_name, "runtime": "python"}
    if plugin_dir:
        project["plugins"] = {"providers": [{"name": "dpod", "path": plugin_dir}]}
    with open(os.path.join(work_dir, "Pulumi.yaml"), "w", encoding="utf-8") as file:
        yaml.safe_dump(project, file)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["up", "preview", "outputs", "destroy"])
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--program", choices=sorted(PROGRAMS), default="quickstart")
    parser.add_argument("--refresh", action="store_true", help="up: refresh the state from DPoD first")
    parser.add_argument(
        "--plugin-dir",
        help="the directory holding pulumi-resource-dpod (default: the plugin in Pulumi's plugin cache)",
    )
    parser.add_argument("--pulumi-root", help="the directory holding bin/pulumi (default: pulumi on PATH)")
    parser.add_argument(
        "--policy-pack",
        help="up and preview: run this policy pack (a directory, e.g. node_modules/pulumi-dpod-policies)",
    )
    parser.add_argument("--show-secrets", action="store_true", help="outputs: print secret values")
    args = parser.parse_args()

    work_dir = os.getcwd()
    program, project_name = PROGRAMS[args.program]
    write_project_file(work_dir, project_name, args.plugin_dir)
    command = auto.PulumiCommand(root=args.pulumi_root) if args.pulumi_root else None
    stack = auto.create_or_select_stack(
        stack_name=args.stack,
        project_name=project_name,
        program=program,
        opts=auto.LocalWorkspaceOptions(work_dir=work_dir, pulumi_command=command),
    )

    if args.command in ("up", "preview"):
        for env, key, secret in CONFIG_FROM_ENVIRONMENT:
            if env in os.environ:
                stack.set_config(key, auto.ConfigValue(value=os.environ[env], secret=secret))
    def progress(line: str) -> None:
        print(line, file=sys.stderr)

    policy_packs = [args.policy_pack] if args.policy_pack else None
    if args.command == "up":
        stack.up(refresh=args.refresh, policy_packs=policy_packs, on_output=progress)
    elif args.command == "preview":
        # expect_no_changes: any difference between the program, the state and DPoD fails the preview.
        result = stack.preview(
            refresh=True, expect_no_changes=True, policy_packs=policy_packs, on_output=progress
        )
        summary = {str(getattr(op, "value", op)): count for op, count in result.change_summary.items()}
        print(json.dumps(summary, indent=2))
    elif args.command == "outputs":
        outputs = stack.outputs()
        shown = {
            name: "[secret]" if output.secret and not args.show_secrets else output.value
            for name, output in outputs.items()
        }
        print(json.dumps(shown, indent=2))
    elif args.command == "destroy":
        stack.destroy(on_output=progress)
    return 0


if __name__ == "__main__":
    sys.exit(main())
