"""The hook runner: applies a hook manifest to one environment, in dependency order, once per checksum.

State lives in the environment itself (a ledger and a lock in `<DB>.SFE_PLATFORM_OPS`), so any machine
that can connect sees the same history and a second concurrent run is refused.
"""
from __future__ import annotations

import json
import os
import queue
import re
import socket
import threading
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path
from typing import Any, Callable

from snowflake.connector.errors import ProgrammingError

from ysg import naming
from ysg.contract import create_table_sql
from ysg.errors import HookRunnerError, LockHeld  # noqa: F401  (defined apart so the CLI need not load the runner)
from ysg.hooks.ledger_schema import (LEDGER_COLUMNS, LEDGER_SCHEMA, LEDGER_TABLE, LOCK_COLUMNS, LOCK_TABLE,
                                     column_names)
from ysg.hooks.manifest import Manifest, RenderedHook, verify_manifest
from ysg.paths import REPO_ROOT

# The runner's own schema and tables (ysg.hooks.ledger_schema): not one of the data contract's, so no
# hook's CREATE OR REPLACE SCHEMA, no clone of a contract schema and no grant on one can reach the
# ledger, and readers of the contract never see it. Terraform creates them in every environment; the
# runner creates them itself only on a bare database.
LOCK_NAME = "hooks"
DEFAULT_LOCK_TTL_SECONDS = 1800

Connect = Callable[[], Any]


@dataclass(frozen=True)
class HookPlan:
    name: str
    sql_file: str
    state: str                      # "new", "changed", "unchanged" or "skipped"
    reason: str = ""                # why changed or skipped; "" for new and unchanged

    @property
    def runs(self) -> bool:
        return self.state in ("new", "changed")


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


@dataclass(frozen=True)
class _LedgerRow:
    hook: str
    checksum: str
    status: str
    recorded_at: datetime | None
    error: str | None


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


_PUT_FILE = re.compile(r"^(?P<head>\s*PUT\s+')file://(?P<path>[^']*)'", re.I)


def local_files(statement: str, root: Path) -> str:
    """A PUT of a repository file, with its path made absolute under `root` for this run. The manifest names
    the file relative to the repository root, so hooks.json holds no path of any machine and the same
    manifest runs from any folder; a path that leaves the root is refused (a hook cannot put ~/.ssh on a
    stage). Other statements are returned as they are."""
    match = _PUT_FILE.match(statement)
    if match is None:
        return statement
    relative = match["path"]
    path = (root / relative).resolve()
    if relative.startswith("/") or not path.is_relative_to(root) or "'" in str(path):
        raise HookRunnerError(f"PUT of {relative!r}: hooks put files of the repository only, named relative to "
                              "its root")
    return f"{match['head']}file://{path.as_posix()}'{statement[match.end():]}"


