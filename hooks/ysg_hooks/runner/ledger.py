"""The ledger: its rows (events), the statements that read and extend it, and the bookkeeping count.

The ledger is append-only; a hook's latest row says what happened to it last. Its order is the server's
clock (SERVER_NOW), never the runner's.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from itertools import count

from snowflake.connector.errors import ProgrammingError

from ysg_core import naming
from ysg_core.contract import create_table_sql
from ysg_core.ledger_schema import LEDGER_COLUMNS, LEDGER_SCHEMA, LEDGER_TABLE, LOCK_COLUMNS, LOCK_TABLE, column_names
from ysg_hooks.runner.plan import LedgerRow

# The ledger's order is the server's: RECORDED_AT is the server's clock when the row is written, not the
# runner's, so a runner whose clock is off cannot put its rows before or after another's. SYSDATE():
# "Returns the current timestamp for the system in the UTC time zone", TIMESTAMP_NTZ
# (https://docs.snowflake.com/sql-reference/functions/sysdate). Its caveat, "Do not use the returned
# value for precise time ordering between concurrent queries", does not arise: ledger writes are never
# concurrent (one writer per run, runs serialized by the lock, a run's `released` row its last write).
# Rows of one statement share the value and are ordered by SEQ (one process). On the emulator the
# "server" is DuckDB in the runner's own process: its clock, not a patched one.
SERVER_NOW = "SYSDATE()"


def clock() -> datetime:
    """The runner's own clock (UTC, naive): STARTED_AT and ENDED_AT, for people; nothing is ordered by it.
    Called through this module (`ledger.clock()`), so a test can move it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Counter:
    """The ledger and lock statements a run sends (its report's `bookkeeping_statements`)."""

    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.value += n


_EVENT_COLUMNS = column_names(LEDGER_COLUMNS)   # the order of the INSERT; `event`'s tuple lacks RECORDED_AT
_SEQ = count(1)
_SEQ_LOCK = threading.Lock()


def event(*, run_id: str, hook: str | None, checksum: str | None, status: str, owner: str,
          started_at: datetime | None = None, ended_at: datetime | None = None, query_ids: list[str] | None = None,
          sql_file: str | None = None, statement_index: int | None = None, statement: str | None = None,
          error: str | None = None) -> tuple:
    """A ledger row, in `_EVENT_COLUMNS` order but RECORDED_AT, which the server sets (`insert_events`).
    STARTED_AT and ENDED_AT are the runner's clock, for people; nothing is ordered by them."""
    with _SEQ_LOCK:
        seq = next(_SEQ)
    return (run_id, seq, hook, checksum, status, started_at, ended_at,
            json.dumps(query_ids or []), sql_file, statement_index, statement, error, owner)


def insert_events(cursor, ledger: str, events: list[tuple]) -> None:
    values = ["%s"] * len(_EVENT_COLUMNS)
    values[_EVENT_COLUMNS.index("RECORDED_AT")] = SERVER_NOW
    row = "(" + ", ".join(values) + ")"
    cursor.execute(f"INSERT INTO {ledger} ({', '.join(_EVENT_COLUMNS)}) VALUES {', '.join([row] * len(events))}",
                   tuple(value for event in events for value in event))


def missing(exc: BaseException) -> bool:
    """The ledger or lock table does not exist (yet)."""
    return isinstance(exc, ProgrammingError) and exc.errno == 2003


class Ledger:
    """The ledger and lock tables of one database (ysg_core.ledger_schema: a schema of the runner's own, not
    one of the data contract's, so no hook can reach it), and the statements on the ledger."""

    def __init__(self, database: str):
        self.database = database
        self.table = naming.qualified(database, LEDGER_SCHEMA, LEDGER_TABLE)
        self.lock_table = naming.qualified(database, LEDGER_SCHEMA, LOCK_TABLE)
        # The runs that released the lock: a lock whose RUN_ID is among them is free.
        self.released_runs = f"SELECT RUN_ID FROM {self.table} WHERE STATUS = 'released'"

    def latest_sql(self) -> str:
        """The ledger's latest row per hook."""
        return (f"SELECT HOOK, CHECKSUM, STATUS, RECORDED_AT, ERROR FROM {self.table} WHERE HOOK IS NOT NULL "
                "QUALIFY ROW_NUMBER() OVER (PARTITION BY HOOK ORDER BY RECORDED_AT DESC, SEQ DESC) = 1")

    def read(self, cursor) -> dict[str, LedgerRow]:
        try:
            cursor.execute(self.latest_sql())
        except ProgrammingError as exc:
            if missing(exc):   # nothing was ever applied here
                return {}
            raise
        return {r[0]: LedgerRow(*r) for r in cursor.fetchall()}

    def ensure(self, cursor, counter: Counter) -> None:
        """A bare database (no `cdktf deploy`): create the schema and tables Terraform would have created.

        Same columns as the stack's (ysg_core.ledger_schema); the lock row is seeded by the acquire."""
        statements = [
            f"CREATE SCHEMA IF NOT EXISTS {naming.qualified(self.database, LEDGER_SCHEMA)}",
            create_table_sql(self.database, LEDGER_SCHEMA, LEDGER_TABLE, LEDGER_COLUMNS, where="the hook ledger"),
            create_table_sql(self.database, LEDGER_SCHEMA, LOCK_TABLE, LOCK_COLUMNS, where="the hook lock"),
        ]
        for statement in statements:
            cursor.execute(statement)
            counter.add()

    def close_interrupted(self, cursor, ledger: dict[str, LedgerRow], run_id: str, owner: str,
                          counter: Counter) -> list[str]:
        """A hook left `running` belongs to a run that died (we hold the lock): record it as failed."""
        stale = [row for row in ledger.values() if row.status == "running"]
        if not stale:
            return []
        now = clock()
        events = [event(run_id=run_id, hook=row.hook, checksum=row.checksum, status="failed",
                        error="interrupted: the run that started it ended without recording a result",
                        owner=owner) for row in stale]
        insert_events(cursor, self.table, events)
        counter.add()
        for row in stale:
            ledger[row.hook] = LedgerRow(row.hook, row.checksum, "failed", now, "interrupted")
        return [row.hook for row in stale]
