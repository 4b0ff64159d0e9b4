"""`ysg`: the platform's command line."""
from __future__ import annotations

import argparse
import os
import sys
import warnings

from ysg import arguments
from ysg.access.command import register as register_access
from ysg.operate import register as register_operate
from ysg.plan.command import add_parser as add_plan
from ysg_core.errors import ConfigError, HookDeclarationError, UserError
from ysg_core.paths import ENVIRONMENTS_DIR

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

# Lazy, for start-up: each command imports its modules inside its handler, when it runs. Together they load
# pydantic, sqlglot, the Snowflake connector (with pandas) and the jsii runtime, about 2 s that `ysg --help`,
# a mistyped argument and every other command need not wait for. The modules that register parsers
# (operate, plan.command, access.command), imported above, keep what loads those libraries inside their
# handlers too.
# import-linter sees these imports as any other (pyproject.toml): they all point down.


def _synth(args: argparse.Namespace) -> int:
    from ysg.summary import format_summary
    from ysg_stacks.app import synthesize

    stack_dirs = synthesize(args.outdir)
    if not args.quiet:
        print(format_summary(stack_dirs))
    return 0


def _scan(args: argparse.Namespace) -> int:
    from ysg import scan
    from ysg.access import command as access
    from ysg_stacks.app import current_stacks

    stack_dirs, _ = current_stacks(args.outdir)
    try:
        report = scan.scan(stack_dirs, jobs=args.jobs)
    except scan.ScanError as exc:
        print(f"policy scan could not run: {exc}", file=sys.stderr)
        return 2
    print(scan.format_report(report))
    # The access model of every Snowflake environment: a privilege a hook, the app or an ingest user
    # needs and does not hold fails the scan like a policy finding.
    try:
        access_reports = access.check_all(stack_dirs)
    except access.BAD_INPUT as exc:
        print(f"access check could not run: {exc}", file=sys.stderr)
        return 2
    print(access.format_summary(access_reports))
    return 0 if report.ok and all(r.ok for r in access_reports) else 1


def _up(args: argparse.Namespace) -> int:
    from ysg.connection import EmulatorBusy
    from ysg.local_app import AppDidNotPause
    from ysg.up import bring_up, format_report

    try:
        report = bring_up(args.emulator_dir)
    except (EmulatorBusy, AppDidNotPause) as exc:
        print(f"ysg up: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    return 1 if report.failure else 0


def _validate(args: argparse.Namespace) -> int:
    from ysg_core.config import load_all
    from ysg_core.deployable import environment_examples

    configs = load_all(args.environments_dir)
    for name, config in configs.items():
        print(f"{name}: ok ({config.names.stack}, database {config.database.name})")
    if args.deployable is None:
        return 0
    if args.deployable not in configs:
        raise ConfigError([f"no environment file for {args.deployable!r} (known: {', '.join(configs)})"])
    examples = environment_examples(args.deployable, args.environments_dir)
    if not examples:
        print(f"{args.deployable}: deployable, no example values")
        return 0
    print(f"{args.deployable}: NOT deployable, {len(examples)} example value(s) to replace "
          "(README, \"First deploy\"):")
    for example in examples:
        print(f"  {example}")
    return 1


def _app(args: argparse.Namespace) -> int:
    from ysg.local_app import run

    return run(args.emulator_dir, port=args.port, address=args.address)


class _Parser(argparse.ArgumentParser):
    """argparse, with a bad argument said in one line (not the usage block) and exit 2; subcommands' parsers
    are of the same class."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ysg", description="YouSoundGreat Billing Intelligence platform")
    commands = parser.add_subparsers(dest="command", required=True)
    register_operate(commands)   # hooks plan|apply, deploy, query
    add_plan(commands)
    register_access(commands)    # access <env>

    synth = commands.add_parser("synth", help="synthesize every environment's stack into cdktf.out/")
    synth.add_argument("--outdir", type=arguments.output_dir, default=None,
                       help="defaults to cdktf.out/ in the repository")
    synth.add_argument("--quiet", action="store_true", help="print nothing on success")
    synth.set_defaults(func=_synth)

    policy = commands.add_parser("scan", help="policy scan of every stack (synthesizes first if stale)")
    policy.add_argument("--outdir", type=arguments.output_dir, default=None,
                        help="defaults to cdktf.out/ in the repository")
    policy.add_argument("--jobs", type=arguments.whole_number(1, 16, "checkov processes"), default=1,
                        help="checkov processes at once, stacks split between them; defaults to 1 (a shared "
                             "machine gains nothing from more)")
    policy.set_defaults(func=_scan)

    up = commands.add_parser("up", help="the main job: bring the local environment up on the embedded emulator")
    up.add_argument("--emulator-dir", type=arguments.output_dir, default=None,
                    help="defaults to $YSG_EMULATOR_DIR, else .local/emulator/ (git-ignored)")
    up.set_defaults(func=_up)

    validate = commands.add_parser(
        "validate", help="validate every environment file, write nothing; with --deployable ENV, also refuse "
        "example values there (exit 0 valid and deployable, 1 example values found, 2 invalid)")
    validate.add_argument("--deployable", metavar="ENV", default=None, type=arguments.environment,
                          help="also list ENV's example values (documentation ranges, example accounts, "
                               "example keys and certificates) and exit 1 if there are any")
    validate.add_argument("--environments-dir", type=arguments.existing_dir, default=ENVIRONMENTS_DIR,
                          help="the folder of environment files (default: environments/)")
    validate.set_defaults(func=_validate)

    app = commands.add_parser("app", help="run the Billing Ops app locally on the emulator (after `ysg up`)")
    app.add_argument("--emulator-dir", type=arguments.existing_dir, default=None,
                     help="the emulator's database folder; defaults to $YSG_EMULATOR_DIR, else .local/emulator/")
    app.add_argument("--port", type=arguments.whole_number(1, 65535, "TCP port"), default=8501)
    app.add_argument("--address", type=arguments.host, default="localhost", help="defaults to localhost only")
    app.set_defaults(func=_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # DuckDB's advice to fakesnow (fakesnow/cursor.py, `to_arrow_table` on every statement), printed on every
    # emulator query: nothing the user can act on, and it would break the one line a failure is said in.
    warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)
    try:
        return args.func(args)
    except ConfigError as exc:
        joined = "\n" if len(exc.problems) > 1 else " "
        print(f"configuration error, nothing written:{joined}{exc}", file=sys.stderr)
        return 2
    except HookDeclarationError as exc:
        print(f"hook refused, nothing written:\n{exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        # The project's own errors: what the user can fix, said in their message.
        print(f"ysg {args.command}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        # Snowflake's (or the emulator's) own answer: an unreachable account, a refused login, a missing
        # table. Caught by the connector's base class, looked up only if a command loaded the connector (it
        # is slow to import); anything else is a bug and keeps its traceback.
        connector_errors = sys.modules.get("snowflake.connector.errors")
        if connector_errors is None or not isinstance(exc, connector_errors.Error):
            raise
        said = " ".join(str(exc).split())
        print(f"ysg {args.command}: Snowflake answered with an error: {said}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
