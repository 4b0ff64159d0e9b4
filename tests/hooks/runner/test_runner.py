"""The hook runner on the embedded emulator (fakesnow): order, checksums, failures, locks, crashes."""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import signal
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
from ysg_core import ledger_schema
from ysg_core.contract import create_table_sql
from ysg_core.errors import LockHeld
from ysg_core.ledger_schema import LEDGER_SCHEMA
from ysg_hooks.manifest import ManifestError, checksum
from ysg_hooks.manifest import verify_manifest
from ysg_hooks.runner import HookRunner

HERE = Path(__file__).resolve().parent
LEDGER = f"{DATABASE}.{LEDGER_SCHEMA}.HOOK_LEDGER"
LOCK = f"{DATABASE}.{LEDGER_SCHEMA}.HOOK_LOCK"


@pytest.fixture
def connect(tmp_path):
    """A connect callable on a fresh persisted emulator, with the applied-log table hooks write to."""
    with fakesnow.patch(db_path=str(tmp_path)):
        connect = functools.partial(snowflake.connector.connect, database=DATABASE, schema="PUBLIC")
        conn = connect()
        conn.cursor().execute(f"CREATE TABLE {DATABASE}.PUBLIC.APPLIED_LOG (HOOK VARCHAR)")
        conn.close()
        yield connect


def query(connect, sql: str) -> list[tuple]:
    conn = connect()
    try:
        cursor = conn.cursor()
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        conn.close()


def runs_per_hook(connect) -> dict[str, int]:
    return dict(query(connect, f"SELECT HOOK, COUNT(*) FROM {DATABASE}.PUBLIC.APPLIED_LOG GROUP BY HOOK"))


def runner(m, connect, **kwargs) -> HookRunner:
    return HookRunner(m, connect, ledger_database=DATABASE, **kwargs)


def diamond():
    """base -> (left, right) -> top, plus an independent hook."""
    return manifest(
        hook("base", f"CREATE OR REPLACE TABLE {DATABASE}.PUBLIC.BASE (X INT)", log_insert("base")),
        hook("left", f"CREATE OR REPLACE VIEW {DATABASE}.PUBLIC.V_LEFT AS SELECT X FROM {DATABASE}.PUBLIC.BASE",
             log_insert("left"), depends_on=("base",)),
        hook("right", f"CREATE OR REPLACE VIEW {DATABASE}.PUBLIC.V_RIGHT AS SELECT X FROM {DATABASE}.PUBLIC.BASE",
             log_insert("right"), depends_on=("base",)),
        hook("top", f"CREATE OR REPLACE VIEW {DATABASE}.PUBLIC.V_TOP AS SELECT * FROM {DATABASE}.PUBLIC.V_LEFT "
             f"UNION ALL SELECT * FROM {DATABASE}.PUBLIC.V_RIGHT", log_insert("top"), depends_on=("left", "right")),
        hook("alone", log_insert("alone")),
    )


def test_plan_on_a_fresh_environment_marks_every_hook_new(connect):
    assert {p.name: p.state for p in runner(diamond(), connect).plan()} == {
        "alone": "new", "base": "new", "left": "new", "right": "new", "top": "new"}


def test_apply_finishes_every_dependency_before_its_dependent_starts(connect):
    recorder = Recorder(connect)
    m = diamond()
    report = runner(m, recorder).apply()
    position = {event: i for i, event in enumerate(recorder.events)}
    violations = [(dep, h.name) for h in m.hooks for dep in h.depends_on
                  if position[("end", log_insert(dep))] > position[("start", h.statements[0])]]
    assert (report.ok, violations) == (True, [])


def test_independent_hooks_run_concurrently(connect):
    # Each statement waits for the other at a barrier: run one after the other, both would time out.
    barrier = threading.Barrier(2, timeout=10)

    def meet(statement):
        if "MEET" in statement:
            barrier.wait()

    m = manifest(hook("one", "SELECT 'MEET' AS A"), hook("two", "SELECT 'MEET' AS B"))
    report = runner(m, Recorder(connect, meet), max_workers=2).apply()
    assert (report.failed, sorted(report.applied)) == (None, ["one", "two"])


