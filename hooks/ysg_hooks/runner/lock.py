"""The lock protocol: one run at a time per environment, taken by one MERGE, renewed while hooks run,
released by the run's last ledger write; a lock expires, or is taken over at once from a dead process
on the machine it ran on."""
from __future__ import annotations

import os
import re
import socket
from datetime import datetime, timedelta
from pathlib import Path

from snowflake.connector.errors import ProgrammingError

from ysg_core.errors import HookRunnerError, LockHeld
from ysg_hooks.runner.ledger import SERVER_NOW, Counter, Ledger, event, insert_events, missing
from ysg_hooks.runner.writer import LedgerWriter

LOCK_NAME = "hooks"


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


class HookLock:
    """The environment's hook lock (a row of the lock table), as one owner takes, renews and releases it."""

    def __init__(self, ledger: Ledger, owner: str, ttl: timedelta):
        self.ledger, self.owner, self.ttl = ledger, owner, ttl
        self.table = ledger.lock_table

    def _expires(self) -> str:
        return f"DATEADD(second, {int(self.ttl.total_seconds())}, {SERVER_NOW})"

    def acquire_sql(self) -> str:
        # Times are the server's (SERVER_NOW): a runner whose clock is off can neither take a live lock
        # nor leave one that looks expired to the others.
        expires = self._expires()
        return (f"MERGE INTO {self.table} AS L USING (SELECT '{LOCK_NAME}' AS LOCK_NAME) AS S "
                "ON L.LOCK_NAME = S.LOCK_NAME "
                f"WHEN MATCHED AND (L.OWNER IS NULL OR L.EXPIRES_AT < {SERVER_NOW} "
                f"OR L.RUN_ID IN ({self.ledger.released_runs})) "
                f"THEN UPDATE SET OWNER = %s, RUN_ID = %s, ACQUIRED_AT = {SERVER_NOW}, EXPIRES_AT = {expires} "
                "WHEN NOT MATCHED THEN INSERT (LOCK_NAME, OWNER, RUN_ID, ACQUIRED_AT, EXPIRES_AT) "
                f"VALUES (S.LOCK_NAME, %s, %s, {SERVER_NOW}, {expires})")

    def acquire(self, cursor, run_id: str, counter: Counter) -> bool:
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
        Nothing is applied either way; runs that merely overlap are refused as they should be. On a
        table Terraform created empty this is the whole acquire: no separate seed, no second attempt.

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
                cursor.execute(self.acquire_sql(), (owner, run_id, owner, run_id))
                acquired = (cursor.rowcount or 0) > 0
            except ProgrammingError as exc:
                if not missing(exc) or attempt == 2:
                    raise
                self.ledger.ensure(cursor, counter)
                created = True
                continue
            if acquired:
                return created
            counter.add()
            cursor.execute(f"SELECT OWNER, EXPIRES_AT, RUN_ID FROM {self.table} WHERE LOCK_NAME = '{LOCK_NAME}' "
                           f"AND OWNER IS NOT NULL AND RUN_ID NOT IN "
                           f"({self.ledger.released_runs})")
            holder = cursor.fetchone()
            if holder and gone_from_this_machine(holder[0]) and self._take_over(cursor, run_id, holder, counter):
                return created
            if holder:
                raise LockHeld(self.ledger.database, holder[0], holder[1])
            # No holder: the lock was released between our MERGE and this read. Try once more.
        raise HookRunnerError(f"could not acquire the hook lock in {self.table}")

    def _take_over(self, cursor, run_id: str, holder: tuple, counter: Counter) -> bool:
        """Take the lock of a run whose process is gone from this machine, before it expires; only if it is
        still that run's (another run may have taken it over meanwhile)."""
        counter.add()
        cursor.execute(f"UPDATE {self.table} SET OWNER = %s, RUN_ID = %s, ACQUIRED_AT = {SERVER_NOW}, "
                       f"EXPIRES_AT = {self._expires()} "
                       f"WHERE LOCK_NAME = '{LOCK_NAME}' AND OWNER = %s AND RUN_ID = %s",
                       (self.owner, run_id, holder[0], holder[2]))
        return (cursor.rowcount or 0) > 0

    def renew(self, cursor, run_id: str, counter: Counter) -> bool:
        counter.add()
        cursor.execute(f"UPDATE {self.table} SET EXPIRES_AT = {self._expires()} "
                       f"WHERE LOCK_NAME = '{LOCK_NAME}' AND RUN_ID = %s", (run_id,))
        return (cursor.rowcount or 0) > 0

    def release(self, cursor, counter: Counter, writer: LedgerWriter | None, held: list[tuple],
                run_id: str) -> None:
        """Append the held hook events and this run's `released` event in one write, after all others."""
        final = held + [event(run_id=run_id, hook=None, checksum=None, status="released", owner=self.owner)]
        if writer is not None:
            try:
                writer.close(final)
                return
            except HookRunnerError:
                insert_events(cursor, self.ledger.table, final)   # record what we can and free the lock, then report
                counter.add()
                raise
        insert_events(cursor, self.ledger.table, final)
        counter.add()
