"""The hook runner's own state, as data: the schema, the ledger and the lock, with their columns.

Defined once, here, in plain Python: the stack creates these tables with Terraform (every
environment, `ledger_tables()` through `LandingTable`), and the runner creates the same tables itself
(`ysg_core.contract.create_table_sql`) only on a bare database Terraform never touched.

The schema is not one of the data contract's, so no hook's CREATE OR REPLACE SCHEMA, no clone of a
contract schema and no grant on one can reach the ledger, and readers of the contract never see it.
"""
from __future__ import annotations

from ysg_core.contract import Column

LEDGER_SCHEMA = "SFE_PLATFORM_OPS"
LEDGER_TABLE = "HOOK_LEDGER"
LOCK_TABLE = "HOOK_LOCK"

# One row per event of a run: a hook's `running`, `applied` or `failed`, and the run's `released`.
# RECORDED_AT is the server's clock when the row was written (the runner writes SYSDATE()), then SEQ:
# the ledger's order. STARTED_AT and ENDED_AT are the runner's clock, for people.
LEDGER_COLUMNS: tuple[Column, ...] = (
    Column("RUN_ID", "VARCHAR"),
    Column("SEQ", "NUMBER(38,0)"),
    Column("HOOK", "VARCHAR"),
    Column("CHECKSUM", "VARCHAR"),
    Column("STATUS", "VARCHAR"),
    Column("STARTED_AT", "TIMESTAMP_NTZ"),
    Column("ENDED_AT", "TIMESTAMP_NTZ"),
    Column("RECORDED_AT", "TIMESTAMP_NTZ"),
    Column("QUERY_IDS", "VARCHAR"),
    Column("SQL_FILE", "VARCHAR"),
    Column("STATEMENT_INDEX", "NUMBER(38,0)"),
    Column("STATEMENT", "VARCHAR"),
    Column("ERROR", "VARCHAR"),
    Column("OWNER", "VARCHAR"),
)
# One row per lock name, seeded by the runner's first acquire (a MERGE), so Terraform creates it empty.
LOCK_COLUMNS: tuple[Column, ...] = (
    Column("LOCK_NAME", "VARCHAR"),
    Column("OWNER", "VARCHAR"),
    Column("RUN_ID", "VARCHAR"),
    Column("ACQUIRED_AT", "TIMESTAMP_NTZ"),
    Column("EXPIRES_AT", "TIMESTAMP_NTZ"),
)

SCHEMA_COMMENT = "The hook runner's ledger and lock: outside the data contract's schemas"
# table -> (comment, columns), in creation order.
TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    LEDGER_TABLE: ("Hook runner ledger: one row per hook event and per released run", LEDGER_COLUMNS),
    LOCK_TABLE: ("Hook runner lock: one row per lock name, seeded by the first acquire", LOCK_COLUMNS),
}


def column_names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(c.name for c in columns)
