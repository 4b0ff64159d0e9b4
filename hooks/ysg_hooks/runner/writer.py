"""The ledger written from one thread, in the order things happened, batching what queued up."""
from __future__ import annotations

import queue
import threading
from typing import Any, Callable

from ysg_core.errors import HookRunnerError
from ysg_hooks.runner.ledger import Counter, event, insert_events


class LedgerWriter:
    """Appends ledger events from one thread, in the order they happened, batching what queued up.

    Hooks never wait for their own record: a dependent starts as soon as its dependencies' statements
    succeeded. The single FIFO writer keeps the ledger causal (a dependency's `applied` is always
    written before its dependent's), so a crash can lose only the tail of the record, and what it loses
    is rerun (hooks are idempotent), never skipped.
    """

    def __init__(self, connect: Callable[[], Any], ledger: str, counter: Counter, conn: Any = None):
        """`conn`, if given, is an idle connection the writer takes over (and closes); else it opens one."""
        self._connect, self._ledger, self._counter, self._conn = connect, ledger, counter, conn
        self._queue: queue.Queue = queue.Queue()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="hook-ledger", daemon=True)
        self._thread.start()

    def put(self, **fields: Any) -> None:
        self._queue.put([event(**fields)])

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
                    insert_events(cursor, self._ledger, events)
                    self._counter.add()
        except BaseException as exc:  # noqa: BLE001 - surfaced by close()
            self.error = exc
        finally:
            if conn is not None:
                conn.close()
