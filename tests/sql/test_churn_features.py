"""sql/analytics/v_churn_*.sql on the sample data: no feature reads data after its observation date,
the labels look only after it, and the held-out accounts never reach training."""
import datetime as dt

import pytest

from ysg.emulator import apply_stack_subset, emulator_connection
from ysg.local_standins import create_metering_standin
from ysg.sample_data import load_sample_data
from ysg_hooks.manifest import load_manifest

CUTOFF = "2025-08-01"


def _rows(cursor, sql):
    cursor.execute(sql)
    return sorted(tuple(row) for row in cursor.fetchall())


@pytest.fixture(scope="module")
def sample_flow(synthesized, stacks, configs, tmp_path_factory):
    config = configs["local"]
    tmp = tmp_path_factory.mktemp("churn")
    with emulator_connection(tmp / "emu", config.database.name) as connection:
        apply_stack_subset(connection, stacks["local"])
        load_sample_data(connection, config, tmp / "work")
        cursor = connection.cursor()
        create_metering_standin(cursor)
        for hook in load_manifest(synthesized["local"]).hooks:
            if not hook.snowflake_only:
                for statement in hook.statements:
                    cursor.execute(statement)
        yield cursor, config.database.name


def test_changing_data_after_the_cutoff_changes_no_feature_as_of_it(sample_flow):
    cursor, db = sample_flow
    features = f"SELECT * FROM {db}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES WHERE cutoff_date <= '{CUTOFF}'"
    later = f"SELECT * FROM {db}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES WHERE cutoff_date > '{CUTOFF}'"
    before, later_before = _rows(cursor, features), _rows(cursor, later)
    # Everything after the cutoff is rewritten: usage costs and volumes tripled, a third of the events
    # deleted, new events and a new account added, and the segment history changed.
    cursor.execute(f"UPDATE {db}.SFE_RAW_BILLING.USAGE_METRICS SET cost_amount = cost_amount * 3, "
                   f"minutes_used = minutes_used * 3, data_mb = data_mb * 3 WHERE usage_ts >= '{CUTOFF}'")
    cursor.execute(f"DELETE FROM {db}.SFE_RAW_BILLING.USAGE_METRICS WHERE usage_ts >= '{CUTOFF}' AND MOD(usage_id, 3) = 0")
    cursor.execute(f"INSERT INTO {db}.SFE_RAW_BILLING.USAGE_METRICS (usage_id, account_id, usage_ts, service_type, "
                   "cost_amount, minutes_used, region_code, ingest_source) VALUES "
                   "(9000001, 10001, '2025-09-15 10:00:00', 'voice', 999, 20000, 'NAMER', 'kafka'), "
                   "(9000002, 19999, '2025-10-02 10:00:00', 'voice', 50, 1000, 'EMEA', 'kafka')")
    cursor.execute(f"UPDATE {db}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS SET lifecycle_status = 'Churned' "
                   f"WHERE effective_end IS NULL AND account_id = 10002")
    after, later_after = _rows(cursor, features), _rows(cursor, later)
    # Negative control: the rewrite is real, since features as of later cutoffs did change.
    assert (len(before) > 500, after == before, later_after != later_before) == (True, True, True)


def test_no_snapshot_of_an_account_already_churned_at_its_cutoff_and_labels_look_three_months_ahead(sample_flow):
    cursor, db = sample_flow
    churned = dict(_rows(cursor, f"SELECT account_id, MIN(effective_start) FROM {db}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS "
                                 "WHERE lifecycle_status = 'Churned' GROUP BY account_id"))
    labels = _rows(cursor, f"SELECT account_id, cutoff_date, churn_label FROM {db}.SFE_ANALYTICS_COSTS.V_CHURN_LABELS")
    wrong = []
    for account, cutoff, label in labels:
        on = churned.get(account)
        horizon = dt.date(cutoff.year + (cutoff.month + 2) // 12, (cutoff.month + 2) % 12 + 1, 1)
        expected = "CHURNED" if on is not None and cutoff < on <= horizon else "RETAINED"
        if (on is not None and on <= cutoff) or label != expected:
            wrong.append((account, cutoff, label, on))
    assert (len(labels) > 500, {label for *_, label in labels}, wrong) == (True, {"CHURNED", "RETAINED"}, [])


def test_held_out_accounts_never_train_and_scoring_skips_churned_accounts(sample_flow):
    cursor, db = sample_flow
    held_out = _rows(cursor, f"SELECT DISTINCT account_id FROM {db}.SFE_ANALYTICS_COSTS.V_CHURN_HOLDOUT")
    training_ids = _rows(cursor, f"SELECT DISTINCT l.account_id FROM {db}.SFE_ANALYTICS_COSTS.V_CHURN_LABELS l "
                                 "WHERE NOT l.held_out")
    scored_churned = _rows(cursor, f"SELECT s.account_id FROM {db}.SFE_ANALYTICS_COSTS.V_CHURN_SCORING s JOIN "
                                   f"{db}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS c ON c.account_id = s.account_id "
                                   "WHERE c.lifecycle_status = 'Churned'")
    assert (len(held_out) > 20, set(held_out) & set(training_ids), scored_churned) == (True, set(), [])
