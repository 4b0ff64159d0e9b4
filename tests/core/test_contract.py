"""core/ysg_core/contract.py: the landing tables as data, and the one way a table of ours is written as SQL."""
from __future__ import annotations

import pytest

from ysg_core import naming
from ysg_core.contract import LANDING_TABLES, NOW, Column, check_column, create_table_sql


def test_a_table_is_built_from_validated_names_and_types():
    columns = (Column("ID", "NUMBER(38,0)", identity=True), Column("NAME", "VARCHAR", nullable=False),
               Column("AT", "TIMESTAMP_NTZ", default_expression=NOW))
    assert create_table_sql("DB", "S", "T", columns, where="the test table") == (
        "CREATE TABLE IF NOT EXISTS DB.S.T (ID DECIMAL(38, 0) AUTOINCREMENT START 1 INCREMENT 1, "
        "NAME VARCHAR NOT NULL, AT TIMESTAMPNTZ DEFAULT CURRENT_TIMESTAMP())")


@pytest.mark.parametrize("column, message", [
    (Column("X", "NUMBER(38,0)); DROP TABLE T; --"), r"the test table: column X has type .*expected NUMBER"),
    (Column("X", "GEOGRAPHY"), r"the test table: column X has type 'GEOGRAPHY'"),
    (Column("X", "VARCHAR", default_expression="SYSTEM$WHITELIST()"), r"the test table: column X default"),
    (Column("x; drop", "VARCHAR"), r"column of the test table 'x; drop' is not a valid Snowflake identifier"),
])
def test_a_column_our_tables_may_not_have_is_refused_naming_the_table_and_column(column, message):
    with pytest.raises(ValueError, match=message):
        create_table_sql("DB", "S", "T", (column,), where="the test table")


def test_a_table_without_columns_or_with_a_bad_name_is_refused():
    with pytest.raises(ValueError, match="the test table: no columns"):
        create_table_sql("DB", "S", "T", (), where="the test table")
    with pytest.raises(ValueError, match="the test table name 'db' is not a valid"):
        create_table_sql("db", "S", "T", (Column("X", "VARCHAR"),), where="the test table")


def test_the_landing_tables_are_the_data_contracts_and_each_column_is_one_our_tables_may_have():
    # ../shared/data-contract.md, "Landing tables": a public interface.
    assert sorted(LANDING_TABLES) == sorted([
        (naming.RAW_SCHEMA, "USAGE_METRICS"), (naming.RAW_SCHEMA, "CUSTOMER_SEGMENTS"),
        (naming.RAW_SCHEMA, "COST_ALLOCATIONS"), (naming.RAW_SCHEMA, "SALESFORCE_ACCOUNTS"),
        (naming.KNOWLEDGE_SCHEMA, "BILLING_KB")])
    checked = [check_column(c, where=table) for (_, table), (_, columns) in LANDING_TABLES.items() for c in columns]
    assert len(checked) == sum(len(columns) for _, columns in LANDING_TABLES.values())
