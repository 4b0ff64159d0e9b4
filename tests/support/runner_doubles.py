"""Test doubles for the hook runner: manifests built in code, and a connection wrapper that records
(and can pause) the statements sent through it. Used by the runner tests and their subprocess."""
from __future__ import annotations

import threading
import time
from typing import Callable

from ysg_hooks.manifest import Manifest, RenderedHook, ordered

DATABASE = "YSG_TEST_DB"


def hook(name: str, *statements: str, depends_on: tuple[str, ...] = (), snowflake_only: bool = False,
         reason: str = "", role: str | None = None) -> RenderedHook:
    return RenderedHook(name=name, sql_file=f"sql/test/{name}.sql", depends_on=tuple(depends_on),
                        snowflake_only=snowflake_only, reason=reason, statements=tuple(statements), role=role)


def manifest(*hooks: RenderedHook, environment: str = "local", role: str | None = None,
             warehouse: str | None = None) -> Manifest:
    return Manifest(environment=environment, stack=f"billing-{environment}", target="emulator",
                    hooks=ordered(list(hooks)), role=role, warehouse=warehouse)


def log_insert(name: str) -> str:
    """The statement each test hook ends with, so a test can count how often a hook really ran."""
    return f"INSERT INTO {DATABASE}.PUBLIC.APPLIED_LOG (HOOK) VALUES ('{name}')"


class Recorder:
    """Wraps a connect callable; records every statement, and calls `on_statement` before each one."""

    def __init__(self, connect: Callable, on_statement: Callable[[str], None] | None = None):
        self._connect = connect
        self.on_statement = on_statement
        self.events: list[tuple[str, str]] = []    # ("start"|"end", statement), in the order they happened
        self.spans: list[tuple[str, float, float]] = []   # (statement, sent, returned), time.monotonic()
        self.sessions: list[dict] = []   # the session parameters (role, warehouse) of every connection opened
        self._lock = threading.Lock()

    def __call__(self, **session):
        self.sessions.append(session)
        return _Connection(self._connect(**session), self)

    def record(self, kind: str, statement: str) -> None:
        with self._lock:
            self.events.append((kind, statement))

    def record_span(self, statement: str, sent: float, returned: float) -> None:
        with self._lock:
            self.spans.append((statement, sent, returned))

    @property
    def statements(self) -> list[str]:
        return [s for kind, s in self.events if kind == "start"]

    def hook_statements(self) -> list[str]:
        """Statements that were not the runner's own bookkeeping."""
        return [s for s in self.statements if "SFE_PLATFORM_OPS" not in s]


class _Connection:
    def __init__(self, conn, recorder: Recorder):
        self._conn, self._recorder = conn, recorder

    def cursor(self):
        return _Cursor(self._conn.cursor(), self._recorder)

    def close(self):
        return self._conn.close()


class _Cursor:
    def __init__(self, cursor, recorder: Recorder):
        self._cursor, self._recorder = cursor, recorder

    def execute(self, statement, params=None):
        sent = time.monotonic()
        self._recorder.record("start", statement)
        if self._recorder.on_statement:
            self._recorder.on_statement(statement)
        try:
            return self._cursor.execute(statement, params)
        finally:
            self._recorder.record("end", statement)
            self._recorder.record_span(statement, sent, time.monotonic())

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.02)
