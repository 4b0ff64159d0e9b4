"""sql/: the hooks run on the emulator against a small fixture whose answers are worked out by hand.

The landing tables come from the synthesized billing-local stack (ysg.emulator); the hooks run in
manifest order with a plain loop (the runner is tested on its own); Snowflake-only hooks are skipped.
"""
import datetime as dt
from decimal import Decimal as D

import pytest

from ysg.emulator import apply_stack_subset, emulator_connection
from ysg.local_standins import create_metering_standin
from ysg_hooks.manifest import load_manifest

DB = "SNOWFLAKE_EXAMPLE_LOCAL"
T = dt.datetime

# Account 1 (Enterprise, Active): four events over January and February.
# Account 2 (SMB, Churned): its segment row starts on 2025-01-11, so its 2025-01-10 event has none.
# Account 3: usage but no segment and no Salesforce row. Account 4: Salesforce only, no usage.
USAGE = [  # usage_id, account_id, usage_ts, service_type, cost_amount
    (1, 1, T(2025, 1, 5, 10, 0), "voice", "10.0000"),
    (2, 1, T(2025, 1, 20, 9, 30), "data", "20.0000"),
    (3, 1, T(2025, 2, 3, 12, 0), "sms", "2.0000"),
    (4, 1, T(2025, 2, 15, 18, 45), "data", "48.0000"),
    (5, 2, T(2025, 1, 10, 7, 0), "voice", "5.0000"),
    (6, 2, T(2025, 1, 11, 8, 0), "sms", "1.0000"),
    (7, 3, T(2025, 2, 28, 23, 59, 59), "data", "7.5000"),
]
# (usage_id, bucket, amount): usage 2 has two buckets (14 + 6 = its cost of 20); usage 3 has none.
ALLOCATIONS = [(1, "VOICE_NETWORK", "10"), (2, "DATA_NETWORK", "14"), (2, "ROAMING", "6"), (4, "ROAMING", "48"),
               (5, "VOICE_NETWORK", "5"), (6, "MESSAGING", "1"), (7, "DATA_NETWORK", "7.5")]
SEGMENTS = [(1, "Acme Mobile", "Enterprise", "Active", "Gold", "2025-01-01"),
            (2, "Beta Telco", "SMB", "Churned", "Bronze", "2025-01-11")]
SALESFORCE = [(1, "Acme Mobile Inc", "CA", "2024-06-01 00:00:00"),   # older sync: not the latest
              (1, "Acme Mobile Inc", "US", "2025-03-01 00:00:00"),
              (2, "Beta Telco GmbH", "DE", "2025-03-01 00:00:00"),
              (4, "Delta Freight", "BR", "2025-03-01 00:00:00")]

