"""A post-apply SQL hook: a file under sql/ that runs after `cdktf deploy`, declared in the tree.

It creates no Terraform resource. Synthesis collects the hooks of a stack, renders them and writes
the hook manifest (hooks.json) beside cdk.tf.json; the hook runner executes that manifest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from constructs import Construct

from ysg.config import REPO_ROOT
from ysg.hooks.manifest import RenderedHook
from ysg.hooks.render import render
from ysg.hooks.sqlcheck import check_statement

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
SQL_ROOT = "sql"


@dataclass(frozen=True)
class PostApplyHookProps:
    name: str                               # unique in the stack, "<layer>.<object>", e.g. "stg.v_usage_enriched"
    sql_file: str                           # repository-relative, under sql/
    params: dict[str, object] = field(default_factory=dict)  # typed by the file's placeholders
    # Defaults to no dependency: the hook may run as soon as Terraform has applied.
    depends_on: tuple[str, ...] = ()
    # Defaults to every environment.
    environments: tuple[str, ...] | None = None
    # Defaults to a hook the emulator runs too; a Snowflake-only hook must say why.
    snowflake_only: bool = False
    reason: str = ""


class PostApplyHook(Construct):
    def __init__(self, scope: Construct, id: str, props: PostApplyHookProps):
        super().__init__(scope, id)
        if not _NAME.fullmatch(props.name):
            raise ValueError(f"hook name {props.name!r}: expected '<layer>.<object>' in lower case, "
                             "e.g. 'stg.v_usage_enriched'")
        path = Path(props.sql_file)
        if path.is_absolute() or path.parts[:1] != (SQL_ROOT,) or ".." in path.parts or path.suffix != ".sql":
            raise ValueError(f"hook {props.name}: sql_file {props.sql_file!r} must be a .sql file under {SQL_ROOT}/")
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
        self._props = props
        # Render now, so a bad file or parameter fails where the hook is declared, naming the file.
        self._statements = render((REPO_ROOT / path).read_text(encoding="utf-8"), props.params,
                                  source=props.sql_file)
        self._checks = tuple(check_statement(s) for s in self._statements)

    @property
    def hook_name(self) -> str:
        return self._props.name

    @property
    def snowflake_only(self) -> bool:
        return self._props.snowflake_only

    @property
    def statements(self) -> tuple[str, ...]:
        return self._statements

    @property
    def checks(self):
        """How each statement was checked (ysg.hooks.sqlcheck.Check), in statement order."""
        return self._checks

    def runs_in(self, environment: str) -> bool:
        return self._props.environments is None or environment in self._props.environments

    def rendered(self) -> RenderedHook:
        props = self._props
        return RenderedHook(name=props.name, sql_file=props.sql_file, depends_on=tuple(props.depends_on),
                            snowflake_only=props.snowflake_only, reason=props.reason,
                            statements=self._statements)
