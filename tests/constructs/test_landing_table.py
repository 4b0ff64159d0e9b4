import pytest

from ysg_constructs.landing_table import LandingTable, LandingTableProps
from ysg_core.contract import Column, LANDING_TABLES

from tfdoc import only


def _table(raw_schema, columns):
    return lambda s: LandingTable(s, "t", raw_schema(s), LandingTableProps(name="T_T", columns=columns, comment="c"))


def test_identity_default_and_change_tracking(synth_stack, raw_schema):
    table = only(synth_stack(_table(raw_schema, (
        Column("ID", "NUMBER(38,0)", identity=True), Column("LOAD_TS", "TIMESTAMP_NTZ", default_expression="CURRENT_TIMESTAMP()")))),
        "snowflake_table")
    assert table["change_tracking"] is True
    assert table["column"] == [
        {"name": "ID", "type": "NUMBER(38,0)", "nullable": False, "identity": {"start_num": 1, "step_num": 1}},
        {"name": "LOAD_TS", "type": "TIMESTAMP_NTZ", "nullable": True, "default": {"expression": "CURRENT_TIMESTAMP()"}}]


@pytest.mark.parametrize("columns,message", [
    ((), "at least one column"),
    ((Column("A", "NUMBER"), Column("A", "DATE")), "column A is given twice"),
    ((Column("A", "TEXT(5); DROP"),), "has type"),
    ((Column("A", "DATE", default_expression="DROP TABLE X"),), "default"),
])
def test_bad_columns_are_refused(synth_stack, raw_schema, columns, message):
    with pytest.raises(ValueError, match=message):
        synth_stack(_table(raw_schema, columns))


def test_the_contract_tables_have_the_contract_columns():
    # ../shared/data-contract.md, landing tables: a public interface.
    expected = {
        "USAGE_METRICS": "usage_id account_id usage_ts minutes_used data_mb sms_count service_type cost_amount "
                         "region_code ingest_source load_ts",
        "CUSTOMER_SEGMENTS": "account_id customer_name segment_name lifecycle_status tier effective_start effective_end",
        "COST_ALLOCATIONS": "allocation_id usage_id cost_bucket bucket_amount billed_at",
        "SALESFORCE_ACCOUNTS": "account_id sfdc_account_id account_name billing_email billing_phone billing_country "
                               "account_owner synced_at",
        "BILLING_KB": "doc_id doc_type doc_title doc_body region_code last_reviewed",
    }
    actual = {table: " ".join(c.name.lower() for c in columns) for (_, table), (_, columns) in LANDING_TABLES.items()}
    assert actual == expected