def _machine_identity() -> str | None:
    """This boot of this machine, and this process's pid namespace (Linux): a pid read from a lock names a
    process here only if both match (two containers may share a host name, never a pid namespace). None
    where they cannot be known: then no lock is ever judged dead, it expires."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return None
    return f"boot {boot} pidns {namespace}"


def default_owner() -> str:
    """Who holds the lock, for people (user, host, pid) and for `gone_from_this_machine`."""
    owner = f"{os.environ.get('USER', 'unknown')}@{socket.gethostname()} pid {os.getpid()}"
    identity = _machine_identity()
    return f"{owner} [{identity}]" if identity else owner


_OWNER = re.compile(r"^\S*@(?P<host>\S+) pid (?P<pid>\d+) \[(?P<identity>[^\]]+)\]$")


def gone_from_this_machine(owner: str | None) -> bool:
    """Whether a lock's owner was a process of this machine (same host, boot and pid namespace) that no
    longer exists. A pid reused by another process counts as alive: the lock then simply expires."""
    match = _OWNER.match(owner or "")
    if not match or match["host"] != socket.gethostname() or match["identity"] != _machine_identity():
        return False
    try:
        os.kill(int(match["pid"]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:     # alive, another user's
        return False
    return False


class HookRunner:
    """Plans and applies one environment's hooks.

    `connect` is a zero-argument callable returning a DB-API connection (snowflake-connector-python, or
    fakesnow). The runner opens one connection per worker thread, one for the lock, and one that reads
    the ledger while the lock is taken and then writes it: DB-API connections (and DuckDB's, under
    fakesnow) are never used by two threads at once, only handed from one to the next, and hooks that
    `USE` a schema cannot disturb each other's session.
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
        self.ledger = naming.qualified(self.database, LEDGER_SCHEMA, LEDGER_TABLE)
        self.lock = naming.qualified(self.database, LEDGER_SCHEMA, LOCK_TABLE)
        # The runs that released the lock: a lock whose RUN_ID is among them is free.
        self._released_runs = f"SELECT RUN_ID FROM {self.ledger} WHERE STATUS = 'released'"

    # --- plan -------------------------------------------------------------------------------------

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
            return self._plan(self._read_ledger(conn.cursor()))
        finally:
            conn.close()

    def _plan(self, ledger: dict[str, _LedgerRow]) -> list[HookPlan]:
        plans: dict[str, HookPlan] = {}
        for hook in self.manifest.hooks:
            row = ledger.get(hook.name)
            skipped_deps = [d for d in hook.depends_on if plans[d].state == "skipped"]
            rerun_deps = [d for d in hook.depends_on if plans[d].runs]
            if self.skip_snowflake_only and hook.snowflake_only:
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

    def _latest_sql(self) -> str:
        """The ledger's latest row per hook."""
        return (f"SELECT HOOK, CHECKSUM, STATUS, RECORDED_AT, ERROR FROM {self.ledger} WHERE HOOK IS NOT NULL "
                "QUALIFY ROW_NUMBER() OVER (PARTITION BY HOOK ORDER BY RECORDED_AT DESC, SEQ DESC) = 1")

    def _read_ledger(self, cursor) -> dict[str, _LedgerRow]:
        try:
            cursor.execute(self._latest_sql())
        except ProgrammingError as exc:
            if _missing(exc):   # nothing was ever applied here
                return {}
            raise
        return {r[0]: _LedgerRow(*r) for r in cursor.fetchall()}

    def _snapshot_sql(self) -> str:
        """One statement, so one snapshot: the ledger's latest row per hook, and a `lock` row per lock row
        saying whether the lock was free at that moment (no owner, or its run recorded `released`) and
        whose it was. An expired lock that was never released is `held`: its run may still be writing."""
        return (f"SELECT 'hook' AS KIND, HOOK, CHECKSUM, STATUS, RECORDED_AT, ERROR, NULL AS RUN_ID "
                f"FROM ({self._latest_sql()}) "
                f"UNION ALL SELECT 'lock', NULL, NULL, CASE WHEN OWNER IS NULL OR RUN_ID IN ({self._released_runs}) "
                f"THEN 'free' ELSE 'held' END, NULL, NULL, RUN_ID FROM {self.lock} WHERE LOCK_NAME = '{LOCK_NAME}'")

    def _ledger_after_acquire(self, snapshot: "_Snapshot", created: bool, cursor, run_id: str,
                              counter: "_Counter") -> dict[str, _LedgerRow]:
        """The ledger to plan from, once we hold the lock: the concurrent snapshot's, or a read under the lock.

        The snapshot is taken by a statement sent at the same moment as our acquire, on another
        connection. It is used as it is only when it saw the lock free (or no lock row yet: the tables
        as Terraform creates them, before any acquire seeded it), or already ours (then it was read
        under our lock, as before). Why that is safe: only the lock holder writes the ledger, and a
        run's `released` event is its last write, so a snapshot that saw the lock free holds every write
        of every run that released before it, and no run was writing at that moment.

        What it can miss, honestly: a whole other run that took the lock after the snapshot and released
        it before our MERGE reached the table. Its acquire, ledger read and release are at least three
        sequential round trips (four if it ran a hook), all fitting between two statements we issued at
        the same moment; that needs our MERGE to be held up by that much (a queued warehouse, a slow
        network path), which is unlikely but not excluded. If it happens we plan from the state before
        that run. A hook it applied successfully with the same SQL as ours is then either unchanged in
        our eyes too, or run again: an idempotent re-apply that the ledger records. A hook it changed
        (other SQL, another version of the manifest) or attempted and failed, where our snapshot shows
        our checksum applied, is skipped by us and reported unchanged, although the environment now
        holds that run's work. The ledger stays truthful (its latest row for the hook is that run's), so
        the next apply plans the hook `changed` and runs it; until then the environment has the other
        run's version. Reading under the lock, as before, closes that window at the cost of one round
        trip on every apply.

        When the snapshot saw the lock held (a run released, or an expired lock was taken over, between
        the two statements) or could not see the ledger at all, it may be stale: the ledger is read
        again under the lock, one more statement, only in that race. An error other than a missing
        table is raised (the caller still releases the lock).
        """
        if created:     # our acquire created the ledger: nothing was ever applied here
            return {}
        if snapshot.error is None and snapshot.lock_free_or(run_id):
            return snapshot.ledger
        if snapshot.error is not None and not _missing(snapshot.error):
            raise snapshot.error
        counter.add()
        return self._read_ledger(cursor)

    # --- apply ------------------------------------------------------------------------------------

    def apply(self, dry_run: bool = False) -> ApplyReport:
        started = time.perf_counter()
        report = ApplyReport(environment=self.manifest.environment, run_id=uuid.uuid4().hex[:12], dry_run=dry_run)
        if dry_run:
            plans = self.plan()   # reads the ledger; writes nothing, takes no lock
            self._fill_from_plan(report, plans)
            report.would_apply = [p.name for p in plans if p.runs]
            report.wall_seconds = time.perf_counter() - started
            return report

        counter = _Counter()
        # The ledger is read on a second connection while the control connection takes the lock: one
        # round trip instead of two before the first hook (see _ledger_after_acquire for why it is safe).
        snapshot = _Snapshot(self.open, self._snapshot_sql(), counter)
        try:
            control = self.open()
            try:
                cursor = control.cursor()
                try:
                    created = self._acquire(cursor, report.run_id, counter)
                finally:
                    snapshot.join()
                writer, held = None, []
                try:
                    ledger = self._ledger_after_acquire(snapshot, created, cursor, report.run_id, counter)
                    report.interrupted = self._close_interrupted(cursor, ledger, report.run_id, counter)
                    plans = self._plan(ledger)
                    self._fill_from_plan(report, plans)
                    if any(p.runs for p in plans):
                        # The read's connection is idle (autocommit, a SELECT, no session change): the
                        # writer continues on it instead of opening its own.
                        writer = _LedgerWriter(self.open, self.ledger, counter, conn=snapshot.take_connection())
                        self._execute(report, plans, control, counter, writer, held)
                finally:
                    self._release(cursor, counter, writer, held, report.run_id)
            finally:
                control.close()
        finally:
            snapshot.close()
            report.bookkeeping_statements = counter.value
            report.wall_seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _fill_from_plan(report: ApplyReport, plans: list[HookPlan]) -> None:
        report.unchanged = [p.name for p in plans if p.state == "unchanged"]
        report.skipped = {p.name: p.reason for p in plans if p.state == "skipped"}

    def _execute(self, report: ApplyReport, plans: list[HookPlan], control, counter: "_Counter",
                 writer: "_LedgerWriter", held: list[tuple]) -> None:
        to_run = {p.name for p in plans if p.runs}
        hooks = self.manifest.by_name()
        waiting = {name: {d for d in hooks[name].depends_on if d in to_run} for name in to_run}
        order = [h.name for h in self.manifest.hooks if h.name in to_run]
        local = threading.local()
        connections: list[Any] = []
        connections_lock = threading.Lock()
        stop = threading.Event()
        heartbeat = _Heartbeat(self, control.cursor(), report.run_id, counter, stop)

        def worker_cursor(role: str | None = None):
            """A cursor on this worker's connection for `role` (None: the manifest's), opened once."""
            conns = local.__dict__.setdefault("conns", {})
            if role not in conns:
                conns[role] = self.open(role)
                with connections_lock:
                    connections.append(conns[role])
            return conns[role].cursor()

        def run(hook: RenderedHook) -> "_Outcome":
            if stop.is_set():   # queued in the pool before the failure: never started
                return _Outcome(event=None, statements=0, seconds=0.0, started=False)
            outcome = self._run_hook(hook, worker_cursor, writer, report.run_id)
            if outcome.failure:
                stop.set()      # here, not in the scheduler, so a worker cannot pick up queued work first
            return outcome

        heartbeat.start()
        try:
            with ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="hook") as pool:
                running: dict[Future, str] = {}

                def submit(names: list[str]) -> None:
                    for name in names:
                        del waiting[name]
                        order.remove(name)
                        running[pool.submit(run, hooks[name])] = name

                submit([n for n in order if not waiting[n]])
                while running:
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        name = running.pop(future)
                        outcome = future.result()
                        if outcome.event is not None:
                            held.append(outcome.event)
                        if not outcome.started:
                            report.not_run.append(name)
                            continue
                        report.statements_executed += outcome.statements
                        report.timings[name] = outcome.seconds
                        if outcome.failure:
                            report.failures.append(outcome.failure)
                            stop.set()
                        else:
                            report.applied.append(name)
                            for deps in waiting.values():
                                deps.discard(name)
                    if writer.error is not None:
                        stop.set()      # an unrecorded run is not one to continue
                    # After a failure nothing new starts; what is running finishes and records itself.
                    ready = [] if stop.is_set() else [n for n in order if not waiting[n]]
                    if running or ready:
                        # Queued before any dependent starts, so the ledger stays causal. The very last
                        # events are held back to share the release's write.
                        writer.put_events(held)
                        held.clear()
                    submit(ready)
                report.not_run += order
                if heartbeat.lost:
                    report.failures.append(HookFailure(hook="(lock)", sql_file="", statement_index=0, statement="",
                                                       error=heartbeat.lost))
        finally:
            heartbeat.stop()
            for conn in connections:
                conn.close()

    def _run_hook(self, hook: RenderedHook, worker_cursor, writer: "_LedgerWriter", run_id: str) -> "_Outcome":
        started_at = _utcnow()
        started = time.perf_counter()
        base = dict(run_id=run_id, hook=hook.name, checksum=hook.checksum, sql_file=hook.sql_file,
                    started_at=started_at, owner=self.owner)
        writer.put(status="running", **base)
        query_ids: list[str] = []
        index, statement = 0, ""
        try:
            cursor = worker_cursor(hook.role if hook.role != self.manifest.role else None)
            for index, statement in enumerate(hook.statements, start=1):
                cursor.execute(local_files(statement, self.files_root))
                query_ids.append(getattr(cursor, "sfqid", None) or "")
        except Exception as exc:  # noqa: BLE001 - any driver error fails the hook, recorded as such
            error = f"{type(exc).__name__}: {exc}"
            event = _event(status="failed", ended_at=_utcnow(), query_ids=query_ids, statement_index=index,
                           statement=statement, error=error, **base)
            return _Outcome(event=event, statements=len(query_ids) + (1 if index else 0),
                            seconds=time.perf_counter() - started,
                            failure=HookFailure(hook.name, hook.sql_file, index, statement, error))
        event = _event(status="applied", ended_at=_utcnow(), query_ids=query_ids, **base)
        return _Outcome(event=event, statements=len(query_ids), seconds=time.perf_counter() - started)

    # --- ledger and lock --------------------------------------------------------------------------

    def _ensure_ledger(self, cursor, counter: "_Counter") -> None:
        """A bare database (no `cdktf deploy`): create the schema and tables Terraform would have created.

        Same columns as the stack's (ysg.hooks.ledger_schema); the lock row is seeded by the acquire."""
        statements = [
            f"CREATE SCHEMA IF NOT EXISTS {naming.qualified(self.database, LEDGER_SCHEMA)}",
            create_table_sql(self.database, LEDGER_SCHEMA, LEDGER_TABLE, LEDGER_COLUMNS, where="the hook ledger"),
            create_table_sql(self.database, LEDGER_SCHEMA, LOCK_TABLE, LOCK_COLUMNS, where="the hook lock"),
        ]
        for statement in statements:
            cursor.execute(statement)
            counter.add()

    def _acquire_sql(self) -> str:
        # Times are the server's (SERVER_NOW): a runner whose clock is off can neither take a live lock
        # nor leave one that looks expired to the others.
        expires = f"DATEADD(second, {int(self.lock_ttl.total_seconds())}, {SERVER_NOW})"
        return (f"MERGE INTO {self.lock} AS L USING (SELECT '{LOCK_NAME}' AS LOCK_NAME) AS S "
                "ON L.LOCK_NAME = S.LOCK_NAME "
                f"WHEN MATCHED AND (L.OWNER IS NULL OR L.EXPIRES_AT < {SERVER_NOW} "
                f"OR L.RUN_ID IN ({self._released_runs})) "
                f"THEN UPDATE SET OWNER = %s, RUN_ID = %s, ACQUIRED_AT = {SERVER_NOW}, EXPIRES_AT = {expires} "
                "WHEN NOT MATCHED THEN INSERT (LOCK_NAME, OWNER, RUN_ID, ACQUIRED_AT, EXPIRES_AT) "
                f"VALUES (S.LOCK_NAME, %s, %s, {SERVER_NOW}, {expires})")

    def _acquire(self, cursor, run_id: str, counter: "_Counter") -> bool:
        """One MERGE takes a free or expired lock, or seeds the lock row already taken; the row count
        says whether we got it.

        Atomic on the same assumption the UPDATE it replaces made: Snowflake serializes UPDATE and MERGE
        on a table (the second waits for the first to commit and then sees its row), so of two runs
        merging at once exactly one matches a free row, or inserts the missing one; the other then
        matches a held row and changes nothing. Against a real account this is for the live tests to
        confirm (`test_two_runs_taking_the_lock_at_once_get_it_exactly_once`; the seeding race, two
        first applies on an empty lock table, needs an empty table and is not tested live). The
        emulator cannot run two MERGEs at the same instant at all: fakesnow's MERGE goes through a
        scratch table of a fixed name, so the second fails with an error instead of being refused.
        Nothing is applied either way; runs that merely overlap are refused as they should be. On a table Terraform created empty this is the whole
        acquire: no separate seed, no second attempt.

        A lock is free when its run appended its `released` event to the ledger: releasing is then part
        of the run's last ledger write (one statement, atomic with it), not a statement of its own.
        When the tables do not exist (a bare database Terraform never touched) the runner creates them
        and merges again. Returns True when this call created the ledger (so there is nothing to read
        from it).
        """
        created = False
        for attempt in (1, 2):
            owner = self.owner
            try:
                counter.add()
                cursor.execute(self._acquire_sql(), (owner, run_id, owner, run_id))
                acquired = (cursor.rowcount or 0) > 0
            except ProgrammingError as exc:
                if not _missing(exc) or attempt == 2:
                    raise
                self._ensure_ledger(cursor, counter)
                created = True
                continue
            if acquired:
                return created
            counter.add()
            cursor.execute(f"SELECT OWNER, EXPIRES_AT, RUN_ID FROM {self.lock} WHERE LOCK_NAME = '{LOCK_NAME}' "
                           f"AND OWNER IS NOT NULL AND RUN_ID NOT IN "
                           f"({self._released_runs})")
            holder = cursor.fetchone()
            if holder and gone_from_this_machine(holder[0]) and self._take_over(cursor, run_id, holder, counter):
                return created
            if holder:
                raise LockHeld(self.database, holder[0], holder[1])
            # No holder: the lock was released between our MERGE and this read. Try once more.
        raise HookRunnerError(f"could not acquire the hook lock in {self.lock}")

    def _take_over(self, cursor, run_id: str, holder: tuple, counter: "_Counter") -> bool:
        """Take the lock of a run whose process is gone from this machine, before it expires; only if it is
        still that run's (another run may have taken it over meanwhile)."""
        counter.add()
        cursor.execute(f"UPDATE {self.lock} SET OWNER = %s, RUN_ID = %s, ACQUIRED_AT = {SERVER_NOW}, "
                       f"EXPIRES_AT = DATEADD(second, {int(self.lock_ttl.total_seconds())}, {SERVER_NOW}) "
                       f"WHERE LOCK_NAME = '{LOCK_NAME}' AND OWNER = %s AND RUN_ID = %s",
                       (self.owner, run_id, holder[0], holder[2]))
        return (cursor.rowcount or 0) > 0

    def _renew(self, cursor, run_id: str, counter: "_Counter") -> bool:
        counter.add()
        cursor.execute(f"UPDATE {self.lock} SET EXPIRES_AT = DATEADD(second, {int(self.lock_ttl.total_seconds())}, "
                       f"{SERVER_NOW}) WHERE LOCK_NAME = '{LOCK_NAME}' AND RUN_ID = %s", (run_id,))
        return (cursor.rowcount or 0) > 0

    def _release(self, cursor, counter: "_Counter", writer: "_LedgerWriter | None", held: list[tuple],
                 run_id: str) -> None:
        """Append the held hook events and this run's `released` event in one write, after all others."""
        final = held + [_event(run_id=run_id, hook=None, checksum=None, status="released", owner=self.owner)]
        if writer is not None:
            try:
                writer.close(final)
                return
            except HookRunnerError:
                _insert_events(cursor, self.ledger, final)   # record what we can and free the lock, then report
                counter.add()
                raise
        _insert_events(cursor, self.ledger, final)
        counter.add()

    def _close_interrupted(self, cursor, ledger: dict[str, _LedgerRow], run_id: str, counter: "_Counter") -> list[str]:
        """A hook left `running` belongs to a run that died (we hold the lock): record it as failed."""
        stale = [row for row in ledger.values() if row.status == "running"]
        if not stale:
            return []
        now = _utcnow()
        events = [_event(run_id=run_id, hook=row.hook, checksum=row.checksum, status="failed",
                         error="interrupted: the run that started it ended without recording a result",
                         owner=self.owner) for row in stale]
        _insert_events(cursor, self.ledger, events)
        counter.add()
        for row in stale:
            ledger[row.hook] = _LedgerRow(row.hook, row.checksum, "failed", now, "interrupted")
        return [row.hook for row in stale]