def test_a_second_apply_runs_no_statement_of_an_unchanged_hook(connect):
    runner(diamond(), connect).apply()
    recorder = Recorder(connect)
    report = runner(diamond(), recorder).apply()
    assert (report.applied, recorder.hook_statements()) == ([], [])


def _with_changed(name: str):
    return manifest(*[h if h.name != name else dataclasses.replace(h, statements=h.statements + ("SELECT 2",))
                      for h in diamond().hooks])


def test_a_changed_hook_runs_again_with_what_depends_on_it_and_nothing_else(connect):
    runner(diamond(), connect).apply()
    changed = _with_changed("left")
    states = {p.name: p.state for p in runner(changed, connect).plan()}
    report = runner(changed, connect).apply()
    assert (states["left"], states["top"], states["right"], report.applied, runs_per_hook(connect)) == (
        "changed", "changed", "unchanged", ["left", "top"],
        {"base": 1, "left": 2, "right": 1, "top": 2, "alone": 1})


def test_every_dependant_re_runs_when_the_hook_it_depends_on_re_applies(connect):
    """Issue 12, finding 2: CREATE OR REPLACE of the search service or the agent drops their grants, so
    the grants hooks, unchanged themselves, must run again; transitively, in dependency order."""
    runner(diamond(), connect).apply()
    changed = _with_changed("base")
    plans = {p.name: p for p in runner(changed, connect).plan()}
    recorder = Recorder(connect)
    report = runner(changed, recorder).apply()
    assert {n: p.state for n, p in plans.items()} == {
        "base": "changed", "left": "changed", "right": "changed", "top": "changed", "alone": "unchanged"}
    assert plans["top"].reason == "re-applied after left, right, which it depends on"
    logged = [s.split("'")[1] for s in recorder.hook_statements() if "APPLIED_LOG" in s]
    assert report.applied == ["base", "left", "right", "top"] or report.applied == ["base", "right", "left", "top"]
    assert logged.index("base") < min(logged.index("left"), logged.index("right")) < logged.index("top")


def test_a_failure_is_recorded_with_its_file_and_statement_and_the_next_run_resumes_from_it(connect):
    bad = f"INSERT INTO {DATABASE}.PUBLIC.NOT_YET (X) VALUES (1)"
    m = manifest(hook("first", log_insert("first")),
                 hook("second", "SELECT 1", bad, log_insert("second"), depends_on=("first",)),
                 hook("third", log_insert("third"), depends_on=("second",)))
    failed = runner(m, connect).apply()
    recorded = query(connect, f"SELECT STATUS, SQL_FILE, STATEMENT_INDEX, STATEMENT FROM {LEDGER} "
                              "WHERE HOOK = 'second' AND STATUS = 'failed'")
    query(connect, f"CREATE TABLE {DATABASE}.PUBLIC.NOT_YET (X INT)")   # the fix
    resumed = runner(m, connect).apply()
    assert (failed.applied, failed.failed.hook, failed.failed.statement_index, failed.not_run, recorded,
            resumed.applied, resumed.unchanged, runs_per_hook(connect)) == (
        ["first"], "second", 2, ["third"], [("failed", "sql/test/second.sql", 2, bad)],
        ["second", "third"], ["first"], {"first": 1, "second": 1, "third": 1})


def test_scheduling_stops_at_the_first_failure(connect):
    # One worker: `b_next` is ready from the start, yet must not start once `a_broken` has failed.
    m = manifest(hook("a_broken", "SELECT * FROM NO_SUCH_TABLE"), hook("b_next", log_insert("b_next")),
                 hook("c_after", log_insert("c_after"), depends_on=("b_next",)))
    report = runner(m, connect, max_workers=1).apply()
    assert (report.failed.hook, report.not_run, runs_per_hook(connect)) == ("a_broken", ["b_next", "c_after"], {})


