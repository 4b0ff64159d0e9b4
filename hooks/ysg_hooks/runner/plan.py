"""Each hook's state (new, changed, unchanged or skipped, and why), from the ledger's latest row per hook."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ysg_hooks.manifest import Manifest


@dataclass(frozen=True)
class LedgerRow:
    """A hook's latest row in the ledger."""
    hook: str
    checksum: str
    status: str
    recorded_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class HookPlan:
    name: str
    sql_file: str
    state: str                      # "new", "changed", "unchanged" or "skipped"
    reason: str = ""                # why changed or skipped; "" for new and unchanged

    @property
    def runs(self) -> bool:
        return self.state in ("new", "changed")


def plan_hooks(manifest: Manifest, ledger: dict[str, LedgerRow], skip_snowflake_only: bool) -> list[HookPlan]:
    """Every hook of the manifest, in its order, judged against its latest ledger row."""
    plans: dict[str, HookPlan] = {}
    for hook in manifest.hooks:
        row = ledger.get(hook.name)
        skipped_deps = [d for d in hook.depends_on if plans[d].state == "skipped"]
        rerun_deps = [d for d in hook.depends_on if plans[d].runs]
        if skip_snowflake_only and hook.snowflake_only:
            state, reason = "skipped", hook.reason or "needs a Snowflake-only service"
        elif skipped_deps:
            state, reason = "skipped", f"depends on skipped hook {', '.join(skipped_deps)}"
        elif row is None:
            state, reason = "new", ""
        elif row.status == "applied" and row.checksum == hook.checksum and rerun_deps:
            # What a dependency re-creates drops what was built on it: a CREATE OR REPLACE loses the
            # object's grants, a replaced table the views' binding. So its dependants run again too.
            state, reason = "changed", f"re-applied after {', '.join(rerun_deps)}, which it depends on"
        elif row.status == "applied" and row.checksum == hook.checksum:
            state, reason = "unchanged", ""
        elif row.status == "applied":
            state, reason = "changed", f"SQL changed since {row.checksum[:19]} was applied"
        elif row.status == "failed":
            state, reason = "changed", f"last attempt failed: {(row.error or '').strip()[:200]}"
        else:
            state, reason = "changed", "last attempt was interrupted before it recorded a result"
        plans[hook.name] = HookPlan(name=hook.name, sql_file=hook.sql_file, state=state, reason=reason)
    return list(plans.values())
