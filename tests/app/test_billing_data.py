"""The app's data-access layer (app/billing_data.py): bound values only, on both ways to run a query."""
from __future__ import annotations

import json

import pytest

import billing_data as data
from app_fixtures import BILLING_ROWS, DATABASE, app_test, build_emulator

INJECTION = "x' OR 1=1; DROP TABLE SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING; --"


class RecordingConnection:
    """Wraps a DB-API connection and records the SQL text and the params of every execute."""

    def __init__(self, connection):
        self._connection = connection
        self.calls: list[tuple[str, list]] = []

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def cursor(self):
        recorder, cursor = self, self._connection.cursor()

        class RecordingCursor:
            def __getattr__(self, name):
                return getattr(cursor, name)

            def execute(self, sql, params=None, *args, **kwargs):
                recorder.calls.append((sql, list(params or [])))
                return cursor.execute(sql, params, *args, **kwargs)

        return RecordingCursor()


def _row_count(db) -> int:
    return int(db.query("SELECT COUNT(*) FROM SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING").iloc[0, 0])


def test_sql_typed_into_the_app_reaches_the_database_only_as_a_bound_value(tmp_path, monkeypatch):
    from fakesnow.instance import FakeSnow

    recorders: list[RecordingConnection] = []
    real_connect = FakeSnow.connect

    def recording_connect(self, *args, **kwargs):
        recorders.append(RecordingConnection(real_connect(self, *args, **kwargs)))
        return recorders[-1]

    monkeypatch.setattr(FakeSnow, "connect", recording_connect)
    monkeypatch.setenv("YSG_EMULATOR_DIR", str(build_emulator(tmp_path / "emulator")))
    at = app_test("pages/1_Anomalies.py").run()
    at.text_input(key="name_contains").input(INJECTION).run()

    calls = [call for recorder in recorders for call in recorder.calls]
    assert ([sql for sql, _ in calls if "OR 1=1" in sql], [p for _, p in calls if INJECTION in p][:1]) == (
        [], [[0.0, INJECTION, INJECTION]])


def test_injection_matches_nothing_and_drops_nothing(tmp_path):
    from fakesnow.instance import FakeSnow

    build_emulator(tmp_path)
    emulator = FakeSnow(db_path=tmp_path)
    try:
        recorder = RecordingConnection(emulator.connect(database=DATABASE, schema=data.ANALYTICS_SCHEMA,
                                                        paramstyle="qmark"))
        db = data.ConnectorDatabase(recorder)
        found = (len(data.anomalies(db, name_contains=INJECTION)),
                 len(data.cost_by_segment_month(db, INJECTION, BILLING_ROWS[0][3], BILLING_ROWS[-1][3])))
        assert (found, _row_count(db), any("OR 1=1" in sql for sql, _ in recorder.calls)) == (
            (0, 0), len(BILLING_ROWS), False)
    finally:
        emulator.duck_conn.close()


def test_a_view_counts_as_an_existing_object(tmp_path):
    from fakesnow.instance import FakeSnow

    emulator = FakeSnow()
    try:
        connection = emulator.connect(database=DATABASE, schema=data.ANALYTICS_SCHEMA, paramstyle="qmark")
        connection.cursor().execute("CREATE VIEW SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS AS SELECT 1 AS ACCOUNT_ID")
        db = data.ConnectorDatabase(connection)
        assert (data.table_exists(db, data.CHURN_PREDICTIONS), data.table_exists(db, data.FCT_ACCOUNT_COSTS)) == (
            True, False)
    finally:
        emulator.duck_conn.close()


def test_a_client_side_interpolating_connection_is_refused(tmp_path):
    from fakesnow.instance import FakeSnow

    emulator = FakeSnow()
    try:
        with pytest.raises(ValueError, match="paramstyle 'pyformat'"):
            data.ConnectorDatabase(emulator.connect(database=DATABASE, paramstyle="pyformat"))
    finally:
        emulator.duck_conn.close()


class FakeSnowparkSession:
    """Records `session.sql(text, params=...)` as Streamlit in Snowflake's Snowpark session takes it."""

    def __init__(self, answers: dict[str, list[dict]]):
        self.answers = answers
        self.calls: list[tuple[str, list | None]] = []

    def sql(self, text, params=None):
        import pandas as pd

        self.calls.append((text, params))
        rows = next((rows for key, rows in self.answers.items() if key in text), [])

        class Result:
            def to_pandas(self):
                return pd.DataFrame(rows)

        return Result()


def test_in_snowflake_the_agent_question_is_a_bound_json_string_for_the_environments_agent():
    response = json.dumps({"content": [{"type": "text", "text": "Acme costs most."}]})
    session = FakeSnowparkSession({"CURRENT_ROLE()": [{"ROLE_NAME": "SFE_STREAMLIT_ROLE_DEV"}],
                                   "DATA_AGENT_RUN": [{"RESPONSE": response}]})
    answer = data.ask_agent(data.SnowparkDatabase(session), INJECTION)
    sql, params = session.calls[-1]
    body = json.loads(params[1])
    assert (answer, params[0], body["messages"][0]["content"][0]["text"], INJECTION in sql) == (
        "Acme costs most.", "SNOWFLAKE_INTELLIGENCE.AGENTS.SFE_BILLING_AGENT_DEV", INJECTION, False)


def test_in_snowflake_segment_and_months_are_snowpark_params():
    session = FakeSnowparkSession({})
    data.cost_by_segment_month(data.SnowparkDatabase(session), "Enterprise", BILLING_ROWS[0][3],
                               BILLING_ROWS[1][3])
    assert session.calls[0][1] == ["Enterprise", "Enterprise", BILLING_ROWS[0][3], BILLING_ROWS[1][3]]


def test_in_snowflake_resource_monitors_show_credits_used():
    session = FakeSnowparkSession({"SHOW RESOURCE MONITORS": [
        {'"name"': "SFE_BILLING_WH_MONITOR", '"credit_quota"': "100", '"used_credits"': "12.5",
         '"remaining_credits"': "87.5"}]})
    monitors, visible = data.resource_monitors(data.SnowparkDatabase(session))
    assert (visible, monitors.to_dict("records")) == (True, [
        {"name": "SFE_BILLING_WH_MONITOR", "credit_quota": "100", "used_credits": "12.5",
         "remaining_credits": "87.5"}])


def test_the_app_uses_the_contracts_schema_name():
    from ysg_core import naming

    assert data.ANALYTICS_SCHEMA == naming.ANALYTICS_SCHEMA