def test_snowflake_only_hooks_and_their_dependents_are_skipped_with_the_reason(connect):
    m = manifest(hook("base", log_insert("base")),
                 hook("search", "CREATE CORTEX SEARCH SERVICE S ON X WAREHOUSE = W TARGET_LAG = '1 hour' AS SELECT 1 X",
                      depends_on=("base",), snowflake_only=True, reason="Cortex Search is not in the emulator"),
                 hook("agent", "SELECT 1", depends_on=("search",)))
    report = runner(m, connect, skip_snowflake_only=True).apply()
    assert (report.applied, report.skipped) == (["base"], {
        "search": "Cortex Search is not in the emulator", "agent": "depends on skipped hook search"})


def test_dry_run_sends_nothing_but_the_ledger_read(connect):
    recorder = Recorder(connect)
    report = runner(diamond(), recorder).apply(dry_run=True)
    schemas = query(connect, f"SELECT COUNT(*) FROM {DATABASE}.INFORMATION_SCHEMA.SCHEMATA "
                             f"WHERE SCHEMA_NAME = '{LEDGER_SCHEMA}'")
    assert (report.would_apply, [s.split()[0] for s in recorder.statements], schemas, runs_per_hook(connect)) == (
        ["alone", "base", "left", "right", "top"], ["SELECT"], [(0,)], {})


def test_the_ledger_records_checksum_times_and_query_ids(connect):
    m = manifest(hook("only", "SELECT 1", log_insert("only")))
    runner(m, connect).apply()
    (row,) = query(connect, f"SELECT CHECKSUM, STARTED_AT <= ENDED_AT, QUERY_IDS FROM {LEDGER} "
                            "WHERE STATUS = 'applied'")
    assert (row[0], row[1], len([q for q in json.loads(row[2]) if q])) == (m.hooks[0].checksum, True, 2)


def _second_run_while_the_first_holds_the_lock(connect, second_connect):
    """Start `first-run`, and while it is inside its one hook, apply `second-run` through
    `second_connect`; return the LockHeld that refused the second and the first run's report."""
    entered, release = threading.Event(), threading.Event()

    def hold(statement):
        if "HOLD" in statement:
            entered.set()
            release.wait(10)

    first = runner(manifest(hook("held", "SELECT 'HOLD'")), Recorder(connect, hold), owner="first-run")
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("report", first.apply()))
    thread.start()
    entered.wait(10)
    try:
        with pytest.raises(LockHeld, match="first-run, until 20") as refused:
            runner(diamond(), second_connect, owner="second-run").apply()
    finally:
        release.set()
        thread.join()
    return refused.value, outcome["report"]


def test_a_second_concurrent_run_is_refused_naming_the_holder(connect):
    refused, first = _second_run_while_the_first_holds_the_lock(connect, connect)
    assert (refused.holder, first.applied) == ("first-run", ["held"])


def test_a_run_longer_than_the_lock_ttl_keeps_its_lock_by_renewing_it(connect):
    entered, release = threading.Event(), threading.Event()

    def hold(statement):
        if "HOLD" in statement:
            entered.set()
            release.wait(10)

    first = runner(manifest(hook("long", "SELECT 'HOLD'")), Recorder(connect, hold), owner="long-run",
                   lock_ttl_seconds=1)
    thread = threading.Thread(target=first.apply)
    thread.start()
    entered.wait(10)
    try:
        threading.Event().wait(2.5)     # well past the one-second ttl
        with pytest.raises(LockHeld, match="long-run"):
            runner(diamond(), connect, owner="impatient-run").apply()
    finally:
        release.set()
        thread.join()