# --- internals --------------------------------------------------------------------------------------

@dataclass
class _Outcome:
    event: tuple | None     # the ledger event that ends the hook; the scheduler queues it
    statements: int
    seconds: float
    failure: HookFailure | None = None
    started: bool = True


class _Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.value += n


_EVENT_COLUMNS = column_names(LEDGER_COLUMNS)   # the order of the INSERT; `_event`'s tuple lacks RECORDED_AT
_SEQ = count(1)
_SEQ_LOCK = threading.Lock()


def _event(*, run_id: str, hook: str | None, checksum: str | None, status: str, owner: str,
           started_at: datetime | None = None, ended_at: datetime | None = None, query_ids: list[str] | None = None,
           sql_file: str | None = None, statement_index: int | None = None, statement: str | None = None,
           error: str | None = None) -> tuple:
    """A ledger row, in `_EVENT_COLUMNS` order but RECORDED_AT, which the server sets (`_insert_events`).
    STARTED_AT and ENDED_AT are the runner's clock, for people; nothing is ordered by them."""
    with _SEQ_LOCK:
        seq = next(_SEQ)
    return (run_id, seq, hook, checksum, status, started_at, ended_at,
            json.dumps(query_ids or []), sql_file, statement_index, statement, error, owner)


# The ledger's order is the server's: RECORDED_AT is the server's clock when the row is written, not the
# runner's, so a runner whose clock is off cannot put its rows before or after another's. SYSDATE():
# "Returns the current timestamp for the system in the UTC time zone", TIMESTAMP_NTZ
# (https://docs.snowflake.com/sql-reference/functions/sysdate). Its caveat, "Do not use the returned
# value for precise time ordering between concurrent queries", does not arise: ledger writes are never
# concurrent (one writer per run, runs serialized by the lock, a run's `released` row its last write).
# Rows of one statement share the value and are ordered by SEQ (one process). On the emulator the
# "server" is DuckDB in the runner's own process: its clock, not a patched one.
SERVER_NOW = "SYSDATE()"


