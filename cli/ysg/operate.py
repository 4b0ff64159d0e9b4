"""Commands that act on a live environment: `ysg hooks plan|apply`, `ysg deploy`, `ysg query`.

Kept apart from `cli/ysg/cli.py`, which only registers them, so the CLI stays a small file many hands edit.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from typing import TYPE_CHECKING

from ysg import arguments, connection
from ysg.query import QueryRefused, ReadOnlySession, check_read_only, run_read_only  # noqa: F401 (re-exported)
from ysg_core.errors import ConfigError, ConnectionConfigError, LockHeld, UserError
from ysg_core.naming import InvalidIdentifier, environment_name
from ysg_core.paths import (DEFAULT_OUTDIR, ENVIRONMENTS_DIR, NODE_TOOL_ENV, REPO_ROOT, TERRAFORM_REQUIRED_VERSION,
                            cdktf_binary, environment_files, stack_dir)
from ysg_hooks.manifest import MANIFEST_FILE, Manifest, ManifestError, file_checksum, load_manifest

if TYPE_CHECKING:   # the environment model loads pydantic: imported where a command needs it (ysg/cli.py)
    from ysg_core.config import EnvironmentConfig

OUTDIR = DEFAULT_OUTDIR


class QueryFailed(UserError):
    """Snowflake (or the emulator) refused a query the guard let through: a missing table, say."""

def register(commands: argparse._SubParsersAction) -> None:
    hooks = commands.add_parser("hooks", help="plan or apply an environment's post-apply SQL hooks")
    hook_commands = hooks.add_subparsers(dest="hooks_command", required=True)
    plan = hook_commands.add_parser("plan", help="each hook as new, changed, unchanged or skipped")
    apply = hook_commands.add_parser("apply", help="run new and changed hooks in dependency order")
    apply.add_argument("--dry-run", action="store_true", help="show what would run; execute nothing")
    apply.add_argument("--max-workers", type=arguments.whole_number(1, 32, "hooks at once"), default=4,
                       help="hooks run concurrently (default 4)")
    # How `cdktf deploy` runs the hooks (the stack's hook trigger): exactly the manifest Terraform planned.
    apply.add_argument("--manifest", type=arguments.existing_file, default=None,
                       help="apply this hooks.json as it is, never synthesizing (default: the environment's, "
                            "synthesized first when stale)")
    apply.add_argument("--expect-checksum", type=arguments.sha256, default=None, metavar="SHA256",
                       help="refuse a --manifest whose checksum differs (the one Terraform planned)")
    for sub, func in ((plan, _hooks_plan), (apply, _hooks_apply)):
        sub.add_argument("env", type=arguments.environment)
        sub.add_argument("--connection", type=arguments.connection_name, default=None,
                         help="a connection name in connections.toml")
        sub.set_defaults(func=func)

    deploy = commands.add_parser("deploy", help="check the environment (no example values, credentials), then "
                                 "cdktf deploy billing-<env>, which applies the hooks last")
    deploy.add_argument("env", type=arguments.environment)
    deploy.add_argument("--connection", type=arguments.connection_name, default=None,
                        help="a connection name in connections.toml")
    deploy.set_defaults(func=_deploy)

    query = commands.add_parser("query", help="run one read-only query on an environment and print the rows")
    query.add_argument("env", type=arguments.environment)
    query.add_argument("sql")
    query.add_argument("--format", choices=("json", "table"), default="table")
    query.add_argument("--connection", type=arguments.connection_name, default=None,
                       help="a connection name in connections.toml")
    # No --role: the query runs as the environment's read-only analyst role, pinned on the connection.
    query.set_defaults(func=_query)


# --- shared -----------------------------------------------------------------------------------------

def _config(env: str) -> EnvironmentConfig:
    try:   # a name, never a path: `keys/../prod` would otherwise read prod.yaml and act on prod
        environment_name(env)
    except InvalidIdentifier as exc:
        raise ConfigError([str(exc)]) from None
    path = ENVIRONMENTS_DIR / f"{env}.yaml"
    if env.startswith("_") or not path.is_file():
        known = [p.stem for p in environment_files()]
        raise ConfigError([f"environments/{env}.yaml: no such environment (known: {', '.join(known)})"])
    from ysg_core.config import load_environment   # lazy: pydantic (ysg/cli.py says why)

    return load_environment(path)


def manifest_for(config: EnvironmentConfig, outdir: Path | None = None) -> Manifest:
    """The environment's hook manifest, synthesizing first when it is missing or is not what the current
    sources synthesize (judged by content, not by modification times: a deleted knowledge document, a
    file restored with an old timestamp, a hand-edited hooks.json all count)."""
    expected = expected_manifest(config)
    path = _manifest_path(config, outdir)
    # A file that fails its own checks (a checksum that does not match) is refused, not overwritten.
    current = load_manifest(path) if path.exists() else None
    if current is None or current.to_json() != expected.to_json():
        shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
        why = "missing" if not path.exists() else "not what the current sources synthesize"
        print(f"{shown} is {why}: synthesizing", file=sys.stderr)
        from ysg_stacks.app import synthesize   # lazy: pydantic, sqlglot and jsii (ysg/cli.py)

        synthesize(outdir or OUTDIR)
        if not path.exists():
            raise ManifestError(f"{path}: synthesis wrote no hook manifest for {config.names.stack}")
        current = load_manifest(path)
    same_as_synthesis(current, expected, path)
    return current


def expected_manifest(config: EnvironmentConfig) -> Manifest:
    """What synthesis of the current sources writes for the environment (its hooks, rendered and checked
    again from sql/, data/ and app/, without the jsii runtime)."""
    from ysg_stacks.data_hooks import hook_manifest   # lazy: pydantic and sqlglot (ysg/cli.py)

    return hook_manifest(config)


def same_as_synthesis(found: Manifest, expected: Manifest, path: Path) -> None:
    """Refuse a manifest that is not, byte for byte, what synthesis of the current sources writes; say
    where it differs. A checksum recomputed by hand does not make an edited statement one synthesis wrote."""
    if found.to_json() == expected.to_json():
        return
    mine, theirs = found.by_name(), expected.by_name()
    if set(mine) != set(theirs):
        extra, missing = sorted(set(mine) - set(theirs)), sorted(set(theirs) - set(mine))
        detail = "; ".join(part for part in (f"hooks the sources do not declare: {', '.join(extra)}" if extra else "",
                                             f"hooks it lacks: {', '.join(missing)}" if missing else "") if part)
    else:
        changed = [name for name in theirs if mine[name] != theirs[name]]
        if changed:
            name = changed[0]
            index = next((i for i, (a, b) in enumerate(zip(mine[name].statements, theirs[name].statements), 1)
                          if a != b), None)
            what = f"statement {index}" if index else "its declaration or statement count"
            detail = f"hook {name} ({theirs[name].sql_file}): {what} differs"
        else:
            detail = "the environment, the role or warehouse it runs as, or the order"
    raise ManifestError(f"{path}: not what synthesis of the current sources writes ({detail}); refusing to apply "
                        "it. Synthesize again (`ysg synth`), then plan and apply again")


def _manifest_path(config: EnvironmentConfig, outdir: Path | None = None) -> Path:
    return stack_dir(outdir or OUTDIR, config.names.stack) / MANIFEST_FILE


def _runner(config: EnvironmentConfig, manifest: Manifest, connect, max_workers: int = 4):
    from ysg_hooks.runner import HookRunner   # lazy: the Snowflake connector, with pandas (ysg/cli.py)

    return HookRunner(manifest, connect, ledger_database=config.database.name, max_workers=max_workers,
                      skip_snowflake_only=config.target == "emulator")


def _guarded(func):
    """Turn the errors a user can act on into one clear line and an exit code."""
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except LockHeld as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 3
        # Every other error a user can act on is a UserError: the command line says it in one line, exit 2.
    return wrapper


# --- hooks ------------------------------------------------------------------------------------------

@_guarded
def _hooks_plan(args: argparse.Namespace) -> int:
    config = _config(args.env)
    with connection.environment_connection(config, connection_name=args.connection) as connect:   # credentials first
        plans = _runner(config, manifest_for(config), connect).plan()
    width = max((len(p.name) for p in plans), default=0)
    print(f"hooks {config.name} ({config.names.stack}, {config.target}): "
          f"{sum(p.runs for p in plans)} to run of {len(plans)}")
    for p in plans:
        note = f"  {p.reason}" if p.reason else ""
        print(f"  {p.state:<9} {p.name:<{width}}  {p.sql_file}{note}")
    return 0


@_guarded
def _hooks_apply(args: argparse.Namespace) -> int:
    config = _config(args.env)
    if args.expect_checksum and not args.manifest:
        raise ManifestError("--expect-checksum checks a --manifest; give the manifest file too")
    with connection.environment_connection(config, connection_name=args.connection) as connect:   # credentials first
        manifest = planned_manifest(config, args.manifest, args.expect_checksum) if args.manifest \
            else manifest_for(config)
        report = _runner(config, manifest, connect, args.max_workers).apply(dry_run=args.dry_run)
    print(report.to_text())
    return 0 if report.ok else 1


def planned_manifest(config: EnvironmentConfig, path: Path, expected: str | None) -> Manifest:
    """The manifest file as it is, for the environment, and (given `expected`) the very one planned:
    Terraform's hook trigger passes the checksum it was planned with, so a synthesis between plan and
    apply cannot slip other SQL in; and it must be what synthesis of the current sources writes, so an
    edited hooks.json (its checksums recomputed) is refused, not applied."""
    path = Path(path)
    if expected is not None:
        try:
            found = file_checksum(path)
        except OSError as exc:
            raise ManifestError(f"{path}: cannot read the hook manifest ({exc.strerror})") from None
        if found != expected:
            raise ManifestError(f"{path}: checksum {found} is not the planned {expected}; "
                                "the manifest changed after the plan, plan and apply again")
    manifest = load_manifest(path)
    if manifest.environment != config.name or manifest.target != config.target:
        raise ManifestError(f"{path}: written for {manifest.environment} ({manifest.target}), "
                            f"not {config.name} ({config.target})")
    same_as_synthesis(manifest, expected_manifest(config), path)
    return manifest


# --- deploy -----------------------------------------------------------------------------------------

@_guarded
def _deploy(args: argparse.Namespace) -> int:
    config = _config(args.env)
    if config.target != "snowflake":
        raise ConnectionConfigError(f"{config.name} runs on the emulator, there is nothing to deploy: use `ysg up`")
    from ysg_core.deployable import environment_examples   # lazy: pydantic and cryptography (ysg/cli.py)

    examples = environment_examples(config.name)
    if examples:
        print(f"refused: {config.name} still holds {len(examples)} example value(s) (README, \"First deploy\"):",
              file=sys.stderr)
        for example in examples:
            print(f"  {example}", file=sys.stderr)
        return 1
    connection.connection_factory(config, connection_name=args.connection)  # credentials first: fail before Terraform
    command = deploy_command(config)
    print(f"$ {' '.join(command)}", file=sys.stderr)
    # The hooks run inside: the stack's hook trigger applies them after every other resource, and a hook
    # failure fails the deploy (ysg_constructs.hook_trigger). This command only checks first.
    completed = subprocess.run(command, cwd=REPO_ROOT, env={**os.environ, **NODE_TOOL_ENV}, check=False)
    if completed.returncode != 0:
        print(f"cdktf deploy {config.names.stack} failed (exit {completed.returncode}); its output says whether "
              "a resource or a post-apply hook failed", file=sys.stderr)
    return completed.returncode


def deploy_command(config: EnvironmentConfig, repo_root: Path = REPO_ROOT) -> list[str]:
    """The cdktf command that deploys one environment, or a clear error when a tool is missing."""
    cdktf = cdktf_binary(repo_root)
    if not cdktf.exists():
        raise ConnectionConfigError(f"{cdktf.relative_to(repo_root)} is missing: run `make setup` (npm ci)")
    terraform = os.environ.get("TERRAFORM_BINARY_NAME", "terraform")
    if shutil.which(terraform) is None:
        raise ConnectionConfigError(f"Terraform is not installed ({terraform!r} is not on PATH): cdktf deploy "
                                    f"needs it; install Terraform {TERRAFORM_REQUIRED_VERSION} or set TERRAFORM_BINARY_NAME")
    return [str(cdktf), "deploy", config.names.stack, "--auto-approve"]


# --- query ------------------------------------------------------------------------------------------

def format_rows(columns: list[str], rows: list[tuple], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], indent=2, default=_json_value)
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _text(value) -> str:
    if value is None:
        return "NULL"
    return value if isinstance(value, str) else str(_json_value(value))


@_guarded
def _query(args: argparse.Namespace) -> int:
    check_read_only(args.sql)   # refuse before connecting
    config = _config(args.env)
    with connection.environment_connection(config, connection_name=args.connection) as connect:
        if config.target == "snowflake":
            # The barrier: a role that cannot write (the analyst role holds only reads), on the
            # environment's warehouse, with no secondary roles; the allow-list above is the first check.
            session = ReadOnlySession(role=config.names.roles.analyst, warehouse=config.names.warehouse)
        else:
            from ysg.emulator import without_file_access   # lazy: sqlglot (ysg/cli.py)

            # The emulator has no roles: its stand-in barrier is DuckDB with file access turned off.
            connect, session = without_file_access(connect), ReadOnlySession(None, None, setup=())
        from snowflake.connector.errors import Error as DriverError

        try:
            columns, rows = run_read_only(connect, args.sql, session)
        except DriverError as exc:   # the query's own error (a missing table, say): bad input, one line
            message = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise QueryFailed(f"failed on {config.name}: {message}") from None
    print(format_rows(columns, rows, args.format))
    return 0
