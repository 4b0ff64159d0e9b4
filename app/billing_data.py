"""The Billing Ops app's one data-access layer: every query is a constant SQL text with `?` placeholders
and a list of bound values, so nothing a user types or picks is ever formatted into SQL.

In Streamlit in Snowflake the Snowpark session the runtime provides runs the queries; locally the
connector API of the embedded emulator (fakesnow) does, on the `local` environment's database.
"""
from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol, Sequence

import pandas as pd

# The data contract's schema and objects (a public interface; tests check these against ysg_core.naming).
ANALYTICS_SCHEMA = "SFE_ANALYTICS_COSTS"
DT_ACCOUNT_BILLING = f"{ANALYTICS_SCHEMA}.DT_ACCOUNT_BILLING"
FCT_ACCOUNT_COSTS = f"{ANALYTICS_SCHEMA}.FCT_ACCOUNT_COSTS"
CHURN_PREDICTIONS = f"{ANALYTICS_SCHEMA}.CHURN_PREDICTIONS"
CHURN_MODEL_METRICS = f"{ANALYTICS_SCHEMA}.CHURN_MODEL_METRICS"
CREDIT_ALERT_CONDITION = f"{ANALYTICS_SCHEMA}.V_CREDIT_ALERT_CONDITION"
ANOMALY_ALERT_CONDITION = f"{ANALYTICS_SCHEMA}.V_ANOMALY_ALERT_CONDITION"
# What CHURN_PREDICTIONS.MODEL says when the emulator's stand-in, not SNOWFLAKE.ML.CLASSIFICATION, scored.
LOCAL_STANDIN_MODEL = "local stand-in"
# Every amount is in US dollars: usage is priced in USD (data/knowledge/policy-latam-currency.md).
CURRENCY = "USD"
METERING_DATABASE = "SNOWFLAKE"
AGENT_LOCATION = "SNOWFLAKE_INTELLIGENCE.AGENTS"
AGENT_BASE_NAME = "SFE_BILLING_AGENT"
STREAMLIT_ROLE_BASE_NAME = "SFE_STREAMLIT_ROLE"
ALL_SEGMENTS = "All segments"

_IDENTIFIER = re.compile(r"^[A-Z_][A-Z0-9_$]{0,254}$")
_ROLE_SUFFIX = re.compile(r"^(_[A-Z0-9]{1,16})?$")


class DataUnavailable(RuntimeError):
    """The app cannot reach its data (no Snowflake session and no emulator database)."""