def test_an_expired_lock_is_taken_over(connect):
    runner(manifest(hook("seed", "SELECT 1")), connect).apply()    # creates the ledger and lock
    past = (datetime.utcnow() - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S")
    query(connect, f"UPDATE {LOCK} SET OWNER = 'crashed-run', RUN_ID = 'crashed', EXPIRES_AT = '{past}'")
    report = runner(diamond(), connect).apply()
    assert sorted(report.applied) == ["alone", "base", "left", "right", "top"]


def test_an_unexpired_lock_of_another_run_is_refused(connect):
    runner(manifest(hook("seed", "SELECT 1")), connect).apply()
    future = (datetime.utcnow() + timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S")
    query(connect, f"UPDATE {LOCK} SET OWNER = 'busy-run', RUN_ID = 'busy', EXPIRES_AT = '{future}'")
    with pytest.raises(LockHeld, match="busy-run"):
        runner(diamond(), connect).apply()


def _is_acquire(statement: str) -> bool:
    return statement.startswith("MERGE") and "SET OWNER" in statement


def _is_ledger_read(statement: str) -> bool:
    return statement.startswith("SELECT") and "HOOK_LEDGER" in statement and LEDGER_SCHEMA in statement


def _round_trips(spans: list[tuple[str, float, float]]) -> int:
    """How many sequential round trips these statements took: overlapping ones count as one."""
    trips, busy_until = 0, None
    for _, sent, returned in sorted(spans, key=lambda span: span[1]):
        if busy_until is None or sent >= busy_until:
            trips += 1
            busy_until = returned
        else:
            busy_until = max(busy_until, returned)
    return trips


def test_the_ledger_read_overlaps_the_lock_acquisition_leaving_two_sequential_bookkeeping_round_trips(connect):
    runner(manifest(hook("seed", "SELECT 1")), connect).apply()    # the ledger and lock exist
    sent = {"acquire": threading.Event(), "read": threading.Event()}

    def meet(statement):
        # The acquire and the ledger read each wait, without failing, for the other to have been sent.
        # Sent one after the other, the first waits out the timeout alone and they do not overlap.
        kind = "acquire" if _is_acquire(statement) else "read" if _is_ledger_read(statement) else None
        if kind:
            sent[kind].set()
            sent["read" if kind == "acquire" else "acquire"].wait(2)
        threading.Event().wait(0.05)    # every statement takes a little while, as over a network

    recorder = Recorder(connect, meet)
    report = runner(manifest(hook("one", "SELECT 1", log_insert("one"))), recorder).apply()
    bookkeeping = [span for span in recorder.spans if LEDGER_SCHEMA in span[0]]
    hooks = [span for span in recorder.spans if LEDGER_SCHEMA not in span[0]]
    (acquire,) = [span for span in bookkeeping if _is_acquire(span[0])]
    (read,) = [span for span in bookkeeping if _is_ledger_read(span[0])]
    first_hook_sent = min(sent_at for _, sent_at, _ in hooks)
    last_hook_returned = max(returned for _, _, returned in hooks)
    before = [span for span in bookkeeping if span[2] <= first_hook_sent]
    after = [span for span in bookkeeping if span[1] >= last_hook_returned]
    assert (report.applied, acquire[1] < read[2] and read[1] < acquire[2],
            sorted(before) == sorted([acquire, read]), _round_trips(before), _round_trips(after),
            report.bookkeeping_statements, len(bookkeeping)) == (
        ["one"], True, True, 1, 1, 4, 4)    # acquire || read, the hook, the final write; plus `running`


def test_a_run_that_releases_between_our_ledger_read_and_our_acquire_makes_us_read_the_ledger_again(connect):
    # Run P holds the lock while its hook `shared` runs. Our ledger read is let through (it sees P's lock
    # held); our acquire is held until then, and until P has applied `shared` and released the lock.
    entered, release = threading.Event(), threading.Event()

    def hold(statement):
        if "HOLD" in statement:
            entered.set()
            release.wait(10)

    shared = hook("shared", "SELECT 'HOLD'", log_insert("shared"))
    other = runner(manifest(shared), Recorder(connect, hold), owner="p-run")
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("report", other.apply()))
    thread.start()
    ours = Recorder(connect)

    def sequence(statement):
        if _is_acquire(statement):
            wait_for(lambda: any(kind == "end" and _is_ledger_read(s) for kind, s in ours.events),
                     timeout=10, what="our ledger read")
            release.set()
            thread.join(10)

    ours.on_statement = sequence
    try:
        assert entered.wait(10)
        report = runner(manifest(shared), ours, owner="our-run").apply()
    finally:
        release.set()
        thread.join()
    reads = [s for s in ours.statements if _is_ledger_read(s)]
    assert (outcome["report"].applied, report.applied, report.unchanged, runs_per_hook(connect), len(reads),
            report.bookkeeping_statements) == (
        ["shared"], [], ["shared"], {"shared": 1}, 2, 4)    # acquire, read, read again, release


def test_a_ledger_created_between_our_ledger_read_and_our_acquire_is_read_under_the_lock(connect):
    # Our read finds no ledger; before our acquire, another run creates it and applies `shared`.
    shared = hook("shared", log_insert("shared"))
    ours = Recorder(connect)

    def sequence(statement):
        if _is_acquire(statement) and not any(_is_acquire(s) for s in ours.statements[:-1]):
            wait_for(lambda: any(kind == "end" and _is_ledger_read(s) for kind, s in ours.events),
                     timeout=10, what="our ledger read")
            runner(manifest(shared), connect, owner="p-run").apply()

    ours.on_statement = sequence
    report = runner(manifest(shared), ours, owner="our-run").apply()
    reads = [s for s in ours.statements if _is_ledger_read(s)]
    assert (report.applied, report.unchanged, runs_per_hook(connect), len(reads), report.bookkeeping_statements) == (
        [], ["shared"], {"shared": 1}, 2, 4)    # acquire, read (no table), read again, release


def test_a_manifest_whose_sql_does_not_match_its_checksum_is_refused(connect):
    m = diamond()
    tampered = dataclasses.replace(m.hooks[0], statements=(f"DROP TABLE {DATABASE}.PUBLIC.APPLIED_LOG",))
    with pytest.raises(ManifestError, match="does not match its checksum"):
        runner(dataclasses.replace(m, hooks=(tampered,) + m.hooks[1:]), connect)


def test_a_value_that_smuggles_a_second_statement_is_refused_even_with_a_valid_checksum(connect):
    # What a configuration value carrying SQL would produce if it ever bypassed the renderer.
    smuggled = "COMMENT ON TABLE T IS 'x'; DROP TABLE T; --'"
    bad = hook("bad", smuggled)
    bad = dataclasses.replace(bad, checksum=checksum(bad.statements))
    with pytest.raises(ManifestError, match="more than one SQL statement"):
        runner(dataclasses.replace(manifest(hook("ok", "SELECT 'a;b'")), hooks=(bad,)), connect)


@pytest.mark.parametrize("statement", [
    "SELECT 'a;b' AS A",
    "SELECT 1 AS A -- ; DROP TABLE T",
    "CREATE OR REPLACE PROCEDURE P() RETURNS INT LANGUAGE SQL AS $$ BEGIN SELECT 1; RETURN 1; END; $$",
])
def test_a_semicolon_inside_a_string_comment_or_body_is_not_a_second_statement(statement):
    verify_manifest(manifest(hook("ok", statement)))


def test_a_run_killed_mid_hook_then_rerun_applies_nothing_twice_and_leaves_the_ledger_consistent(tmp_path):
    # A real process applies a -> b, c -> killed (blocks) -> after, and is SIGKILLed inside `killed`.
    m = manifest(hook("a", log_insert("a")), hook("b", log_insert("b"), depends_on=("a",)),
                 hook("c", log_insert("c")),
                 hook("killed", "SELECT 'BLOCK_HERE'", log_insert("killed"), depends_on=("b", "c")),
                 hook("after", log_insert("after"), depends_on=("killed",)))
    (tmp_path / "hooks.json").write_text(m.to_json())
    db_path = tmp_path / "emulator"
    db_path.mkdir()
    ready = tmp_path / "blocked"
    child = subprocess.Popen([sys.executable, str(HERE / "killed_run_child.py"), str(tmp_path / "hooks.json"),
                              str(db_path), str(ready)], cwd=HERE, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: ready.exists() or child.poll() is not None, timeout=120, what="the child to block")
        assert ready.exists(), child.stderr.read().decode()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stderr.close()

    with open_emulator(db_path, DATABASE) as connect:   # as `ysg up` opens it: connections one at a time
        with pytest.raises(LockHeld, match="killed-child"):     # the dead run's lock has not expired yet
            runner(m, connect).apply()
        wait_for(lambda: _lock_expired(connect), timeout=30, what="the dead run's lock to expire")
        rerun = runner(m, connect).apply()
        latest = query(connect, f"SELECT HOOK, STATUS FROM {LEDGER} WHERE HOOK IS NOT NULL QUALIFY ROW_NUMBER() OVER "
                                "(PARTITION BY HOOK ORDER BY RECORDED_AT DESC, SEQ DESC) = 1 ORDER BY HOOK")
        after_rerun = runner(m, connect, owner="third-run").apply()     # the rerun released the lock
        assert (rerun.interrupted, rerun.applied, sorted(rerun.unchanged), runs_per_hook(connect), latest,
                after_rerun.applied) == (
            ["killed"], ["killed", "after"], ["a", "b", "c"],
            {"a": 1, "b": 1, "c": 1, "killed": 1, "after": 1},
            [(h, "applied") for h in ("a", "after", "b", "c", "killed")], [])


def _lock_expired(connect) -> bool:
    (expires_at,) = query(connect, f"SELECT EXPIRES_AT FROM {LOCK}")[0]   # the dead run never released it
    return expires_at is None or expires_at < datetime.utcnow()


# --- the ledger and lock as Terraform creates them (ysg_core.ledger_schema): empty tables, no lock row --------

def deploy_ledger(connect) -> None:
    """What `cdktf deploy` leaves: the schema and both tables with the stack's columns, no rows."""
    conn = connect()
    try:
        cursor = conn.cursor()
        cursor.execute(f"CREATE SCHEMA {DATABASE}.{LEDGER_SCHEMA}")
        for table, (_, columns) in ledger_schema.TABLES.items():
            cursor.execute(create_table_sql(DATABASE, LEDGER_SCHEMA, table, columns, where=table))
    finally:
        conn.close()


def test_the_first_apply_on_deployed_empty_tables_is_one_acquire_round_trip_then_the_hooks(connect):
    deploy_ledger(connect)
    recorder = Recorder(connect)
    report = runner(manifest(hook("one", "SELECT 1", log_insert("one"))), recorder, owner="first-run").apply()
    bookkeeping = [span for span in recorder.spans if LEDGER_SCHEMA in span[0]]
    first_hook_sent = min(sent for statement, sent, _ in recorder.spans if LEDGER_SCHEMA not in statement)
    # What the first hook waited for; the writer's `running` event is sent alongside it, not before it.
    before = [span for span in bookkeeping if span[1] < first_hook_sent and not span[0].startswith("INSERT")]
    lock_rows = query(connect, f"SELECT LOCK_NAME, OWNER FROM {LOCK}")
    assert (report.applied, sorted(_kind(s) for s, _, _ in before), _round_trips(before),
            report.bookkeeping_statements, len(bookkeeping), lock_rows) == (
        ["one"], ["acquire", "read"], 1, 4, 4, [("hooks", "first-run")])   # + `running`, the final write


def _kind(statement: str) -> str:
    return "acquire" if _is_acquire(statement) else "read" if _is_ledger_read(statement) else statement[:40]


def test_a_second_concurrent_run_on_deployed_tables_is_refused_naming_the_holder(connect):
    deploy_ledger(connect)
    second = Recorder(connect)
    refused, first = _second_run_while_the_first_holds_the_lock(connect, second)
    assert (refused.holder, first.applied, second.hook_statements(),
            query(connect, f"SELECT COUNT(*) FROM {LOCK}")) == ("first-run", ["held"], [], [(1,)])


def test_on_a_bare_database_the_runner_creates_the_stacks_tables_then_acquires(connect):
    recorder = Recorder(connect)
    report = runner(manifest(hook("one", log_insert("one"))), recorder).apply()
    columns = {table: [row[0] for row in query(
        connect, "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = "
                 f"'{LEDGER_SCHEMA}' AND TABLE_NAME = '{table}' ORDER BY ORDINAL_POSITION")]
        for table in ledger_schema.TABLES}
    control = [s.split(" (")[0] if s.startswith("CREATE") else _kind(s) for s in recorder.statements
               if LEDGER_SCHEMA in s and not s.startswith("INSERT") and not _is_ledger_read(s)]
    assert (report.applied, columns, control, report.bookkeeping_statements) == (
        ["one"], {t: [c.name for c in cols] for t, (_, cols) in ledger_schema.TABLES.items()},
        ["acquire", f"CREATE SCHEMA IF NOT EXISTS {DATABASE}.{LEDGER_SCHEMA}",
         f"CREATE TABLE IF NOT EXISTS {LEDGER}", f"CREATE TABLE IF NOT EXISTS {LOCK}", "acquire"],
        8)   # read (no table) || acquire (no table), 3 creates, acquire, `running`, the final write


def test_a_failure_names_the_statement_by_its_one_based_position():
    # `ysg up` printed statement_index + 1 though the index is already 1-based.
    from ysg_hooks.runner import HookFailure

    failure = HookFailure(hook="stg.v_usage", sql_file="sql/stg/v_usage.sql", statement_index=2,
                          statement="SELECT 1", error="boom")
    assert failure.describe() == "hook stg.v_usage (sql/stg/v_usage.sql) failed at statement 2: boom"


def test_every_connection_pins_the_manifests_role_and_warehouse_and_a_hook_with_a_role_gets_its_own(connect):
    """Never the user's defaults (issue 12): role and warehouse are connection parameters of every
    connection the runner opens, the lock's and the ledger's included; a hook that names its own role
    (the app, which must belong to the role it runs as) runs on a connection opened with that role."""
    recorder = Recorder(connect)
    m = manifest(hook("base", log_insert("base")), hook("app", log_insert("app"), role="APP_ROLE", depends_on=("base",)),
                 role="PIPELINE_ROLE", warehouse="BILLING_WH")
    report = runner(m, recorder).apply()
    assert report.ok and report.applied == ["base", "app"]
    assert recorder.sessions and all(s["warehouse"] == "BILLING_WH" for s in recorder.sessions)
    roles = [s["role"] for s in recorder.sessions]
    assert set(roles) == {"PIPELINE_ROLE", "APP_ROLE"} and roles.count("APP_ROLE") == 1


class _SessionOnly:
    """A connection that only records what is sent: enough for what `open` does before any hook."""

    def __init__(self, sent: list[str]):
        self.sent = sent

    def cursor(self):
        return self

    def execute(self, statement, params=None):
        self.sent.append(statement)

    def close(self):
        pass


@pytest.mark.parametrize("target, expected", [("snowflake", ["USE SECONDARY ROLES NONE"]), ("emulator", [])])
def test_in_snowflake_every_connection_turns_secondary_roles_off(target, expected):
    """A pinned role is the only one: with the user's secondary roles (('ALL') by default) a hook would also
    act with the deploy role's privileges, which the access model does not count (issue 12)."""
    sent: list[str] = []
    m = dataclasses.replace(manifest(hook("h", "SELECT 1"), role="PIPELINE_ROLE"), target=target)
    runner(m, lambda **session: _SessionOnly(sent)).open(role="APP_ROLE")
    assert sent == expected


def test_a_hooks_role_is_part_of_what_it_does():
    """Objects belong to the role that creates them: the same SQL run as another role is another result."""
    assert checksum(["SELECT 1"]) != checksum(["SELECT 1"], "APP_ROLE")
    assert hook("h", "SELECT 1", role="APP_ROLE").with_checksum().checksum == checksum(["SELECT 1"], "APP_ROLE")
