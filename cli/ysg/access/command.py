"""`ysg access <env>`: the access report of one synthesized stack; and the check `ysg scan` runs over every
Snowflake environment. Exit 0: every privilege is held; 1: something is missing; 2: bad input."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ysg import arguments
from ysg.access.check import AccessInputError, read_manifest
from ysg.access.report import AccessReport, check_stack, format_report
from ysg.access.requirements import RequirementsError
from ysg.access.stack import StackError
from ysg_core.naming import InvalidIdentifier, environment_name, stack_name
from ysg_core.paths import DEFAULT_OUTDIR, newer_source, stack_dir

# Targets whose stacks have roles and privileges to check; `local` runs on the emulator, which has none.
CHECKED_TARGET = "snowflake"
BAD_INPUT = (AccessInputError, StackError, RequirementsError, InvalidIdentifier)


def register(commands) -> None:
    parser = commands.add_parser(
        "access", help="who may do what: check every hook statement, the app and the ingest users against "
                       "the privileges the synthesized stack grants")
    parser.add_argument("environment", type=arguments.environment, help="dev, staging, prod, ...")
    parser.add_argument("--stack-dir", type=arguments.existing_dir, default=None,
                        help="a synthesized stack folder; defaults to cdktf.out/stacks/billing-<env>/")
    parser.add_argument("--deploy-role", type=arguments.role, default=None,
                        help="the role Terraform runs as, which owns what it creates; defaults to the provider "
                             "block's `role`, else 'the Terraform deploy role'")
    parser.add_argument("--verbose", action="store_true", help="every grant that provides a privilege, not the first")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        environment = environment_name(args.environment)
        folder = Path(args.stack_dir) if args.stack_dir else stack_dir(DEFAULT_OUTDIR, stack_name(environment))
        manifest = read_manifest(folder) if folder.is_dir() else None
        if manifest is not None and manifest["environment"] != environment:
            raise AccessInputError(f"{folder}: hooks.json is environment {manifest['environment']!r}, "
                                   f"not {environment!r}")
        if manifest is not None and manifest.get("target", CHECKED_TARGET) != CHECKED_TARGET:
            raise AccessInputError(f"{folder}: environment {environment} targets {manifest.get('target')}, "
                                   "which has no roles or privileges to check")
        report = check_stack(folder, deploy_role=args.deploy_role)
    except BAD_INPUT as exc:
        print(f"ysg access: {exc}", file=sys.stderr)
        return 2
    stale = newer_source(folder / "cdk.tf.json") if not args.stack_dir else None
    if stale is not None:
        print(f"note: {stale} is newer than the synthesized stack; run `ysg synth` to check the current sources")
    print(format_report(report, verbose=args.verbose))
    return 0 if report.ok else 1


def check_all(stack_dirs: dict[str, Path]) -> list[AccessReport]:
    """The access report of every stack whose target is Snowflake (for `ysg scan`); raises BAD_INPUT."""
    reports = []
    for folder in stack_dirs.values():
        if read_manifest(Path(folder)).get("target", CHECKED_TARGET) == CHECKED_TARGET:
            reports.append(check_stack(Path(folder)))
    return reports


def format_summary(reports: list[AccessReport]) -> str:
    """What `ysg scan` prints: each environment's count, then every missing privilege on one line."""
    lines = []
    for report in reports:
        missing = report.missing()
        count = f"{len(missing)} missing" if missing else "every privilege held"
        lines.append(f"access {report.stack_dir.name}: {count}")
        lines += [f"  MISSING {report.stack_dir.name} {label}: {need.missing}" for label, need in missing]
    ok = all(r.ok for r in reports)
    lines.append("access check " + ("passed" if ok else "FAILED (details: ysg access <env>)"))
    return "\n".join(lines)
