"""Emulator fixture databases for the Billing Ops app tests: the data contract's columns, a few known rows.

Each fixture is a fakesnow (DuckDB) database file in its own folder, closed before the app opens it,
because DuckDB lets one instance at a time attach a file.
"""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from ysg_core.paths import REPO_ROOT

APP_DIR = REPO_ROOT / "app"
if str(APP_DIR) not in sys.path:
    sys.path.insert(0, str(APP_DIR))  # the app's modules import each other as Streamlit runs them

DATABASE = "SNOWFLAKE_EXAMPLE_LOCAL"  # environments/local.yaml

DT_ACCOUNT_BILLING_DDL = """CREATE TABLE SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING (
  CUSTOMER_KEY NUMBER, ACCOUNT_ID NUMBER, CUSTOMER_NAME VARCHAR, SEGMENT_NAME VARCHAR,
  BILLING_MONTH DATE, VOICE_COST NUMBER(14,4), DATA_COST NUMBER(14,4), SMS_COST NUMBER(14,4),
  TOTAL_COST NUMBER(14,4), BASELINE_COST NUMBER(18,4), ANOMALY_SCORE NUMBER(10,4), LATEST_ALERT VARCHAR,
  LATEST_USAGE_TS TIMESTAMP_NTZ)"""
FCT_ACCOUNT_COSTS_DDL = """CREATE TABLE SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS (
  CUSTOMER_KEY NUMBER, ACCOUNT_ID NUMBER, BILLING_MONTH DATE, VOICE_COST NUMBER(14,4),
  DATA_COST NUMBER(14,4), SMS_COST NUMBER(14,4), OTHER_COST NUMBER(14,4), TOTAL_COST NUMBER(14,4),
  BASELINE_COST NUMBER(18,4), ANOMALY_SCORE NUMBER(10,4), ALERT_LABEL VARCHAR)"""
CHURN_PREDICTIONS_DDL = """CREATE TABLE SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS (
  ACCOUNT_ID NUMBER, CHURN_PROBABILITY FLOAT, PREDICTED_CHURN BOOLEAN, SCORED_AT TIMESTAMP_NTZ, MODEL VARCHAR)"""
CHURN_MODEL_METRICS_DDL = """CREATE TABLE SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS (
  METRIC_NAME VARCHAR, METRIC_VALUE FLOAT, EVALUATED_AT TIMESTAMP_NTZ, MODEL VARCHAR)"""
# The alert conditions are views in the environment; tables of the same columns stand in for them here.
CREDIT_ALERT_CONDITION_DDL = """CREATE TABLE SFE_ANALYTICS_COSTS.V_CREDIT_ALERT_CONDITION (
  WAREHOUSE_NAME VARCHAR, MONITOR_NAME VARCHAR, QUOTA_MONTH DATE, THRESHOLD_PERCENT NUMBER, CREDIT_QUOTA NUMBER,
  CREDITS_USED NUMBER(38,9), CROSSED_AT TIMESTAMP_NTZ)"""
ANOMALY_ALERT_CONDITION_DDL = """CREATE TABLE SFE_ANALYTICS_COSTS.V_ANOMALY_ALERT_CONDITION (
  ACCOUNT_ID NUMBER, CUSTOMER_NAME VARCHAR, BILLING_MONTH DATE, TOTAL_COST NUMBER(18,4), BASELINE_COST NUMBER(18,4),
  ANOMALY_SCORE NUMBER(10,4), FLAGGED_AT TIMESTAMP_NTZ)"""