# V_USAGE_ENRICHED. An event's baseline is the account's average event cost over the three calendar
# months before the event's month: January has none (score NULL, NORMAL); account 1's February events
# are against January's (10 + 20) / 2 = 15: 2 / 15 = 0.1333, 48 / 15 = 3.2 > 1.4, ANOMALY.
# Usage 2's two buckets are summed (14 + 6 = 20) and its largest (DATA_NETWORK) named; one row per event.
EXPECTED_ENRICHED = [  # usage_id, account_id, service, total_cost, segment, lifecycle, bucket, amount, score, flag
    (1, 1, "voice", D("10"), "Enterprise", "Active", "VOICE_NETWORK", D("10"), None, "NORMAL"),
    (2, 1, "data", D("20"), "Enterprise", "Active", "DATA_NETWORK", D("20"), None, "NORMAL"),
    (3, 1, "sms", D("2"), "Enterprise", "Active", None, None, D("0.1333"), "NORMAL"),
    (4, 1, "data", D("48"), "Enterprise", "Active", "ROAMING", D("48"), D("3.2"), "ANOMALY"),
    (5, 2, "voice", D("5"), "Unassigned", None, "VOICE_NETWORK", D("5"), None, "NORMAL"),
    (6, 2, "sms", D("1"), "SMB", "Churned", "MESSAGING", D("1"), None, "NORMAL"),
    (7, 3, "data", D("7.5"), "Unassigned", None, "DATA_NETWORK", D("7.5"), None, "NORMAL"),
]
# FCT_ACCOUNT_COSTS per account and month: voice, data, sms, other, total, baseline, score, label.
# The month-level rule: a month against the average total of the account's up to three earlier months.
# 1/Jan: 10 + 20 = 30, no earlier month.   1/Feb: 48 + 2 = 50 against 30: 1.6667 > 1.4, ANOMALY.
# 2/Jan: 5 + 1 = 6 and 3/Feb: 7.5, each its account's first month. Two buckets on usage 2 count once.
EXPECTED_FACTS = [
    ("CUST-1", 1, dt.date(2025, 1, 1), D("10"), D("20"), D("0"), D("0"), D("30"), None, None, "NORMAL"),
    ("CUST-1", 1, dt.date(2025, 2, 1), D("0"), D("48"), D("2"), D("0"), D("50"), D("30"), D("1.6667"), "ANOMALY"),
    ("CUST-2", 2, dt.date(2025, 1, 1), D("5"), D("0"), D("1"), D("0"), D("6"), None, None, "NORMAL"),
    ("CUST-3", 3, dt.date(2025, 2, 1), D("0"), D("7.5"), D("0"), D("0"), D("7.5"), None, None, "NORMAL"),
]
# DT_ACCOUNT_BILLING: the same months, named from the current segment row, total = voice + data + sms.
EXPECTED_DT = [
    ("CUST-1", 1, "Acme Mobile", "Enterprise", dt.date(2025, 1, 1), D("10"), D("20"), D("0"), D("30"),
     None, None, "NORMAL", T(2025, 1, 20, 9, 30)),
    ("CUST-1", 1, "Acme Mobile", "Enterprise", dt.date(2025, 2, 1), D("0"), D("48"), D("2"), D("50"),
     D("30"), D("1.6667"), "ANOMALY", T(2025, 2, 15, 18, 45)),
    ("CUST-2", 2, "Beta Telco", "SMB", dt.date(2025, 1, 1), D("5"), D("0"), D("1"), D("6"),
     None, None, "NORMAL", T(2025, 1, 11, 8, 0)),
    ("CUST-3", 3, None, "Unassigned", dt.date(2025, 2, 1), D("0"), D("7.5"), D("0"), D("7.5"),
     None, None, "NORMAL", T(2025, 2, 28, 23, 59, 59)),
]
# DIM_CUSTOMER: geography from the latest Salesforce sync; avg_monthly_cost over months with usage:
# 1 -> (30 + 50) / 2 = 40, 2 -> 6, 3 -> 7.5, 4 -> none, so 0.
EXPECTED_DIM = [
    ("CUST-1", 1, "Acme Mobile", "Enterprise", "US", "Active", D("40"), T(2025, 2, 15, 18, 45)),
    ("CUST-2", 2, "Beta Telco", "SMB", "DE", "Churned", D("6"), T(2025, 1, 11, 8, 0)),
    ("CUST-3", 3, None, "Unassigned", "Unknown", None, D("7.5"), T(2025, 2, 28, 23, 59, 59)),
    ("CUST-4", 4, "Delta Freight", "Unassigned", "BR", None, D("0"), None),
]


@pytest.fixture(scope="module")
def flow(synthesized, stacks, tmp_path_factory):
    """The emulator with the fixture loaded and every emulator-runnable hook applied in order."""
    manifest = load_manifest(synthesized["local"])
    with emulator_connection(tmp_path_factory.mktemp("emulator"), DB) as connection:
        apply_stack_subset(connection, stacks["local"])
        cursor = connection.cursor()
        for row in USAGE:
            cursor.execute(f"INSERT INTO {DB}.SFE_RAW_BILLING.USAGE_METRICS (usage_id, account_id, usage_ts, "
                           "service_type, cost_amount, region_code, ingest_source) "
                           "VALUES (%s, %s, %s, %s, %s, 'NAMER', 'kafka')", row)
        for allocation_id, (usage_id, bucket, amount) in enumerate(ALLOCATIONS, start=1):
            cursor.execute(f"INSERT INTO {DB}.SFE_RAW_BILLING.COST_ALLOCATIONS (allocation_id, usage_id, "
                           "cost_bucket, bucket_amount, billed_at) VALUES (%s, %s, %s, %s, '2025-03-01')",
                           (allocation_id, usage_id, bucket, amount))
        for row in SEGMENTS:
            cursor.execute(f"INSERT INTO {DB}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS (account_id, customer_name, "
                           "segment_name, lifecycle_status, tier, effective_start) VALUES (%s, %s, %s, %s, %s, %s)",
                           row)
        for account_id, name, country, synced in SALESFORCE:
            cursor.execute(f"INSERT INTO {DB}.SFE_RAW_BILLING.SALESFORCE_ACCOUNTS (account_id, account_name, "
                           "billing_email, billing_country, synced_at) VALUES (%s, %s, 'x@example.com', %s, %s)",
                           (account_id, name, country, synced))
        create_metering_standin(cursor)       # what the credit alert's condition reads (cli/ysg/local_standins.py)
        skipped = []
        for hook in manifest.hooks:            # a plain loop; the runner is part of another module
            if hook.snowflake_only:
                skipped.append(hook.name)
                continue
            for statement in hook.statements:
                cursor.execute(statement)
        yield cursor, skipped