class Database(Protocol):
    in_snowflake: bool

    def query(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame: ...


# --- the two ways to run a query -------------------------------------------------------------------

class SnowparkDatabase:
    """Streamlit in Snowflake: the runtime's Snowpark session, server-side binding with `params`."""

    in_snowflake = True

    def __init__(self, session: Any):
        self._session = session

    def query(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        return self._session.sql(sql, params=list(params)).to_pandas()

    def show_resource_monitors(self) -> pd.DataFrame:
        # SHOW takes no bind parameters and no user input: the text is a constant.
        return self._session.sql("SHOW RESOURCE MONITORS").to_pandas()


class ConnectorDatabase:
    """A DB-API connection of the Snowflake connector (or the emulator's) using `qmark` binding.

    The connector's default `pyformat` style interpolates values into the SQL text on the client,
    so a connection in that style is refused: values must reach the database as bound values.
    """

    in_snowflake = False

    def __init__(self, connection: Any, *, quotas: "MonitorQuotas | None" = None):
        style = getattr(connection, "_paramstyle", None)
        if style != "qmark":
            raise ValueError(f"connection uses paramstyle {style!r}; the app needs 'qmark' (server-side binding)")
        self._connection = connection
        self._lock = threading.Lock()  # one connection, shared by Streamlit's script threads
        self.quotas = quotas

    def query(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        with self._lock:
            cursor = self._connection.cursor()
            try:
                cursor.execute(sql, list(params))
                rows = cursor.fetchall()
                columns = [d[0] for d in cursor.description]
            finally:
                cursor.close()
        return pd.DataFrame(rows, columns=columns)


# --- opening the database --------------------------------------------------------------------------

@dataclass(frozen=True)
class MonitorQuotas:
    """An environment's configured resource monitor quotas (what the emulator can show)."""

    environment: str
    warehouse_monitor: str
    warehouse_credit_quota: int
    account_monitor: str
    account_credit_quota: int | None     # None: this environment attaches no account monitor
    notify_at_percent: tuple[int, ...]
    suspend_immediately_at_percent: int


def emulator_dir() -> Path:
    """Where the emulator keeps its database files: `YSG_EMULATOR_DIR`, else `.local/emulator/`."""
    configured = os.environ.get("YSG_EMULATOR_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".local" / "emulator"


def snowpark_session() -> Any | None:
    """The active Snowpark session when running in Snowflake, else None (locally there is none)."""
    try:
        from snowflake.snowpark.context import get_active_session
    except ImportError:
        return None
    try:
        return get_active_session()
    except Exception:  # SnowparkSessionException: no default session outside Snowflake
        return None


def open_local(directory: Path, environment: str = "local") -> ConnectorDatabase:
    """The emulator database of `environment` (its name and quotas come from its validated config)."""
    from fakesnow.instance import FakeSnow

    from ysg_core.config import ENVIRONMENTS_DIR, load_environment

    config = load_environment(ENVIRONMENTS_DIR / f"{environment}.yaml")
    database = config.database.name  # validated by ysg_core.naming.identifier in the config model
    db_file = Path(directory) / f"{database}.db"
    if not db_file.is_file():
        raise DataUnavailable(f"no emulator database at {db_file}: run `ysg up` first")
    emulator = FakeSnow(db_path=directory, create_database_on_connect=True, create_schema_on_connect=False)
    # The credit alert's condition reads `ysg up`'s stand-in of SNOWFLAKE.ACCOUNT_USAGE, a database file of
    # its own: a connection to it attaches it to the same DuckDB instance. First, so that the app's own
    # connection is the one whose database is current.
    if (Path(directory) / f"{METERING_DATABASE}.db").is_file():
        emulator.connect(database=METERING_DATABASE, schema="ACCOUNT_USAGE")
    connection = emulator.connect(database=database, schema=ANALYTICS_SCHEMA, paramstyle="qmark")
    names, monitors = config.names, config.resource_monitors
    quotas = MonitorQuotas(
        environment=environment, warehouse_monitor=names.warehouse_monitor,
        warehouse_credit_quota=monitors.warehouse_credit_quota, account_monitor=names.account_monitor,
        account_credit_quota=monitors.account_credit_quota,
        notify_at_percent=tuple(monitors.notify_at_percent),
        suspend_immediately_at_percent=monitors.suspend_immediately_at_percent)
    return ConnectorDatabase(connection, quotas=quotas)


def open_database() -> Database:
    """Snowflake when a Snowpark session is active (Streamlit in Snowflake), else the local emulator."""
    session = snowpark_session()
    if session is not None:
        return SnowparkDatabase(session)
    return open_local(emulator_dir(), os.environ.get("YSG_APP_ENVIRONMENT", "local"))


# --- queries ---------------------------------------------------------------------------------------

def table_exists(db: Database, qualified: str) -> bool:
    """Whether a table, dynamic table or view of that name exists (hooks may make either; the
    emulator lists views only in INFORMATION_SCHEMA.VIEWS)."""
    schema, table = qualified.split(".")
    found = db.query("SELECT (SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? "
                     "AND TABLE_NAME = ?) + (SELECT COUNT(*) FROM INFORMATION_SCHEMA.VIEWS "
                     "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?) AS N", [schema, table, schema, table])
    return int(found.iloc[0, 0]) > 0


def segments(db: Database) -> list[str]:
    frame = db.query("SELECT DISTINCT SEGMENT_NAME FROM SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING "
                     "WHERE SEGMENT_NAME IS NOT NULL ORDER BY SEGMENT_NAME")
    return [str(v) for v in frame["SEGMENT_NAME"]]


def month_range(db: Database) -> tuple[date, date] | None:
    frame = db.query("SELECT MIN(BILLING_MONTH) AS FIRST_MONTH, MAX(BILLING_MONTH) AS LAST_MONTH "
                     "FROM SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING")
    first, last = frame.iloc[0]["FIRST_MONTH"], frame.iloc[0]["LAST_MONTH"]
    if first is None or pd.isna(first):
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def _segment_params(segment: str) -> list[str]:
    # "All segments" is sent as '' and matched by `? = ''`, so the SQL text never changes with a pick.
    value = "" if segment == ALL_SEGMENTS else segment
    return [value, value]


def cost_by_segment_month(db: Database, segment: str, first: date, last: date) -> pd.DataFrame:
    """Costs per segment and billing month from DT_ACCOUNT_BILLING (the cost overview)."""
    return db.query(
        "SELECT SEGMENT_NAME, BILLING_MONTH, COUNT(DISTINCT ACCOUNT_ID) AS ACCOUNTS, "
        "SUM(VOICE_COST) AS VOICE_COST, SUM(DATA_COST) AS DATA_COST, SUM(SMS_COST) AS SMS_COST, "
        "SUM(TOTAL_COST) AS TOTAL_COST "
        "FROM SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING "
        "WHERE (? = '' OR SEGMENT_NAME = ?) AND BILLING_MONTH BETWEEN ? AND ? "
        "GROUP BY SEGMENT_NAME, BILLING_MONTH ORDER BY BILLING_MONTH, SEGMENT_NAME",
        [*_segment_params(segment), first, last])


def anomalies(db: Database, min_score: float = 0.0, name_contains: str = "") -> pd.DataFrame:
    """Account-months DT_ACCOUNT_BILLING flags ANOMALY (the month-level rule), with the baseline the month
    was measured against: the average total of the account's up to three billing months before it."""
    return db.query(
        "SELECT ACCOUNT_ID, CUSTOMER_NAME, SEGMENT_NAME, BILLING_MONTH, TOTAL_COST, BASELINE_COST, ANOMALY_SCORE "
        "FROM SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING "
        "WHERE LATEST_ALERT = 'ANOMALY' AND ANOMALY_SCORE >= ? "
        "AND (? = '' OR CONTAINS(UPPER(CUSTOMER_NAME), UPPER(?))) "
        "ORDER BY ANOMALY_SCORE DESC, ACCOUNT_ID, BILLING_MONTH",
        [float(min_score), name_contains, name_contains])


def churn_predictions(db: Database, min_probability: float = 0.0) -> pd.DataFrame:
    return db.query(
        "SELECT p.ACCOUNT_ID, c.CUSTOMER_NAME, c.SEGMENT_NAME, p.CHURN_PROBABILITY, p.PREDICTED_CHURN, "
        "p.SCORED_AT, p.MODEL FROM SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS p "
        "LEFT JOIN (SELECT ACCOUNT_ID, MAX(CUSTOMER_NAME) AS CUSTOMER_NAME, MAX(SEGMENT_NAME) AS SEGMENT_NAME "
        "FROM SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING GROUP BY ACCOUNT_ID) c ON c.ACCOUNT_ID = p.ACCOUNT_ID "
        "WHERE p.CHURN_PROBABILITY >= ? ORDER BY p.CHURN_PROBABILITY DESC, p.ACCOUNT_ID",
        [float(min_probability)])


def churn_model_metrics(db: Database) -> pd.DataFrame:
    return db.query("SELECT METRIC_NAME, METRIC_VALUE, EVALUATED_AT, MODEL "
                    "FROM SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS ORDER BY METRIC_NAME")


def credit_alert_condition(db: Database) -> pd.DataFrame:
    """What SFE_CREDIT_ALERT's condition finds: monitor thresholds crossed this month or last."""
    return db.query("SELECT WAREHOUSE_NAME, MONITOR_NAME, QUOTA_MONTH, THRESHOLD_PERCENT, CREDIT_QUOTA, "
                    "CREDITS_USED, CROSSED_AT FROM SFE_ANALYTICS_COSTS.V_CREDIT_ALERT_CONDITION "
                    "ORDER BY CROSSED_AT DESC, THRESHOLD_PERCENT DESC")


def anomaly_alert_condition(db: Database) -> pd.DataFrame:
    """What SFE_ANOMALY_ALERT's condition finds: anomalous account-months and when each became one."""
    return db.query("SELECT ACCOUNT_ID, CUSTOMER_NAME, BILLING_MONTH, TOTAL_COST, BASELINE_COST, ANOMALY_SCORE, "
                    "FLAGGED_AT FROM SFE_ANALYTICS_COSTS.V_ANOMALY_ALERT_CONDITION "
                    "ORDER BY FLAGGED_AT DESC, ANOMALY_SCORE DESC, ACCOUNT_ID")


def resource_monitors(db: Database) -> tuple[pd.DataFrame, bool]:
    """Monitor quotas, and whether credits used are visible (SHOW in Snowflake; config locally)."""
    if isinstance(db, SnowparkDatabase):
        frame = db.show_resource_monitors()
        frame.columns = [str(c).strip('"').lower() for c in frame.columns]
        keep = [c for c in ("name", "credit_quota", "used_credits", "remaining_credits", "frequency",
                            "level", "suspend_immediate_at", "notify_at") if c in frame.columns]
        return frame[keep], True
    quotas = getattr(db, "quotas", None)
    if quotas is None:
        return pd.DataFrame(columns=["name", "credit_quota"]), False
    notify = ", ".join(f"{p}%" for p in quotas.notify_at_percent)
    rows = [(quotas.warehouse_monitor, "warehouse", quotas.warehouse_credit_quota)]
    if quotas.account_credit_quota is not None:
        rows.append((quotas.account_monitor, "account", quotas.account_credit_quota))
    return pd.DataFrame(
        [{"name": n, "level": level, "credit_quota": q, "notify_at": notify,
          "suspend_immediate_at": f"{quotas.suspend_immediately_at_percent}%"} for n, level, q in rows]), False


def agent_name(db: Database) -> str:
    """The environment's agent: its suffix is the one on the role the app runs as (SFE_STREAMLIT_ROLE_DEV)."""
    role = str(db.query("SELECT CURRENT_ROLE() AS ROLE_NAME").iloc[0, 0]).strip('"')
    suffix = role.removeprefix(STREAMLIT_ROLE_BASE_NAME) if role.startswith(STREAMLIT_ROLE_BASE_NAME) else ""
    if not _ROLE_SUFFIX.fullmatch(suffix):
        raise ValueError(f"cannot tell the environment from role {role!r}")
    name = f"{AGENT_BASE_NAME}{suffix}"
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"agent name {name!r} is not a valid identifier")
    return f"{AGENT_LOCATION}.{name}"


def ask_agent(db: Database, question: str) -> str:
    """Ask SFE_BILLING_AGENT (Snowflake only); the question travels inside a bound JSON string."""
    if not db.in_snowflake:
        raise DataUnavailable("the billing agent runs only in Snowflake")
    body = json.dumps({"messages": [{"role": "user", "content": [{"type": "text", "text": question}]}]})
    frame = db.query("SELECT SNOWFLAKE.CORTEX.DATA_AGENT_RUN(?, ?) AS RESPONSE", [agent_name(db), body])
    return agent_answer_text(str(frame.iloc[0, 0]))


def agent_answer_text(response: str) -> str:
    """The text parts of an agent response (the raw JSON when it has none)."""
    try:
        parsed = json.loads(response)
    except json.JSONDecodeError:
        return response
    content = parsed.get("content", []) if isinstance(parsed, dict) else []
    texts = [part.get("text", "") for part in content if isinstance(part, dict) and part.get("type") == "text"]
    return "\n\n".join(t for t in texts if t) or response
