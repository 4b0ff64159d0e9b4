"""sql/: what later data may not change (earlier months' anomaly baselines), and the Salesforce sync
task's MERGE run twice over the same answer. Each test builds its own emulator (the flow of
test_data_flow.py holds its own open for the whole module)."""
import datetime as dt
import json

from ysg.emulator import apply_stack_subset, emulator_connection
from ysg.local_standins import SALESFORCE_RESPONSES, create_metering_standin, run_salesforce_sync
from ysg_hooks.manifest import load_manifest

DB = "SNOWFLAKE_EXAMPLE_LOCAL"
T = dt.datetime


def _rows(cursor, sql):
    cursor.execute(sql)
    return [tuple(row) for row in cursor.fetchall()]


def _emulator_with_hooks(directory, stack, manifest, load):
    """A fresh emulator: the stack's subset, `load(cursor)`, then every emulator-runnable hook."""
    context = emulator_connection(directory, DB)
    connection = context.__enter__()
    apply_stack_subset(connection, stack)
    cursor = connection.cursor()
    create_metering_standin(cursor)
    load(connection, cursor)
    for hook in manifest.hooks:
        if not hook.snowflake_only:
            for statement in hook.statements:
                cursor.execute(statement)
    return context, connection, cursor


def _insert_usage(cursor, rows):
    for row in rows:
        cursor.execute(f"INSERT INTO {DB}.SFE_RAW_BILLING.USAGE_METRICS (usage_id, account_id, usage_ts, "
                       "service_type, cost_amount, region_code, ingest_source) "
                       "VALUES (%s, %s, %s, %s, %s, 'NAMER', 'kafka')", row)


MONTH_LEVEL = ("SELECT account_id, billing_month, total_cost, baseline_cost, anomaly_score, {label} FROM "
               "{table} WHERE billing_month < '2025-07-01' ORDER BY account_id, billing_month")


def test_a_later_month_never_changes_an_earlier_months_baseline_score_or_flag(synthesized, stacks, tmp_path):
    manifest = load_manifest(synthesized["local"])
    hooks = manifest.by_name()
    # Account 1: five months, one of them anomalous (April); account 2: two months.
    months = [(11, 1, T(2025, 1, 5), "voice", "100"), (12, 1, T(2025, 2, 5), "voice", "110"),
              (13, 1, T(2025, 3, 5), "voice", "90"), (14, 1, T(2025, 4, 5), "voice", "250"),
              (15, 1, T(2025, 5, 5), "voice", "105"), (21, 2, T(2025, 1, 9), "data", "40"),
              (22, 2, T(2025, 2, 9), "data", "45")]
    context, connection, cursor = _emulator_with_hooks(tmp_path / "emu", stacks["local"], manifest,
                                                       lambda _, c: _insert_usage(c, months))
    try:
        tables = {"FCT": (f"{DB}.SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS", "alert_label"),
                  "DT": (f"{DB}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING", "latest_alert")}
        before = {k: _rows(cursor, MONTH_LEVEL.format(table=t, label=label)) for k, (t, label) in tables.items()}
        # Later months land: a huge July for account 1 and a quiet one for account 2 (the emulator's dynamic
        # table is a snapshot, so its hook runs again, as Snowflake's refresh would).
        _insert_usage(cursor, [(16, 1, T(2025, 7, 5), "voice", "5000"), (23, 2, T(2025, 7, 9), "data", "1")])
        for name in ("analytics.fct_account_costs", "analytics.dt_account_billing"):
            for statement in hooks[name].statements:
                cursor.execute(statement)
        after = {k: _rows(cursor, MONTH_LEVEL.format(table=t, label=label)) for k, (t, label) in tables.items()}
        july = _rows(cursor, f"SELECT account_id, latest_alert FROM {DB}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING "
                             "WHERE billing_month = '2025-07-01' ORDER BY account_id")
    finally:
        context.__exit__(None, None, None)
    april = [r for r in before["DT"] if r[0] == 1 and r[1] == dt.date(2025, 4, 1)]
    # The later data is real (July is there, and flagged), April's flag was ANOMALY before and after,
    # and not one earlier month of either table moved.
    assert (july, [r[5] for r in april], after) == ([(1, "ANOMALY"), (2, "NORMAL")], ["ANOMALY"], before)


def test_the_salesforce_sync_merge_runs_twice_and_the_second_run_changes_nothing(synthesized, stacks, tmp_path):
    manifest = load_manifest(synthesized["local"])
    context, connection, cursor = _emulator_with_hooks(tmp_path / "emu", stacks["local"], manifest,
                                                       lambda *_: None)
    snapshot = f"SELECT * FROM {DB}.SFE_RAW_BILLING.SALESFORCE_ACCOUNTS ORDER BY sfdc_account_id"
    try:
        first = run_salesforce_sync(connection, manifest, DB)
        after_first = _rows(cursor, snapshot)
        second = run_salesforce_sync(connection, manifest, DB)
        after_second = _rows(cursor, snapshot)
        # Negative control: the same MERGE does see a changed answer (one account owner moved).
        answer = json.loads(SALESFORCE_RESPONSES.read_text())
        answer["records"][0]["Owner"]["Name"] = "Someone Else"
        changed = tmp_path / "changed.json"
        changed.write_text(json.dumps(answer))
        third = run_salesforce_sync(connection, manifest, DB, responses=changed)
    finally:
        context.__exit__(None, None, None)
    records = len(json.loads(SALESFORCE_RESPONSES.read_text())["records"])
    assert ((first.inserted, first.updated), len(after_first), (second.inserted, second.updated),
            after_second == after_first, (third.inserted, third.updated)) == (
        (records, 0), records, (0, 0), True, (0, 1))