def _rows(cursor, sql):
    cursor.execute(sql)
    return [tuple(row) for row in cursor.fetchall()]


def test_the_staging_view_gives_exactly_the_expected_rows(flow):
    cursor, _ = flow
    assert _rows(cursor, "SELECT usage_id, account_id, service_type, total_cost, segment_name, lifecycle_status, "
                         "cost_bucket, bucket_amount, anomaly_score, anomaly_flag "
                         f"FROM {DB}.SFE_STG_TELECOM.V_USAGE_ENRICHED ORDER BY usage_id") == EXPECTED_ENRICHED


def test_the_facts_give_exactly_the_expected_rows(flow):
    cursor, _ = flow
    assert _rows(cursor, f"SELECT * FROM {DB}.SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS "
                         "ORDER BY account_id, billing_month") == EXPECTED_FACTS


def test_the_customer_dimension_gives_exactly_the_expected_rows(flow):
    cursor, _ = flow
    assert _rows(cursor, f"SELECT * FROM {DB}.SFE_ANALYTICS_COSTS.DIM_CUSTOMER ORDER BY account_id") == EXPECTED_DIM


def test_the_dynamic_table_gives_exactly_the_expected_rows(flow):
    cursor, _ = flow
    assert _rows(cursor, f"SELECT * FROM {DB}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING "
                         "ORDER BY account_id, billing_month") == EXPECTED_DT


def test_voice_data_and_sms_add_up_to_the_total_in_every_row(flow):
    cursor, _ = flow
    assert _rows(cursor, "SELECT COUNT(*), COUNT_IF(voice_cost + data_cost + sms_cost = total_cost) "
                         f"FROM {DB}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING") == [(4, 4)]


def test_every_account_with_usage_appears_in_the_dynamic_table(flow):
    cursor, _ = flow
    assert _rows(cursor, f"SELECT DISTINCT account_id FROM {DB}.SFE_RAW_BILLING.USAGE_METRICS "
                         "EXCEPT SELECT account_id FROM "
                         f"{DB}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING") == []


def test_the_churn_features_hold_no_label_and_training_adds_it_without_ids(flow):
    cursor, _ = flow
    cursor.execute(f"SELECT * FROM {DB}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES LIMIT 0")
    features = [d[0].upper() for d in cursor.description]
    cursor.execute(f"SELECT * FROM {DB}.SFE_ANALYTICS_COSTS.V_CHURN_TRAINING LIMIT 0")
    training = [d[0].upper() for d in cursor.description]
    assert ("LIFECYCLE_STATUS" in features or "CHURN_LABEL" in features,
            sorted(set(training) - set(features)), sorted(set(features) - set(training))) == (
        False, ["CHURN_LABEL"], ["ACCOUNT_ID", "CUTOFF_DATE"])


def test_an_event_with_two_buckets_is_one_row_and_its_cost_counts_once(flow):
    cursor, _ = flow
    assert (_rows(cursor, f"SELECT COUNT(*), SUM(total_cost) FROM {DB}.SFE_STG_TELECOM.V_USAGE_ENRICHED"),
            _rows(cursor, f"SELECT SUM(total_cost) FROM {DB}.SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS"),
            _rows(cursor, f"SELECT COUNT(*) FROM {DB}.SFE_RAW_BILLING.COST_ALLOCATIONS WHERE usage_id = 2")) == (
        [(len(USAGE), sum(D(u[4]) for u in USAGE))], [(sum(D(u[4]) for u in USAGE),)], [(2,)])


