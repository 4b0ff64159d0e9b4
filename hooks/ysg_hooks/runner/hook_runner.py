"""`HookRunner`: plans one environment's hooks against its ledger, and applies them under its lock."""
from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

from ysg_core import naming
from ysg_core.paths import REPO_ROOT
from ysg_hooks.manifest import Manifest, verify_manifest
from ysg_hooks.runner.heartbeat import Heartbeat
from ysg_hooks.runner.ledger import Counter, Ledger
from ysg_hooks.runner.lock import HookLock, default_owner
from ysg_hooks.runner.plan import HookPlan, plan_hooks
from ysg_hooks.runner.report import ApplyReport
from ysg_hooks.runner.scheduler import Scheduler
from ysg_hooks.runner.snapshot import Snapshot, ledger_after_acquire, snapshot_sql
from ysg_hooks.runner.writer import LedgerWriter

DEFAULT_LOCK_TTL_SECONDS = 1800

Connect = Callable[..., Any]


class HookRunner:
    """Plans and applies one environment's hooks.

    `connect` is a callable returning a DB-API connection (snowflake-connector-python, or fakesnow),
    given the session's `role` and `warehouse` as keyword arguments. The runner opens one connection per
    worker thread, one for the lock, and one that reads the ledger while the lock is taken and then
    writes it: DB-API connections (and DuckDB's, under fakesnow) are never used by two threads at once,
    only handed from one to the next, and hooks that `USE` a schema cannot disturb each other's session.
    """

    def __init__(self, manifest: Manifest, connect: Connect, *, ledger_database: str, max_workers: int = 4,
                 lock_ttl_seconds: int = DEFAULT_LOCK_TTL_SECONDS, skip_snowflake_only: bool = False,
                 owner: str | None = None, files_root: Path = REPO_ROOT):
        """`files_root`: what the manifest's `PUT 'file://<path>'` paths are relative to (the repository
        root, wherever the runner was started: `cdktf deploy` starts it in the stack's folder)."""
        verify_manifest(manifest)
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, got {max_workers}")
        if lock_ttl_seconds < 1:
            raise ValueError(f"lock_ttl_seconds must be at least 1, got {lock_ttl_seconds}")
        self.manifest = manifest
        self.connect = connect
        # Pinned on every connection the runner opens (connector parameters, no statement of their own):
        # the manifest's role and warehouse, never the user's defaults.
        self._session = {key: value for key, value in (("role", manifest.role), ("warehouse", manifest.warehouse))
                         if value is not None}
        self.database = naming.identifier(ledger_database, what="ledger database")
        self.max_workers = max_workers
        self.lock_ttl = timedelta(seconds=lock_ttl_seconds)
        self.skip_snowflake_only = skip_snowflake_only
        self.owner = owner or default_owner()
        self.files_root = Path(files_root).resolve()
        self.ledger = Ledger(self.database)
        self.lock = HookLock(self.ledger, self.owner, self.lock_ttl)

    def open(self, role: str | None = None) -> Any:
        """A new connection with the manifest's role and warehouse, or `role` instead of its role. In
        Snowflake also without secondary roles, so a hook acts with its pinned role's privileges only:
        "Authorization to perform any SQL action other than creating objects can be provided by secondary
        roles" (https://docs.snowflake.com/sql-reference/sql/use-role); NONE: "The authorization for all
        SQL actions is provided via the primary role" (.../sql-reference/sql/use-secondary-roles). The
        emulator has no roles."""
        conn = self.connect(**{**self._session, **({"role": role} if role else {})})
        if self.manifest.target == "snowflake":
            cursor = conn.cursor()
            try:
                cursor.execute("USE SECONDARY ROLES NONE")
            finally:
                cursor.close()
        return conn

    def plan(self) -> list[HookPlan]:
        conn = self.open()
        try:
            return plan_hooks(self.manifest, self.ledger.read(conn.cursor()), self.skip_snowflake_only)
        finally:
            conn.close()

    def apply(self, dry_run: bool = False) -> ApplyReport:
        started = time.perf_counter()
        report = ApplyReport(environment=self.manifest.environment, run_id=uuid.uuid4().hex[:12], dry_run=dry_run)
        if dry_run:
            plans = self.plan()   # reads the ledger; writes nothing, takes no lock
            _fill_from_plan(report, plans)
            report.would_apply = [p.name for p in plans if p.runs]
            report.wall_seconds = time.perf_counter() - started
            return report

        counter = Counter()
        # The ledger is read on a second connection while the control connection takes the lock: one
        # round trip instead of two before the first hook (see ledger_after_acquire for why it is safe).
        snapshot = Snapshot(self.open, snapshot_sql(self.ledger), counter)
        try:
            control = self.open()
            try:
                cursor = control.cursor()
                try:
                    created = self.lock.acquire(cursor, report.run_id, counter)
                finally:
                    snapshot.join()
                writer, held = None, []
                try:
                    ledger = ledger_after_acquire(snapshot, created, self.ledger, cursor, report.run_id, counter)
                    report.interrupted = self.ledger.close_interrupted(cursor, ledger, report.run_id, self.owner,
                                                                       counter)
                    plans = plan_hooks(self.manifest, ledger, self.skip_snowflake_only)
                    _fill_from_plan(report, plans)
                    if any(p.runs for p in plans):
                        # The read's connection is idle (autocommit, a SELECT, no session change): the
                        # writer continues on it instead of opening its own.
                        writer = LedgerWriter(self.open, self.ledger.table, counter, conn=snapshot.take_connection())
                        self._execute(report, plans, control, counter, writer, held)
                finally:
                    self.lock.release(cursor, counter, writer, held, report.run_id)
            finally:
                control.close()
        finally:
            snapshot.close()
            report.bookkeeping_statements = counter.value
            report.wall_seconds = time.perf_counter() - started
        return report

    def _execute(self, report: ApplyReport, plans: list[HookPlan], control, counter: Counter,
                 writer: LedgerWriter, held: list[tuple]) -> None:
        stop = threading.Event()
        heartbeat_cursor = control.cursor()
        heartbeat = Heartbeat(lambda: self.lock.renew(heartbeat_cursor, report.run_id, counter),
                              self.lock_ttl.total_seconds(), stop)
        Scheduler(self.manifest, self.open, self.owner, self.files_root, self.max_workers).execute(
            report, plans, writer, held, heartbeat, stop)


def _fill_from_plan(report: ApplyReport, plans: list[HookPlan]) -> None:
    report.unchanged = [p.name for p in plans if p.state == "unchanged"]
    report.skipped = {p.name: p.reason for p in plans if p.state == "skipped"}
