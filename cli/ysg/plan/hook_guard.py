"""The prod guard for hooks: an added or changed hook whose statements destroy data in prod (delete rows,
truncate, overwrite or replace a table, drop an object or a column) needs an allowance, as a destroyed
resource does. Its address is `hook.<name>`; its action `destroy`, or `replace` for a CREATE OR REPLACE
of a table (README, "Allowing a destructive change in prod").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ysg.plan.allowances import PROTECTED_ENVIRONMENTS, Allowance
from ysg.plan.hooks import HookChange


@dataclass(frozen=True)
class HookGuarded:
    environment: str
    change: HookChange
    action: str                      # "destroy" or "replace"
    statements: tuple[str, ...]      # what destroys, statement by statement
    allowance: Allowance | None = None

    @property
    def address(self) -> str:
        return f"hook.{self.change.name}"


@dataclass
class HookGuardResult:
    allowed: list[HookGuarded] = field(default_factory=list)
    refused: list[HookGuarded] = field(default_factory=list)
    used: set[Allowance] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.refused


def guard_hooks(changes: dict[str, list[HookChange]], allowances: list[Allowance],
                today: dt.date | None = None) -> HookGuardResult:
    today = today or dt.date.today()
    live = [a for a in allowances if a.expires >= today]
    result = HookGuardResult()
    for environment, hook_changes in sorted(changes.items()):
        if environment not in PROTECTED_ENVIRONMENTS:
            continue
        for change in hook_changes:
            if change.action == "removed":      # the runner never drops what a removed hook created
                continue
            for action in ("destroy", "replace"):
                statements = tuple(what for kind, what in change.destroys if kind == action)
                if not statements:
                    continue
                match = next((a for a in live if a.environment == environment and a.address == f"hook.{change.name}"
                              and a.action == action), None)
                guarded = HookGuarded(environment, change, action, statements, match)
                if match is None:
                    result.refused.append(guarded)
                else:
                    result.used.add(match)
                    result.allowed.append(guarded)
    return result