def test_the_knowledge_base_is_loaded_from_the_documents(flow):
    cursor, _ = flow
    from ysg_core.knowledge import load_documents
    expected = sorted((d["doc_type"], d["doc_title"], d["region_code"], dt.date.fromisoformat(d["last_reviewed"]),
                       d["doc_body"]) for d in load_documents())
    assert _rows(cursor, "SELECT doc_type, doc_title, region_code, last_reviewed, doc_body FROM "
                         f"{DB}.SFE_SHARED_KNOWLEDGE.BILLING_KB ORDER BY 1, 2, 3") == expected


def test_snowflake_only_hooks_are_the_ones_skipped(flow, synthesized):
    _, skipped = flow
    assert skipped == [h.name for h in load_manifest(synthesized["local"]).hooks if h.snowflake_only]


def test_running_the_hooks_again_changes_no_row(flow, synthesized):
    cursor, _ = flow
    before = _rows(cursor, f"SELECT * FROM {DB}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING ORDER BY 2, 5")
    kb_before = _rows(cursor, f"SELECT doc_id, doc_title FROM {DB}.SFE_SHARED_KNOWLEDGE.BILLING_KB ORDER BY 1")
    for hook in load_manifest(synthesized["local"]).hooks:
        if not hook.snowflake_only:
            for statement in hook.statements:
                cursor.execute(statement)
    assert (_rows(cursor, f"SELECT * FROM {DB}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING ORDER BY 2, 5"),
            _rows(cursor, f"SELECT doc_id, doc_title FROM {DB}.SFE_SHARED_KNOWLEDGE.BILLING_KB ORDER BY 1")) == (
        before, kb_before)


# The derived objects' columns, as ../shared/data-contract.md names them: a public interface.
CONTRACT_COLUMNS = {
    "SFE_STG_TELECOM.V_USAGE_ENRICHED": [
        "USAGE_ID", "ACCOUNT_ID", "USAGE_TS", "MINUTES_USED", "DATA_MB", "SMS_COUNT", "SERVICE_TYPE", "TOTAL_COST",
        "REGION_CODE", "SEGMENT_NAME", "LIFECYCLE_STATUS", "COST_BUCKET", "BUCKET_AMOUNT", "ANOMALY_SCORE",
        "ANOMALY_FLAG"],
    "SFE_ANALYTICS_COSTS.DIM_CUSTOMER": [
        "CUSTOMER_KEY", "ACCOUNT_ID", "CUSTOMER_NAME", "SEGMENT_NAME", "GEOGRAPHY", "LIFECYCLE_STATUS",
        "AVG_MONTHLY_COST", "LAST_ACTIVE_TS"],
    "SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS": [
        "CUSTOMER_KEY", "ACCOUNT_ID", "BILLING_MONTH", "VOICE_COST", "DATA_COST", "SMS_COST", "OTHER_COST",
        "TOTAL_COST", "BASELINE_COST", "ANOMALY_SCORE", "ALERT_LABEL"],
    "SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING": [
        "CUSTOMER_KEY", "ACCOUNT_ID", "CUSTOMER_NAME", "SEGMENT_NAME", "BILLING_MONTH", "VOICE_COST", "DATA_COST",
        "SMS_COST", "TOTAL_COST", "BASELINE_COST", "ANOMALY_SCORE", "LATEST_ALERT", "LATEST_USAGE_TS"],
    "SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS": ["ACCOUNT_ID", "CHURN_PROBABILITY", "PREDICTED_CHURN", "SCORED_AT",
                                              "MODEL"],
    "SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS": ["METRIC_NAME", "METRIC_VALUE", "EVALUATED_AT", "MODEL"],
}


def test_derived_objects_have_the_data_contract_columns(flow):
    cursor, _ = flow
    found = {}
    for name in CONTRACT_COLUMNS:
        cursor.execute(f"SELECT * FROM {DB}.{name} LIMIT 0")
        found[name] = [d[0].upper() for d in cursor.description]
    assert found == CONTRACT_COLUMNS

