"""Hooks run in dependency order, independent ones at once on a pool of workers, each worker on its own
connection; at the first failure nothing new starts, and what runs finishes and records itself."""
from __future__ import annotations

import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ysg_hooks.manifest import Manifest, RenderedHook
from ysg_hooks.runner import ledger
from ysg_hooks.runner.files import local_files
from ysg_hooks.runner.heartbeat import Heartbeat
from ysg_hooks.runner.plan import HookPlan
from ysg_hooks.runner.report import ApplyReport, HookFailure
from ysg_hooks.runner.writer import LedgerWriter


@dataclass
class Outcome:
    event: tuple | None     # the ledger event that ends the hook; the scheduler queues it
    statements: int
    seconds: float
    failure: HookFailure | None = None
    started: bool = True


class Scheduler:
    """One run's hooks: `open(role)` opens a connection (None: the manifest's role), `owner` names the run
    in the ledger, `files_root` is what a PUT's path is relative to."""

    def __init__(self, manifest: Manifest, open: Callable[[str | None], Any], owner: str, files_root: Path,
                 max_workers: int):
        self.manifest, self.open, self.owner = manifest, open, owner
        self.files_root, self.max_workers = files_root, max_workers

    def execute(self, report: ApplyReport, plans: list[HookPlan], writer: LedgerWriter, held: list[tuple],
                heartbeat: Heartbeat, stop: threading.Event) -> None:
        to_run = {p.name for p in plans if p.runs}
        hooks = self.manifest.by_name()
        waiting = {name: {d for d in hooks[name].depends_on if d in to_run} for name in to_run}
        order = [h.name for h in self.manifest.hooks if h.name in to_run]
        local = threading.local()
        connections: list[Any] = []
        connections_lock = threading.Lock()

        def worker_cursor(role: str | None = None):
            """A cursor on this worker's connection for `role` (None: the manifest's), opened once."""
            conns = local.__dict__.setdefault("conns", {})
            if role not in conns:
                conns[role] = self.open(role)
                with connections_lock:
                    connections.append(conns[role])
            return conns[role].cursor()

        def run(hook: RenderedHook) -> Outcome:
            if stop.is_set():   # queued in the pool before the failure: never started
                return Outcome(event=None, statements=0, seconds=0.0, started=False)
            outcome = self.run_hook(hook, worker_cursor, writer, report.run_id)
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

    def run_hook(self, hook: RenderedHook, worker_cursor, writer: LedgerWriter, run_id: str) -> Outcome:
        started_at = ledger.clock()
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
            event = ledger.event(status="failed", ended_at=ledger.clock(), query_ids=query_ids, statement_index=index,
                                 statement=statement, error=error, **base)
            return Outcome(event=event, statements=len(query_ids) + (1 if index else 0),
                           seconds=time.perf_counter() - started,
                           failure=HookFailure(hook.name, hook.sql_file, index, statement, error))
        event = ledger.event(status="applied", ended_at=ledger.clock(), query_ids=query_ids, **base)
        return Outcome(event=event, statements=len(query_ids), seconds=time.perf_counter() - started)
