"""The ledger read on a second connection while the lock is taken: one round trip fewer before the first
hook. `ledger_after_acquire` says when that read can be trusted, and what it cannot see."""
from __future__ import annotations

import threading
from typing import Any, Callable

from ysg_hooks.runner.ledger import Counter, Ledger, missing
from ysg_hooks.runner.lock import LOCK_NAME
from ysg_hooks.runner.plan import LedgerRow


def snapshot_sql(ledger: Ledger) -> str:
    """One statement, so one snapshot: the ledger's latest row per hook, and a `lock` row per lock row
    saying whether the lock was free at that moment (no owner, or its run recorded `released`) and
    whose it was. An expired lock that was never released is `held`: its run may still be writing."""
    return (f"SELECT 'hook' AS KIND, HOOK, CHECKSUM, STATUS, RECORDED_AT, ERROR, NULL AS RUN_ID "
            f"FROM ({ledger.latest_sql()}) "
            f"UNION ALL SELECT 'lock', NULL, NULL, CASE WHEN OWNER IS NULL OR RUN_ID IN ({ledger.released_runs}) "
            f"THEN 'free' ELSE 'held' END, NULL, NULL, RUN_ID FROM {ledger.lock_table} WHERE LOCK_NAME = '{LOCK_NAME}'")


class Snapshot:
    """Reads the ledger and the lock's state in one statement, on its own connection, in a background
    thread, so the read costs no round trip of its own: it overlaps the control connection's acquire."""

    def __init__(self, connect: Callable[[], Any], sql: str, counter: Counter):
        self._connect, self._sql, self._counter = connect, sql, counter
        self.ledger: dict[str, LedgerRow] = {}
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
                self.ledger[row[0]] = LedgerRow(*row)

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


def ledger_after_acquire(snapshot: Snapshot, created: bool, ledger: Ledger, cursor, run_id: str,
                         counter: Counter) -> dict[str, LedgerRow]:
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
    if snapshot.error is not None and not missing(snapshot.error):
        raise snapshot.error
    counter.add()
    return ledger.read(cursor)
