"""Commands that act on a live environment: `ysg hooks plan|apply`, `ysg deploy`, `ysg query`.

Kept apart from `ysg/cli.py`, which only registers them, so the CLI stays a small file many hands edit.
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

from ysg import arguments
from ysg.errors import ConfigError, ConnectionConfigError, HookRunnerError, LockHeld, UserError
from ysg.hooks.manifest import MANIFEST_FILE, Manifest, ManifestError, file_checksum, load_manifest
from ysg.paths import (DEFAULT_OUTDIR, ENVIRONMENTS_DIR, NODE_TOOL_ENV, REPO_ROOT, TERRAFORM_REQUIRED_VERSION,
                       cdktf_binary, environment_files, newer_source, stack_dir)

if TYPE_CHECKING:
    from ysg.config import EnvironmentConfig

OUTDIR = DEFAULT_OUTDIR
READ_ONLY_KINDS = "SELECT, WITH, SHOW or DESCRIBE"


class QueryRefused(UserError, ValueError):
    """The query is not one read-only statement."""


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
    query.add_argument("--role", type=arguments.role, default=None,
                       help="Snowflake role to query as (default: the environment's read-only analyst role)")
    query.set_defaults(func=_query)


# --- shared -----------------------------------------------------------------------------------------

def _config(env: str) -> EnvironmentConfig:
    path = ENVIRONMENTS_DIR / f"{env}.yaml"
    if env.startswith("_") or not path.is_file():
        known = [p.stem for p in environment_files()]
        raise ConfigError([f"environments/{env}.yaml: no such environment (known: {', '.join(known)})"])
    from ysg.config import load_environment

    return load_environment(path)


def manifest_for(config: EnvironmentConfig, outdir: Path | None = None) -> Manifest:
    """The environment's hook manifest, synthesizing first when it is missing or older than its sources."""
    path = _manifest_path(config, outdir)
    stale_by = newer_source(path)
    if stale_by is not None:
        from ysg_stacks.app import synthesize

        why = "missing" if not path.exists() else f"older than {stale_by.relative_to(REPO_ROOT)}"
        print(f"{path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path} is {why}: synthesizing",
              file=sys.stderr)
        synthesize(outdir or OUTDIR)
        if not path.exists():
            raise ManifestError(f"{path}: synthesis wrote no hook manifest for {config.names.stack}")
    manifest = load_manifest(path)
    if manifest.environment != config.name or manifest.target != config.target:
        raise ManifestError(f"{path}: written for {manifest.environment} ({manifest.target}), "
                            f"expected {config.name} ({config.target}); synthesize again")
    return manifest


def _manifest_path(config: EnvironmentConfig, outdir: Path | None = None) -> Path:
    return stack_dir(outdir or OUTDIR, config.names.stack) / MANIFEST_FILE


def _runner(config: EnvironmentConfig, manifest: Manifest, connect, max_workers: int = 4):
    from ysg.hooks.runner import HookRunner

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
        except (ConfigError, ConnectionConfigError, ManifestError, QueryRefused, HookRunnerError) as exc:
            print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
            return 2
    return wrapper


# --- hooks ------------------------------------------------------------------------------------------

@_guarded
def _hooks_plan(args: argparse.Namespace) -> int:
    from ysg.connection import environment_connection

    config = _config(args.env)
    with environment_connection(config, connection_name=args.connection) as connect:   # credentials first
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
    from ysg.connection import environment_connection

    config = _config(args.env)
    if args.expect_checksum and not args.manifest:
        raise ManifestError("--expect-checksum checks a --manifest; give the manifest file too")
    with environment_connection(config, connection_name=args.connection) as connect:   # credentials first
        manifest = planned_manifest(config, args.manifest, args.expect_checksum) if args.manifest \
            else manifest_for(config)
        report = _runner(config, manifest, connect, args.max_workers).apply(dry_run=args.dry_run)
    print(report.to_text())
    return 0 if report.ok else 1


def planned_manifest(config: EnvironmentConfig, path: Path, expected: str | None) -> Manifest:
    """The manifest file as it is, for the environment, and (given `expected`) the very one planned:
    Terraform's hook trigger passes the checksum it was planned with, so a synthesis between plan and
    apply cannot slip other SQL in."""
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
    return manifest


# --- deploy -----------------------------------------------------------------------------------------

@_guarded
def _deploy(args: argparse.Namespace) -> int:
    from ysg.connection import connection_factory

    config = _config(args.env)
    if config.target != "snowflake":
        raise ConnectionConfigError(f"{config.name} runs on the emulator, there is nothing to deploy: use `ysg up`")
    from ysg.deployable import environment_examples   # the configuration model: loaded only by commands that need it

    examples = environment_examples(config.name)
    if examples:
        print(f"refused: {config.name} still holds {len(examples)} example value(s) (README, \"First deploy\"):",
              file=sys.stderr)
        for example in examples:
            print(f"  {example}", file=sys.stderr)
        return 1
    connection_factory(config, connection_name=args.connection)  # credentials first: fail before Terraform
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

def check_read_only(sql: str) -> str:
    """Return `sql` if it is exactly one SELECT/WITH/SHOW/DESCRIBE statement, parsed as Snowflake SQL."""
    import sqlglot
    from sqlglot import exp

    try:
        statements = [s for s in sqlglot.parse(sql, read="snowflake") if s is not None]
    except sqlglot.errors.ParseError as exc:
        raise QueryRefused(f"the query does not parse as Snowflake SQL: {exc}") from None
    if len(statements) != 1:
        raise QueryRefused(f"expected exactly one statement, got {len(statements)}")
    (tree,) = statements
    if isinstance(tree, exp.Command):
        if tree.name.upper() not in ("SHOW", "DESCRIBE", "DESC"):
            raise QueryRefused(f"only {READ_ONLY_KINDS} is allowed, got {tree.name.upper()}")
        return sql
    if not isinstance(tree, (exp.Query, exp.Show, exp.Describe)):
        raise QueryRefused(f"only {READ_ONLY_KINDS} is allowed, got {tree.key.upper()}")
    writes = (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter, exp.Command)
    for node in tree.walk():
        if isinstance(node, writes):
            raise QueryRefused(f"the query contains a {node.key.upper()}; only {READ_ONLY_KINDS} is allowed")
        if isinstance(node, exp.Func) and (node.name or "").upper().startswith("SYSTEM$"):
            raise QueryRefused(f"{node.name.upper()} is refused: SYSTEM$ functions can change account state")
        if isinstance(node, exp.Into):
            raise QueryRefused("SELECT ... INTO writes a table; only reads are allowed")
    return sql


def run_read_only(connect, sql: str, *, role: str | None = None) -> tuple[list[str], list[tuple]]:
    """Run one checked query inside a transaction that is always rolled back, as `role` if given."""
    check_read_only(sql)
    conn = connect()
    try:
        cursor = conn.cursor()
        if role:
            from ysg.naming import identifier

            cursor.execute(f"USE ROLE {identifier(role, what='role')}")
        cursor.execute("BEGIN")
        try:
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
        finally:
            cursor.execute("ROLLBACK")
        return columns, rows
    finally:
        conn.close()


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
    from ysg.connection import environment_connection

    check_read_only(args.sql)   # refuse before connecting
    config = _config(args.env)
    role = args.role or (config.names.roles.analyst if config.target == "snowflake" else None)
    with environment_connection(config, connection_name=args.connection) as connect:
        columns, rows = run_read_only(connect, args.sql, role=role)
    print(format_rows(columns, rows, args.format))
    return 0
