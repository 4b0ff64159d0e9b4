"""What a hook run did, and the text `ysg hooks apply` prints for it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class HookFailure:
    hook: str
    sql_file: str
    statement_index: int            # 1-based position in the hook; 0 when no statement ran
    statement: str
    error: str

    def describe(self) -> str:
        return f"hook {self.hook} ({self.sql_file}) failed at statement {self.statement_index}: {self.error}"


@dataclass
class ApplyReport:
    environment: str
    run_id: str
    dry_run: bool = False
    applied: list[str] = field(default_factory=list)
    would_apply: list[str] = field(default_factory=list)     # dry run only
    unchanged: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)   # hook -> reason
    # Every hook that failed, in the order they failed: hooks already running when the first one failed
    # finish, and may fail too.
    failures: list[HookFailure] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)         # would have run, stopped by the failure
    interrupted: list[str] = field(default_factory=list)     # left `running` by a dead run, run again
    statements_executed: int = 0    # hook statements sent to the target (ledger/lock bookkeeping excluded)
    bookkeeping_statements: int = 0 # ledger and lock statements
    timings: dict[str, float] = field(default_factory=dict)  # hook -> seconds
    wall_seconds: float = 0.0

    @property
    def failed(self) -> HookFailure | None:
        """The first failure, or None."""
        return self.failures[0] if self.failures else None

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_text(self) -> str:
        lines = []
        verb = "would apply" if self.dry_run else "applied"
        for name in (self.would_apply if self.dry_run else self.applied):
            timing = f"  {self.timings[name]:.2f}s" if name in self.timings else ""
            lines.append(f"  {verb:<11} {name}{timing}")
        for name in self.unchanged:
            lines.append(f"  {'unchanged':<11} {name}")
        for name, reason in self.skipped.items():
            lines.append(f"  {'skipped':<11} {name}: {reason}")
        for f in self.failures:
            lines.append(f"  {'FAILED':<11} {f.hook} ({f.sql_file}, statement {f.statement_index}): {f.error}")
            if f.statement:
                lines.append(f"              statement: {f.statement.strip()[:400]}")
        for name in self.not_run:
            lines.append(f"  {'not run':<11} {name} (stopped at the failure{'s' if len(self.failures) > 1 else ''} above)")
        if self.dry_run:
            summary = f"dry run: {len(self.would_apply)} would apply, nothing executed"
        elif not self.applied and self.ok:
            summary = "nothing to do: every hook is unchanged or skipped"
        else:
            summary = (f"{len(self.applied)} applied, {len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
                       f"{f', {len(self.failures)} failed' if self.failures else ''}; {self.statements_executed} statements "
                       f"in {self.wall_seconds:.1f}s")
        return "\n".join([f"hooks {self.environment}: {summary}", *lines])
