"""The lock renewed while hooks run, so a long apply is not taken over; and noticed when it was."""
from __future__ import annotations

import threading
from typing import Callable


class Heartbeat:
    """Calls `renew()` every third of the lock's time to live; when it fails or finds the lock gone, says why
    (`lost`) and sets `stop`, so the scheduler starts nothing more."""

    def __init__(self, renew: Callable[[], bool], ttl_seconds: float, stop: threading.Event):
        self._renew = renew
        self._stop_scheduling = stop
        self._interval = max(ttl_seconds / 3, 0.5)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hook-lock", daemon=True)
        self.lost: str | None = None

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._done.wait(self._interval):
            try:
                held = self._renew()
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