def _insert_events(cursor, ledger: str, events: list[tuple]) -> None:
    values = ["%s"] * len(_EVENT_COLUMNS)
    values[_EVENT_COLUMNS.index("RECORDED_AT")] = SERVER_NOW
    row = "(" + ", ".join(values) + ")"
    cursor.execute(f"INSERT INTO {ledger} ({', '.join(_EVENT_COLUMNS)}) VALUES {', '.join([row] * len(events))}",
                   tuple(value for event in events for value in event))


def _missing(exc: BaseException) -> bool:
    """The ledger or lock table does not exist (yet)."""
    return isinstance(exc, ProgrammingError) and exc.errno == 2003


class _Snapshot:
    """Reads the ledger and the lock's state in one statement, on its own connection, in a background
    thread, so the read costs no round trip of its own: it overlaps the control connection's acquire."""

    def __init__(self, connect: Connect, sql: str, counter: _Counter):
        self._connect, self._sql, self._counter = connect, sql, counter
        self.ledger: dict[str, _LedgerRow] = {}
        self.locks: list[tuple[str, str | None]] = []   # (free or held, RUN_ID) per lock row
        self.error: BaseException | None = None
        self._conn: Any = None
        self._thread = threading.Thread(target=self._read, name="hook-ledger-read", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            self._conn = self._connect()
            cursor = self._conn.cursor()
            self._counter.add()
            cursor.execute(self._sql)
            rows = cursor.fetchall()
        except BaseException as exc:  # noqa: BLE001 - judged by the caller, once it holds the lock
            self.error = exc
            return
        for kind, *row, run_id in rows:
            if kind == "lock":
                self.locks.append((row[2], run_id))
            else:
                self.ledger[row[0]] = _LedgerRow(*row)

    def join(self) -> None:
        self._thread.join()

    def lock_free_or(self, run_id: str) -> bool:
        """Whether the snapshot saw the lock free, or already taken by `run_id` (so it was read under it).

        No lock row at all is free: the row is seeded by the first acquire and never deleted, so the
        lock was never taken (the tables as Terraform creates them, before the first apply)."""
        return all(state == "free" or holder == run_id for state, holder in self.locks)

    def take_connection(self) -> Any:
        """The read's connection, now idle, for another user (who closes it); None if it failed to open."""
        self.join()
        conn, self._conn = self._conn, None
        return conn

    def close(self) -> None:
        conn = self.take_connection()
        if conn is not None:
            conn.close()


class _LedgerWriter:
    """Appends ledger events from one thread, in the order they happened, batching what queued up.

    Hooks never wait for their own record: a dependent starts as soon as its dependencies' statements
    succeeded. The single FIFO writer keeps the ledger causal (a dependency's `applied` is always
    written before its dependent's), so a crash can lose only the tail of the record, and what it loses
    is rerun (hooks are idempotent), never skipped.
    """

    def __init__(self, connect: Connect, ledger: str, counter: _Counter, conn: Any = None):
        """`conn`, if given, is an idle connection the writer takes over (and closes); else it opens one."""
        self._connect, self._ledger, self._counter, self._conn = connect, ledger, counter, conn
        self._queue: queue.Queue = queue.Queue()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="hook-ledger", daemon=True)
        self._thread.start()

    def put(self, **event: Any) -> None:
        self._queue.put([_event(**event)])

    def put_events(self, events: list[tuple]) -> None:
        if events:
            self._queue.put(list(events))

    def close(self, final: list[tuple]) -> None:
        """Write what is queued, then `final` in one statement; raise if any write failed."""
        self._queue.put(list(final) + [None])
        self._thread.join()
        if self.error is not None:
            raise HookRunnerError(f"could not write the hook ledger {self._ledger}: {self.error}") from self.error

    def _loop(self) -> None:
        conn, self._conn = self._conn, None
        try:
            if conn is None:
                conn = self._connect()
            cursor = conn.cursor()
            done = False
            while not done:
                batch = list(self._queue.get())
                while batch[-1] is not None:
                    try:
                        batch.extend(self._queue.get_nowait())
                    except queue.Empty:
                        break
                if batch[-1] is None:
                    done = True
                events = [e for e in batch if e is not None]
                if events:
                    _insert_events(cursor, self._ledger, events)
                    self._counter.add()
        except BaseException as exc:  # noqa: BLE001 - surfaced by close()
            self.error = exc
        finally:
            if conn is not None:
                conn.close()



class _Heartbeat:
    """Renews the lock while hooks run, so a long apply is not taken over; notices if it was."""

    def __init__(self, runner: HookRunner, cursor, run_id: str, counter: _Counter, stop: threading.Event):
        self._runner, self._cursor, self._run_id, self._counter = runner, cursor, run_id, counter
        self._stop_scheduling = stop
        self._interval = max(runner.lock_ttl.total_seconds() / 3, 0.5)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hook-lock", daemon=True)
        self.lost: str | None = None

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._done.wait(self._interval):
            try:
                held = self._runner._renew(self._cursor, self._run_id, self._counter)
            except Exception as exc:  # noqa: BLE001
                held, detail = False, f"could not renew the hook lock: {exc}"
            else:
                detail = "the hook lock expired and was taken over by another run"
            if not held:
                self.lost = detail
                self._stop_scheduling.set()
                return

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
