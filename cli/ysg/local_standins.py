"""What the embedded emulator lacks, stood in for locally so the data flow still runs end to end:
an (empty) metering history for the credit alert's condition, the Salesforce external function (it
answers with a recorded response), the sync task's MERGE run once, and the alert conditions evaluated.

The SQL that runs is the hooks' own (from the synthesized manifest), never a local copy of it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ysg_core import naming
from ysg_core.paths import REPO_ROOT
from ysg_core.render import render
from ysg_core.sqlcheck import task_body
from ysg_hooks.manifest import Manifest

SALESFORCE_RESPONSES = REPO_ROOT / "data" / "salesforce" / "sample_responses.json"
SALESFORCE_TASK_HOOK = "raw.sfe_salesforce_sync_task"
SALESFORCE_FUNCTION = "SFE_SALESFORCE_SYNC"   # constructs/ysg_constructs/salesforce_sync.py
# The columns of SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY the credit alert reads
# (https://docs.snowflake.com/sql-reference/account-usage/warehouse_metering_history).
METERING_STANDIN = (
    "CREATE DATABASE IF NOT EXISTS SNOWFLAKE",
    "CREATE SCHEMA IF NOT EXISTS SNOWFLAKE.ACCOUNT_USAGE",
    "CREATE TABLE IF NOT EXISTS SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY (START_TIME TIMESTAMP_LTZ, "
    "END_TIME TIMESTAMP_LTZ, WAREHOUSE_ID NUMBER, WAREHOUSE_NAME VARCHAR, CREDITS_USED NUMBER(38,9), "
    "CREDITS_USED_COMPUTE NUMBER(38,9), CREDITS_USED_CLOUD_SERVICES NUMBER(38,9))",
)
METERING_TABLE = "SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY"
# The external function's stand-in: a DuckDB macro of the same name that ignores its payload and
# answers with the recorded response. Created below fakesnow, on DuckDB itself, which has macros.
_FUNCTION_MACRO = ("CREATE OR REPLACE MACRO {{ identifier:database }}.{{ identifier:schema }}.{{ identifier:function }}"
                   "(payload) AS ((SELECT content FROM read_text({{ literal:path }}))::JSON)")
# The alerts' conditions, as the app shows them (newest first).
ALERT_CONDITIONS = {
    "SFE_CREDIT_ALERT": ("V_CREDIT_ALERT_CONDITION", "crossed_at"),
    "SFE_ANOMALY_ALERT": ("V_ANOMALY_ALERT_CONDITION", "flagged_at"),
}
_CONDITION = "SELECT COUNT(*) FROM {{ qualified:view }}"


@dataclass(frozen=True)
class SyncResult:
    inserted: int
    updated: int


def create_metering_standin(cursor) -> bool:
    """An empty WAREHOUSE_METERING_HISTORY where Snowflake keeps it (the emulator runs no warehouse, so
    it meters no credit). Returns whether it was created now."""
    database, schema, table = METERING_STANDIN
    cursor.execute(database)   # attaches the emulator's existing database file, if there is one
    cursor.execute(schema)
    cursor.execute("SHOW TABLES LIKE 'WAREHOUSE_METERING_HISTORY' IN SCHEMA SNOWFLAKE.ACCOUNT_USAGE")
    names = [d[0].lower() for d in cursor.description]
    existed = any(row[names.index("name")] == "WAREHOUSE_METERING_HISTORY" for row in cursor.fetchall())
    cursor.execute(table)
    return not existed


def stand_in_salesforce_function(connection, database: str, responses: Path = SALESFORCE_RESPONSES) -> None:
    """SFE_SALESFORCE_SYNC on the emulator: it answers every call with the recorded response file."""
    path = str(Path(responses).resolve())
    if "'" in path or "\\" in path:   # DuckDB string literals have no escapes; refuse rather than mangle
        raise ValueError(f"{path}: the Salesforce responses file needs a path without quotes or backslashes")
    (statement,) = render(_FUNCTION_MACRO, {"database": database, "schema": naming.RAW_SCHEMA,
                                            "function": SALESFORCE_FUNCTION, "path": path},
                          source="cli/ysg/local_standins.py Salesforce function")
    connection._duck_conn.execute(statement)


def salesforce_merge(manifest: Manifest) -> str:
    """The MERGE the Salesforce sync task runs, taken from the task's own rendered statement."""
    hook = manifest.by_name()[SALESFORCE_TASK_HOOK]
    (create_task,) = [s for s in hook.statements if s.lstrip().upper().startswith("CREATE")]
    return task_body(create_task)


def run_salesforce_sync(connection, manifest: Manifest, database: str,
                        responses: Path = SALESFORCE_RESPONSES) -> SyncResult:
    """One run of the sync task on the emulator: its MERGE over the recorded Salesforce response."""
    stand_in_salesforce_function(connection, database, responses)
    cursor = connection.cursor()
    try:
        cursor.execute(salesforce_merge(manifest))
        names = [d[0].lower() for d in cursor.description]
        row = cursor.fetchone()
        counts = dict(zip(names, row))
        return SyncResult(inserted=int(counts.get("number of rows inserted", 0)),
                          updated=int(counts.get("number of rows updated", 0)))
    finally:
        cursor.close()


def evaluate_alert_conditions(cursor, database: str) -> dict[str, int]:
    """Each alert's condition evaluated once, as its view: the rows it would report (on the emulator,
    where the alert has never run, every row is new)."""
    found = {}
    for alert, (view, _) in ALERT_CONDITIONS.items():
        (count,) = render(_CONDITION, {"view": naming.qualified(database, naming.ANALYTICS_SCHEMA, view)},
                          source="cli/ysg/local_standins.py alert condition")
        cursor.execute(count)
        found[alert] = int(cursor.fetchone()[0])
    return found
