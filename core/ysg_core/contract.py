"""The landing tables of ../shared/data-contract.md, as data: a public interface.

Dashboards, hooks and outside consumers read these names; a change here shows in the snapshot tests.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ysg_core import naming


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    # Defaults to a nullable column without identity or default.
    nullable: bool = True
    identity: bool = False
    default_expression: str | None = None


NOW = "CURRENT_TIMESTAMP()"

LANDING_TABLES: dict[tuple[str, str], tuple[str, tuple[Column, ...]]] = {
    (naming.RAW_SCHEMA, "USAGE_METRICS"): (
        "Telecom usage events from Kafka through Snowpipe Streaming",
        (Column("USAGE_ID", "NUMBER(38,0)", identity=True),
         Column("ACCOUNT_ID", "NUMBER(38,0)", nullable=False),
         Column("USAGE_TS", "TIMESTAMP_NTZ", nullable=False),
         Column("MINUTES_USED", "NUMBER(12,2)"),
         Column("DATA_MB", "NUMBER(12,2)"),
         Column("SMS_COUNT", "NUMBER(38,0)"),
         Column("SERVICE_TYPE", "VARCHAR"),
         Column("COST_AMOUNT", "NUMBER(12,4)"),
         Column("REGION_CODE", "VARCHAR"),
         Column("INGEST_SOURCE", "VARCHAR"),
         Column("LOAD_TS", "TIMESTAMP_NTZ", default_expression=NOW))),
    (naming.RAW_SCHEMA, "CUSTOMER_SEGMENTS"): (
        "Customer segmentation master data, batch CSV from the GA4 export",
        (Column("ACCOUNT_ID", "NUMBER(38,0)", nullable=False),
         Column("CUSTOMER_NAME", "VARCHAR"),
         Column("SEGMENT_NAME", "VARCHAR"),
         Column("LIFECYCLE_STATUS", "VARCHAR"),
         Column("TIER", "VARCHAR"),
         Column("EFFECTIVE_START", "DATE"),
         Column("EFFECTIVE_END", "DATE"))),
    (naming.RAW_SCHEMA, "COST_ALLOCATIONS"): (
        "Cost buckets per usage event",
        (Column("ALLOCATION_ID", "NUMBER(38,0)", identity=True),
         Column("USAGE_ID", "NUMBER(38,0)", nullable=False),
         Column("COST_BUCKET", "VARCHAR"),
         Column("BUCKET_AMOUNT", "NUMBER(12,4)"),
         Column("BILLED_AT", "DATE"))),
    (naming.RAW_SCHEMA, "SALESFORCE_ACCOUNTS"): (
        "Billing accounts synced from Salesforce (BILLING_EMAIL and BILLING_PHONE are PII)",
        (Column("ACCOUNT_ID", "NUMBER(38,0)", nullable=False),
         Column("SFDC_ACCOUNT_ID", "VARCHAR"),
         Column("ACCOUNT_NAME", "VARCHAR"),
         Column("BILLING_EMAIL", "VARCHAR"),
         Column("BILLING_PHONE", "VARCHAR"),
         Column("BILLING_COUNTRY", "VARCHAR"),
         Column("ACCOUNT_OWNER", "VARCHAR"),
         Column("SYNCED_AT", "TIMESTAMP_NTZ"))),
    (naming.KNOWLEDGE_SCHEMA, "BILLING_KB"): (
        "Billing policy knowledge base for Cortex Search",
        (Column("DOC_ID", "NUMBER(38,0)", identity=True),
         Column("DOC_TYPE", "VARCHAR", nullable=False),
         Column("DOC_TITLE", "VARCHAR", nullable=False),
         Column("DOC_BODY", "VARCHAR", nullable=False),
         Column("REGION_CODE", "VARCHAR"),
         Column("LAST_REVIEWED", "DATE"))),
}


# What a table of ours may declare, in Terraform (LandingTable) and outside it (the emulator subset,
# the runner's ledger on a bare database): these types, and only this default.
SQL_TYPES = re.compile(r"^(NUMBER(\(\d{1,2},\d{1,2}\))?|VARCHAR(\(\d+\))?|DATE|TIMESTAMP_NTZ|BOOLEAN|VARIANT)$")
SQL_DEFAULTS = frozenset({NOW})


def check_column(column: Column, *, where: str) -> str:
    """The column's name, once its name, type and default are ones our tables may have; a ValueError
    names `where` and the column otherwise."""
    name = naming.identifier(column.name, what=f"column of {where}")
    if not SQL_TYPES.fullmatch(column.type):
        raise ValueError(f"{where}: column {name} has type {column.type!r}, "
                         "expected NUMBER[(p,s)], VARCHAR[(n)], DATE, TIMESTAMP_NTZ, BOOLEAN or VARIANT")
    if column.default_expression and column.default_expression not in SQL_DEFAULTS:
        raise ValueError(f"{where}: column {name} default {column.default_expression!r} "
                         f"is not one of {sorted(SQL_DEFAULTS)}")
    return name


def create_table_sql(database: str, schema: str, table: str, columns: Sequence[Column], *, where: str) -> str:
    """`CREATE TABLE IF NOT EXISTS` for `columns`, built as a sqlglot syntax tree from validated names
    and types, never by formatting; a ValueError names `where` and the column at fault."""
    import sqlglot
    from sqlglot import exp

    name = ".".join(naming.identifier(p, what=f"{where} name") for p in (database, schema, table))
    definitions = []
    for column in columns:
        col_name = check_column(column, where=where)
        constraints = []
        if column.identity:
            constraints.append(exp.ColumnConstraint(kind=exp.GeneratedAsIdentityColumnConstraint(
                this=False, start=exp.Literal.number(1), increment=exp.Literal.number(1))))
        if not column.nullable:
            constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
        if column.default_expression:
            constraints.append(exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(
                this=sqlglot.parse_one(column.default_expression, read="snowflake"))))
        definitions.append(exp.ColumnDef(this=exp.to_identifier(col_name),
                                         kind=exp.DataType.build(column.type, dialect="snowflake"),
                                         constraints=constraints))
    if not definitions:
        raise ValueError(f"{where}: no columns")
    create = exp.Create(kind="TABLE", exists=True,
                        this=exp.Schema(this=exp.to_table(name, dialect="snowflake"), expressions=definitions))
    return create.sql(dialect="snowflake")
