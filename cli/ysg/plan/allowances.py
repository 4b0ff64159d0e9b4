"""The prod guard: destroying, replacing or renaming a database, schema, landing table or stage in prod needs
an explicit allowance, committed in the same pull request so that it is reviewed with the change. A rename
(the name changed in place) keeps the object but breaks every consumer that names it: views, hooks, the app,
the Kafka connector, people's queries.

`environments/_allowances.yaml` lists them (README: "Allowing a destructive change in prod").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ysg.plan.codeowners import LOCATIONS, CodeownersError, owners
from ysg.plan.diff import ResourceChange
from ysg_core.errors import InputFileError, UserError, field_path
from ysg_core.safe_yaml import load_file

ALLOWANCES_FILE = Path("environments") / "_allowances.yaml"
PROTECTED_ENVIRONMENTS = frozenset({"prod"})
PROTECTED_TYPES = {
    "snowflake_database": "database",
    "snowflake_schema": "schema",
    "snowflake_table": "landing table",
    "snowflake_stage": "stage",
}
ACTIONS = {"delete": "destroy", "replace": "replace"}


def guarded_action(change: ResourceChange) -> str | None:
    """What the guard calls a change: destroy, replace, rename, or None when it does not guard it."""
    if change.action in ACTIONS:
        return ACTIONS[change.action]
    return "rename" if change.renamed else None


class AllowanceError(UserError, ValueError):
    """The allowances file is malformed; the message names the file and the field."""


class Allowance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    environment: str = Field(min_length=1)
    # A Terraform address, or `hook.<hook name>` for a hook's destructive statements (ysg.plan.hook_guard).
    address: str = Field(pattern=r"^(snowflake_[a-z0-9_]+\.[A-Za-z0-9_\-]+|hook\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$")
    action: Literal["destroy", "replace", "rename"]
    reason: str = Field(min_length=10)
    expires: dt.date

    @field_validator("environment")
    @classmethod
    def _a_guarded_environment(cls, value: str) -> str:
        # Any other name (`Prod`, `production`, `dev`) would match no change and be silently unused.
        if value not in PROTECTED_ENVIRONMENTS:
            raise ValueError(f"{value!r} is not an environment the prod guard protects (only "
                             f"{', '.join(sorted(PROTECTED_ENVIRONMENTS))}, as written: names are case-sensitive); "
                             "an allowance for it would never be used")
        return value

    @field_validator("reason")
    @classmethod
    def _reason_says_something(cls, value: str) -> str:
        if len(value.strip()) < 10:
            raise ValueError("a reason a reviewer can read: at least 10 characters")
        return value.strip()


class AllowancesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowances: list[Allowance] = Field(default_factory=list)


def load_allowances(repo: Path, relative: Path = ALLOWANCES_FILE) -> list[Allowance]:
    """The allowances of a checkout; none when the file does not exist.

    An allowance counts only if the file has a code owner: with branch protection requiring a code
    owner's review, the author of a pull request cannot approve their own destructive prod change. A
    file nobody owns would let them, so its allowances are refused (README, "First deploy").
    """
    path = Path(repo) / relative
    if not path.exists():
        return []
    try:
        data = load_file(path, str(relative))   # duplicate keys, aliases, ... refused (core/ysg_core/safe_yaml.py)
    except InputFileError as exc:
        raise AllowanceError(str(exc)) from None
    try:
        allowances = AllowancesFile.model_validate(data if data is not None else {}).allowances
    except ValidationError as exc:
        lines = [f"{relative}: {field_path(e['loc'])}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]
        raise AllowanceError("\n".join(lines)) from None
    try:
        owned_by = owners(repo, Path(relative).as_posix())
    except CodeownersError as exc:
        raise AllowanceError(str(exc)) from None
    if allowances and not owned_by:
        raise AllowanceError(f"{relative}: no code owner in {' or '.join(LOCATIONS)}; an allowance nobody but "
                             "its author reviews allows nothing. Give the file an owner and require code owner "
                             "review on main")
    return allowances


@dataclass(frozen=True)
class Guarded:
    environment: str
    change: ResourceChange
    allowance: Allowance | None = None

    @property
    def action(self) -> str:
        return guarded_action(self.change)

    @property
    def kind(self) -> str:
        return PROTECTED_TYPES[self.change.type]


@dataclass
class GuardResult:
    allowed: list[Guarded] = field(default_factory=list)
    refused: list[Guarded] = field(default_factory=list)
    expired: list[Allowance] = field(default_factory=list)
    unused: list[Allowance] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def guard(changes: dict[str, list[ResourceChange]], allowances: list[Allowance],
          today: dt.date | None = None) -> GuardResult:
    """Every destroy, replace or rename of a protected type in a protected environment needs a live allowance."""
    today = today or dt.date.today()
    live = [a for a in allowances if a.expires >= today]
    result = GuardResult(expired=[a for a in allowances if a.expires < today])
    used: set[Allowance] = set()
    for environment, env_changes in sorted(changes.items()):
        if environment not in PROTECTED_ENVIRONMENTS:
            continue
        for change in env_changes:
            action = guarded_action(change)
            if action is None or change.type not in PROTECTED_TYPES:
                continue
            match = next((a for a in live if a.environment == environment and a.address == change.address
                          and a.action == action), None)
            if match is None:
                result.refused.append(Guarded(environment, change))
            else:
                used.add(match)
                result.allowed.append(Guarded(environment, change, match))
    result.unused = [a for a in live if a not in used]
    return result
