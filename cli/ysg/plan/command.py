"""The `ysg plan` subcommand; cli/ysg/cli.py registers it with one call."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ysg import arguments


def add_parser(commands) -> None:
    plan = commands.add_parser(
        "plan", help="the pull-request plan: what this change does to every environment (offline)")
    plan.add_argument("--base", type=arguments.git_revision, default="main",
                      help="git ref to compare against (default: main)")
    plan.add_argument("--out", type=arguments.output_file, default=None,
                      help="write the Markdown here (default: stdout)")
    # Checked here: the plan names the stack of each (naming.stack_name), which refuses an invalid name.
    plan.add_argument("--terraform", action="append", default=[], metavar="ENV", type=arguments.environment,
                      help="also append `cdktf diff billing-ENV` (needs Terraform and credentials)")
    plan.add_argument("--repo", type=arguments.existing_dir, default=Path.cwd(), help=argparse.SUPPRESS)
    plan.set_defaults(func=_plan)


def policy_scan(stack_dirs) -> str:
    """The policy scan of the working tree's stacks, as the plan shows it."""
    from ysg import scan   # lazy: sqlglot; `ysg`'s parser imports this module (ysg/cli.py)

    try:
        report = scan.scan(dict(stack_dirs))
    except scan.ScanError as exc:
        return f"Not run: {exc}"
    verdict = "passes" if report.ok else "**fails**: the pull request cannot merge until it is fixed"
    # The plan's syntheses live in a scratch folder, gone when the plan is read: so are their reports.
    summary = "\n".join(line for line in scan.format_report(report).splitlines() if not line.startswith("reports: "))
    return f"The scan {verdict}.\n\n```text\n{summary}\n```"


def _plan(args: argparse.Namespace) -> int:
    # Lazy: pydantic, sqlglot and the plan's own modules; `ysg`'s parser imports this module (ysg/cli.py).
    from ysg_hooks.manifest import ManifestError
    from ysg.plan.allowances import AllowanceError
    from ysg.plan.report import render, run
    from ysg.plan.synth import SynthError

    try:
        plan = run(args.repo, args.base, scan=policy_scan, terraform_envs=tuple(args.terraform))
    except (AllowanceError, ManifestError, SynthError) as exc:
        print(f"ysg plan: {exc}", file=sys.stderr)
        return 2
    text = render(plan)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"plan written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if plan.exit_code:
        print("ysg plan: refused; see the plan's 'Prod guard' and 'Terraform plan' sections", file=sys.stderr)
    return plan.exit_code