# (account, customer, segment, month, voice, data, sms, baseline, score, alert): the month-level rule,
# total / baseline (the average of up to three earlier months), ANOMALY above 1.4.
BILLING_ROWS = [
    (1, "Acme Telecom", "Enterprise", date(2026, 1, 1), 100.50, 200.25, 10.00, None, None, "NORMAL"),
    (1, "Acme Telecom", "Enterprise", date(2026, 2, 1), 150.00, 400.00, 12.50, 310.75, 1.8103, "ANOMALY"),
    (1, "Acme Telecom", "Enterprise", date(2026, 3, 1), 90.00, 180.00, 9.00, 436.625, 0.6390, "NORMAL"),
    (2, "Birch Logistics", "Commercial", date(2026, 1, 1), 50.00, 60.00, 5.00, None, None, "NORMAL"),
    (2, "Birch Logistics", "Commercial", date(2026, 2, 1), 55.00, 65.00, 6.00, 115.00, 1.0957, "NORMAL"),
    (2, "Birch Logistics", "Commercial", date(2026, 3, 1), 300.00, 70.00, 5.00, 120.50, 3.1120, "ANOMALY"),
    (3, "Cedar Cafe", "SMB", date(2026, 1, 1), 10.00, 20.00, 3.00, None, None, "NORMAL"),
]
CHURN_ROWS = [(1, 0.12, False), (2, 0.82, True), (3, 0.61, True)]
CHURN_MODEL = "local stand-in"
CREDIT_ROWS = [("SFE_BILLING_WH_LOCAL", "SFE_BILLING_WH_MONITOR_LOCAL", date(2026, 3, 1), 50, 1, 0.5,
                datetime(2026, 3, 20, 9, 0))]
SCORED_AT = datetime(2026, 4, 1, 6, 0)


def build_emulator(directory: Path, *, tables: bool = True, rows: bool = True) -> Path:
    """A fakesnow database folder for the `local` environment: tables with or without rows."""
    from fakesnow.instance import FakeSnow

    directory.mkdir(parents=True, exist_ok=True)
    emulator = FakeSnow(db_path=directory)
    try:
        cursor = emulator.connect(database=DATABASE, schema="SFE_ANALYTICS_COSTS", paramstyle="qmark").cursor()
        if tables:
            cursor.execute(DT_ACCOUNT_BILLING_DDL)
            cursor.execute(FCT_ACCOUNT_COSTS_DDL)
            cursor.execute(CHURN_PREDICTIONS_DDL)
            cursor.execute(CHURN_MODEL_METRICS_DDL)
            cursor.execute(CREDIT_ALERT_CONDITION_DDL)
            cursor.execute(ANOMALY_ALERT_CONDITION_DDL)
        if tables and rows:
            for account, name, segment, month, voice, data, sms, baseline, score, alert in BILLING_ROWS:
                total = round(voice + data + sms, 2)
                cursor.execute("INSERT INTO SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               [account, account, name, segment, month, voice, data, sms, total, baseline, score,
                                alert, datetime(month.year, month.month, 20)])
                cursor.execute("INSERT INTO SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               [account, account, month, voice, data, sms, 0, total, baseline, score, alert])
                if alert == "ANOMALY":
                    cursor.execute("INSERT INTO SFE_ANALYTICS_COSTS.V_ANOMALY_ALERT_CONDITION VALUES "
                                   "(?, ?, ?, ?, ?, ?, ?)", [account, name, month, total, baseline, score,
                                                             datetime(month.year, month.month, 20)])
            for account, probability, churned in CHURN_ROWS:
                cursor.execute("INSERT INTO SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS VALUES (?, ?, ?, ?, ?)",
                               [account, probability, churned, SCORED_AT, CHURN_MODEL])
            cursor.execute("INSERT INTO SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS VALUES (?, ?, ?, ?)",
                           ["f1", 0.75, SCORED_AT, CHURN_MODEL])
            for row in CREDIT_ROWS:
                cursor.execute("INSERT INTO SFE_ANALYTICS_COSTS.V_CREDIT_ALERT_CONDITION VALUES (?, ?, ?, ?, ?, ?, ?)",
                               list(row))
    finally:
        emulator.duck_conn.close()
    return directory


def app_test(relative: str):
    """An AppTest of one page file of app/ (generous timeout: the first run imports pandas)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP_DIR / relative), default_timeout=30)
