"""The runner's record and lock keep the server's time, a dead run's lock is taken over at once on the
machine it ran on, and every failure is reported (issue 13: item 8 and the weak items)."""
from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import fakesnow
import pytest
import snowflake.connector
from runner_doubles import DATABASE, Recorder, hook, log_insert, manifest, wait_for

from ysg.emulator import open_emulator
from ysg_core.errors import LockHeld
from ysg_hooks.runner import HookRunner, ledger, lock

HERE = Path(__file__).resolve().parent
REAL_UTCNOW = ledger.clock


@pytest.fixture
def connect(tmp_path):
    with fakesnow.patch(db_path=str(tmp_path)):
        connect = functools.partial(snowflake.connector.connect, database=DATABASE, schema="PUBLIC")
        conn = connect()
        conn.cursor().execute(f"CREATE TABLE {DATABASE}.PUBLIC.APPLIED_LOG (HOOK VARCHAR)")
        conn.close()
        yield connect


def runner(m, connect, **kwargs) -> HookRunner:
    return HookRunner(m, connect, ledger_database=DATABASE, **kwargs)


def clock(monkeypatch, hours: int) -> None:
    """The runner's own clock, `hours` off; the emulator's (DuckDB's, the "server") is untouched."""
    monkeypatch.setattr(ledger, "clock", lambda: REAL_UTCNOW() + timedelta(hours=hours))


def test_a_runner_two_hours_behind_still_records_the_version_it_applied_last(connect, monkeypatch):
    v1, v2 = manifest(hook("h", "SELECT 1")), manifest(hook("h", "SELECT 2"))
    runner(v1, connect).apply()
    clock(monkeypatch, -2)
    assert runner(v2, connect).apply().applied == ["h"]
    monkeypatch.setattr(ledger, "clock", REAL_UTCNOW)
    assert [(p.name, p.state) for p in runner(v2, connect).plan()] == [("h", "unchanged")]


def _while_held(connect, then):
    """Run `then()` while another run is inside its one hook, holding the lock; return what it returns."""
    entered, release = threading.Event(), threading.Event()

    def hold(statement):
        if "HOLD" in statement:
            entered.set()
            release.wait(10)

    first = runner(manifest(hook("held", "SELECT 'HOLD'")), Recorder(connect, hold), owner="first-run")
    thread = threading.Thread(target=first.apply)
    thread.start()
    entered.wait(10)
    try:
        return then()
    finally:
        release.set()
        thread.join()


def test_a_runner_two_hours_ahead_cannot_take_a_live_lock(connect, monkeypatch):
    def ahead():
        clock(monkeypatch, +2)
        with pytest.raises(LockHeld, match="first-run"):
            runner(manifest(hook("other", "SELECT 1")), connect, owner="ahead-run").apply()
    _while_held(connect, ahead)


def test_a_lock_taken_by_a_runner_two_hours_behind_does_not_look_expired_to_the_others(connect, monkeypatch):
    entered, release = threading.Event(), threading.Event()

    def hold(statement):
        if "HOLD" in statement:
            entered.set()
            release.wait(10)

    clock(monkeypatch, -2)
    behind = runner(manifest(hook("held", "SELECT 'HOLD'")), Recorder(connect, hold), owner="behind-run")
    thread = threading.Thread(target=behind.apply)
    thread.start()
    entered.wait(10)
    try:
        monkeypatch.setattr(ledger, "clock", REAL_UTCNOW)
        with pytest.raises(LockHeld, match="behind-run"):
            runner(manifest(hook("other", "SELECT 1")), connect, owner="on-time-run").apply()
    finally:
        release.set()
        thread.join()


def test_every_failure_is_counted_and_shown(connect):
    """Four independent hooks fail together: the report says four, and names each."""
    started = threading.Barrier(4, timeout=10)

    def together(statement):
        if "NO_SUCH_TABLE" in statement:
            started.wait()

    hooks = [hook(f"broken_{i}", f"SELECT * FROM {DATABASE}.PUBLIC.NO_SUCH_TABLE_{i}") for i in range(4)]
    report = runner(manifest(*hooks), Recorder(connect, together), max_workers=4).apply()
    text = report.to_text()
    assert (sorted(f.hook for f in report.failures), "4 failed" in text.splitlines()[0],
            text.count("  FAILED ")) == ([f"broken_{i}" for i in range(4)], True, 4)


def test_a_lock_names_a_dead_process_only_of_this_very_machine():
    identity = lock._machine_identity()
    if identity is None:
        pytest.skip("this platform cannot say which machine and pid namespace a pid belongs to")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()                                           # reaped: its pid names no process now
    here, elsewhere = socket.gethostname(), "another-host"
    assert [lock.gone_from_this_machine(owner) for owner in (
        f"ci@{here} pid {dead.pid} [{identity}]",         # gone, here: take it over
        f"ci@{here} pid {os.getpid()} [{identity}]",      # alive
        f"ci@{elsewhere} pid {dead.pid} [{identity}]",    # another host: cannot know
        f"ci@{here} pid {dead.pid} [boot 0 pidns 1]",     # another boot or container: cannot know
        "killed-child",                                   # says nothing
    )] == [True, False, False, False, False]


def test_a_killed_runs_lock_is_taken_over_at_once_on_its_machine(tmp_path):
    """A run SIGKILLed in a hook, its lock good for ten more minutes: the next run on the same machine
    sees the process is gone, takes the lock over and records the hook as interrupted."""
    m = manifest(hook("a", log_insert("a")), hook("b", log_insert("b"), depends_on=("a",)),
                 hook("c", log_insert("c")),
                 hook("killed", "SELECT 'BLOCK_HERE'", log_insert("killed"), depends_on=("b", "c")))
    (tmp_path / "hooks.json").write_text(m.to_json())
    db_path = tmp_path / "emulator"
    db_path.mkdir()
    ready = tmp_path / "blocked"
    child = subprocess.Popen([sys.executable, str(HERE / "killed_run_child.py"), str(tmp_path / "hooks.json"),
                              str(db_path), str(ready), "-", "600"], cwd=HERE, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: ready.exists() or child.poll() is not None, timeout=120, what="the child to block")
        assert ready.exists(), child.stderr.read().decode()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stderr.close()
    with open_emulator(db_path, DATABASE) as connect:
        rerun = runner(m, connect).apply()
    assert (rerun.interrupted, rerun.applied) == (["killed"], ["killed"])


def test_the_ledger_time_is_the_servers(connect, monkeypatch):
    clock(monkeypatch, -2)
    runner(manifest(hook("h", "SELECT 1")), connect).apply()
    conn = connect()
    try:
        cursor = conn.cursor()
        cursor.execute(f"SELECT MIN(RECORDED_AT) FROM {DATABASE}.SFE_PLATFORM_OPS.HOOK_LEDGER")
        (recorded,) = cursor.fetchone()
    finally:
        conn.close()
    assert abs(recorded - datetime.utcnow()) < timedelta(hours=1)
