"""constructs/ysg_constructs/hook_ledger.py: the hook runner's schema, ledger and lock, and its grants."""
from ysg_constructs.database import BillingDatabase, BillingDatabaseProps
from ysg_constructs.hook_ledger import HookLedger
from ysg_constructs.role import FunctionalRole, FunctionalRoleProps
from ysg_core import ledger_schema

from tfdoc import resources


def _document(synth_stack) -> dict:
    def build(stack):
        database = BillingDatabase(stack, "db", BillingDatabaseProps(name="DB_T", data_retention_days=3))
        HookLedger(stack, "ledger", database).grant_runner(
            FunctionalRole(stack, "pipeline", FunctionalRoleProps(name="PIPELINE_T", comment="p")))
    return synth_stack(build)


def test_the_schema_is_managed_and_the_tables_have_the_runners_columns(synth_stack):
    document = _document(synth_stack)
    [schema] = resources(document, "snowflake_schema").values()
    tables = {t["name"]: t for t in resources(document, "snowflake_table").values()}
    assert (schema["name"], schema["with_managed_access"]) == (ledger_schema.LEDGER_SCHEMA, "true")
    assert {name: [c["name"] for c in t["column"]] for name, t in tables.items()} == {
        name: [c.name for c in columns] for name, (_, columns) in ledger_schema.TABLES.items()}
    assert all(t["change_tracking"] is False for t in tables.values())


def test_the_runner_role_gets_usage_and_exactly_select_insert_update_on_both_tables(synth_stack):
    document = _document(synth_stack)
    grants = resources(document, "snowflake_grant_privileges_to_account_role").values()
    on_tables = {g["on_schema_object"]["object_name"]: sorted(g["privileges"])
                 for g in grants if "on_schema_object" in g}
    on_schema = [g["privileges"] for g in grants if "on_schema" in g]
    assert on_schema == [["USAGE"]]
    assert on_tables == {f"${{snowflake_table.{table_id}.fully_qualified_name}}": ["INSERT", "SELECT", "UPDATE"]
                         for table_id in resources(document, "snowflake_table")}
    assert all(g["account_role_name"].startswith("${snowflake_account_role.pipeline_role_") for g in grants)


def test_the_ledger_schema_has_a_read_role_and_no_write_role(synth_stack):
    roles = [r["name"] for r in resources(_document(synth_stack), "snowflake_database_role").values()]
    assert roles == [f"{ledger_schema.LEDGER_SCHEMA}_READ"]
