"""Opt-in: the hook runner against a real Snowflake account.

Runs only with YSG_LIVE_CONNECTION=<a connection name in ~/.snowflake/connections.toml> (and optionally
YSG_LIVE_ENVIRONMENT, default dev); every test is skipped with that reason otherwise.
"""
from __future__ import annotations

import os

import pytest

from ysg.connection import connection_factory
from ysg.query import ReadOnlySession, run_read_only
from ysg_hooks.manifest import MANIFEST_FILE, load_manifest
from ysg_hooks.runner import HookRunner

pytestmark = pytest.mark.live
LIVE_CONNECTION = os.environ.get("YSG_LIVE_CONNECTION")
LIVE_ENVIRONMENT = os.environ.get("YSG_LIVE_ENVIRONMENT", "dev")


@pytest.fixture(scope="module")
def live(configs):
    if not LIVE_CONNECTION:
        pytest.skip("no live Snowflake connection: set YSG_LIVE_CONNECTION=<connection name> to run")
    config = configs[LIVE_ENVIRONMENT]
    return config, connection_factory(config, connection_name=LIVE_CONNECTION)


def test_the_environments_hooks_apply_and_a_second_apply_runs_nothing(live, synthesized):
    config, connect = live
    path = synthesized[LIVE_ENVIRONMENT] / MANIFEST_FILE
    if not path.exists():
        pytest.skip(f"synthesis wrote no {MANIFEST_FILE} for {config.names.stack}")
    runner = HookRunner(load_manifest(path), connect, ledger_database=config.database.name)
    first = runner.apply()
    assert first.ok, first.to_text()
    second = runner.apply()
    assert (second.applied, second.statements_executed) == ([], 0)


def test_a_read_only_query_returns_rows(live):
    config, connect = live
    session = ReadOnlySession(config.names.roles.analyst, config.names.warehouse)
    columns, rows = run_read_only(connect, "SELECT CURRENT_ACCOUNT() AS ACCOUNT", session)
    assert (columns, len(rows)) == (["ACCOUNT"], 1)


def test_the_query_session_cannot_write(live):
    """The barrier itself, past the allow-list: the analyst role without secondary roles is refused a
    write to a landing table (a DELETE that would delete nothing, in a transaction rolled back)."""
    from snowflake.connector.errors import ProgrammingError

    config, connect = live
    session = ReadOnlySession(config.names.roles.analyst, config.names.warehouse)
    conn = connect(**session.parameters())
    try:
        cursor = conn.cursor()
        for statement in session.setup:
            cursor.execute(statement)
        cursor.execute("BEGIN")
        with pytest.raises(ProgrammingError):
            cursor.execute(f"DELETE FROM {config.database.name}.SFE_RAW_BILLING.USAGE_METRICS WHERE FALSE")
        cursor.execute("ROLLBACK")
    finally:
        conn.close()


def test_two_runs_taking_the_lock_at_once_get_it_exactly_once(live, synthesized):
    """The lock's one MERGE is atomic only if Snowflake serializes it (the emulator always does)."""
    import threading

    from ysg_core.errors import LockHeld
    from ysg_hooks.runner.ledger import Counter

    config, connect = live
    path = synthesized[LIVE_ENVIRONMENT] / MANIFEST_FILE
    if not path.exists():
        pytest.skip(f"synthesis wrote no {MANIFEST_FILE} for {config.names.stack}")
    manifest = load_manifest(path)
    runners = {f"live-lock-{i}": HookRunner(manifest, connect, ledger_database=config.database.name,
                                            owner=f"live lock test {i}") for i in range(2)}
    start, outcomes, held = threading.Barrier(len(runners)), {}, {}

    def take(run_id: str, runner: HookRunner) -> None:
        conn = connect()
        try:
            start.wait()
            try:
                runner.lock.acquire(conn.cursor(), run_id, Counter())
                outcomes[run_id] = "acquired"
                held[run_id] = (runner, conn)
                return
            except LockHeld:
                outcomes[run_id] = "refused"
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[run_id] = f"error: {exc}"
        conn.close()

    threads = [threading.Thread(target=take, args=item) for item in runners.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for run_id, (runner, conn) in held.items():   # free the lock again, as a finished run does
        try:
            runner.lock.release(conn.cursor(), Counter(), None, [], run_id)
        finally:
            conn.close()
    assert sorted(outcomes.values()) == ["acquired", "refused"], outcomes
