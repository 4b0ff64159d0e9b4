"""What a post-apply hook declaration is, turning one into checked SQL, and a manifest from declarations:
plain Python, no jsii, no construct (a hook creates no Terraform resource), so synthesis can prepare
every environment's hooks on a second thread while the jsii runtime starts (`ysg_stacks.app`), and
`ysg hooks apply` can derive the manifest synthesis writes without it.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ysg_core.errors import HookDeclarationError
from ysg_core.naming import identifier
from ysg_core.paths import REPO_ROOT
from ysg_core.render import render
from ysg_core.sqlcheck import Check, SqlCheckError, check_statement
from ysg_hooks.effects import Effect, judge, read_all
from ysg_hooks.manifest import Manifest, RenderedHook, Write, ordered

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
SQL_ROOT = "sql"


def sql_file_of(name: str) -> str:
    """A hook's SQL file, named after it: "analytics.dim_customer" is sql/analytics/dim_customer.sql."""
    return f"{SQL_ROOT}/{name.replace('.', '/')}.sql"


@dataclass(frozen=True)
class HookDeclaration:
    # Unique in the stack, "<layer>.<object>", e.g. "stg.v_usage_enriched"; also its SQL file (`sql_file`).
    name: str
    params: dict[str, object] = field(default_factory=dict)  # typed by the file's placeholders
    # Defaults to no dependency: the hook may run as soon as Terraform has applied.
    depends_on: tuple[str, ...] = ()
    # Defaults to every environment.
    environments: tuple[str, ...] | None = None
    # Defaults to a hook the emulator runs too; a Snowflake-only hook must say why.
    snowflake_only: bool = False
    reason: str = ""
    # Defaults to the role the runner pins for the environment (its pipeline role). Another role only
    # where Snowflake needs the object to belong to it, e.g. a Streamlit app runs as the role that created it.
    role: str | None = None
    # The objects the hook creates, named in full (<database>.<schema>.<name>): exactly those its
    # statements create (checked both ways). It may do anything to them, and nothing destructive to any
    # other object. Defaults to none: a hook that only writes or grants.
    creates: tuple[str, ...] = ()
    # Objects it writes without creating them, each with the operations and the reason (effects.Write):
    # INSERT, UPDATE, DELETE, DELETE ALL, MERGE, SET MASKING POLICY or PUT, nothing else. Defaults to none.
    writes: tuple[Write, ...] = ()

    @property
    def sql_file(self) -> str:
        """Repository-relative: sql/<layer>/<object>.sql."""
        return sql_file_of(self.name)

    def runs_in(self, environment: str) -> bool:
        return self.environments is None or environment in self.environments


@dataclass(frozen=True)
class PreparedHook:
    statements: tuple[str, ...]
    checks: tuple[Check, ...]     # how each statement was checked, in statement order
    effects: tuple[tuple[Effect, ...], ...] = ()   # what each statement does to which object


# Rendered and checked declarations, keyed by everything the result depends on (the file's text
# included), so a second preparation of the same declaration is a lookup and a changed file is not.
_prepared: dict[tuple, PreparedHook] = {}
_prepared_lock = threading.Lock()


def prepare(props: HookDeclaration) -> PreparedHook:
    """Validate a declaration, render its file, check every statement and what it does against what the
    declaration says; raise HookDeclarationError naming the hook (and the file, with the line or the
    statement number) on anything wrong."""
    try:
        return _prepare(props)
    except HookDeclarationError:
        raise
    except ValueError as exc:   # RenderError, SqlCheckError, UnreadableStatement and the checks below
        raise HookDeclarationError(str(exc)) from None


def _prepare(props: HookDeclaration) -> PreparedHook:
    if not _NAME.fullmatch(props.name):   # also what keeps its file under sql/: no '/', no '..'
        raise ValueError(f"hook name {props.name!r}: expected '<layer>.<object>' in lower case, "
                         "e.g. 'stg.v_usage_enriched'")
    path = Path(props.sql_file)
    if not (REPO_ROOT / path).is_file():
        raise ValueError(f"hook {props.name}: no file at {props.sql_file}")
    if props.snowflake_only and not props.reason.strip():
        raise ValueError(f"hook {props.name}: a Snowflake-only hook needs a reason (shown when skipped)")
    if not props.snowflake_only and props.reason:
        raise ValueError(f"hook {props.name}: a reason is only for Snowflake-only hooks")
    if props.environments is not None and not props.environments:
        raise ValueError(f"hook {props.name}: environments is empty; leave it out to run everywhere")
    if props.name in props.depends_on:
        raise ValueError(f"hook {props.name}: depends on itself")
    if props.role is not None:
        identifier(props.role, what=f"hook {props.name} role")
    text = (REPO_ROOT / path).read_text(encoding="utf-8")
    key = (props.sql_file, text, tuple(sorted((k, type(v).__name__, repr(v)) for k, v in props.params.items())))
    with _prepared_lock:
        done = _prepared.get(key)
    where = f"hook {props.name} ({props.sql_file})"
    if done is None:
        statements = render(text, props.params, source=props.sql_file)
        read = read_all(statements, where)     # first: it says best why a statement cannot run
        done = PreparedHook(statements=statements, checks=_checked(statements, where), effects=read)
        with _prepared_lock:
            _prepared[key] = done
    judge(done.effects, props.creates, props.writes, where)   # cheap, so not cached
    return done


def _checked(statements: tuple[str, ...], where: str) -> tuple[Check, ...]:
    checks = []
    for index, statement in enumerate(statements, start=1):
        try:
            checks.append(check_statement(statement))
        except SqlCheckError as exc:
            raise HookDeclarationError(f"{where} statement {index}: {exc}") from None
    return tuple(checks)


def rendered(props: HookDeclaration) -> RenderedHook:
    """The manifest entry of a declaration: what synthesis writes into hooks.json for it."""
    prepared = prepare(props)
    return RenderedHook(name=props.name, sql_file=props.sql_file, depends_on=tuple(props.depends_on),
                        snowflake_only=props.snowflake_only, reason=props.reason, statements=prepared.statements,
                        role=props.role, creates=tuple(props.creates), writes=tuple(props.writes))


def prepare_quietly(props: HookDeclaration) -> None:
    """Prepare ahead of time; an error is left for the declaration itself to raise, where it belongs."""
    try:
        prepare(props)
    except Exception:  # noqa: BLE001 - the declaration raises it again, in its own place
        pass


def manifest_of(declarations: list[HookDeclaration], *, environment: str, stack: str, target: str,
                role: str | None, warehouse: str | None) -> Manifest:
    """The manifest (hooks.json) of one environment: its hooks rendered and checked, in dependency order,
    with the role and warehouse the runner pins on every connection."""
    return Manifest(environment=environment, stack=stack, target=target, role=role, warehouse=warehouse,
                    hooks=ordered([rendered(d) for d in declarations if d.runs_in(environment)]))
