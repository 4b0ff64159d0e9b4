"""cli/ysg/emulator.py: the part of the synthesized billing-local stack the emulator can hold."""
from ysg.emulator import apply_stack_subset, emulator_connection, subset_statements
from ysg_core import contract
from ysg_core import ledger_schema

DB = "SNOWFLAKE_EXAMPLE_LOCAL"


def test_the_subset_is_created_once_and_persisted(stacks, tmp_path):
    with emulator_connection(tmp_path / "emu", DB) as connection:
        created = apply_stack_subset(connection, stacks["local"])
        again = apply_stack_subset(connection, stacks["local"])
    with emulator_connection(tmp_path / "emu", DB) as connection:   # a later `ysg up`
        next_session = apply_stack_subset(connection, stacks["local"])
        cursor = connection.cursor()
        cursor.execute("SELECT table_schema, table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema LIKE 'SFE_%' ORDER BY table_schema, table_name, ordinal_position")
        columns = [tuple(r) for r in cursor.fetchall()]
    expected_columns = sorted([(schema, table, c.name) for (schema, table), (_, cols) in contract.LANDING_TABLES.items()
                               for c in cols]   # and the hook runner's own tables, which Terraform creates too
                              + [(ledger_schema.LEDGER_SCHEMA, table, c.name)
                                 for table, (_, cols) in ledger_schema.TABLES.items() for c in cols])
    session_objects = [f"file format {DB}.SFE_RAW_BILLING.SFE_CSV_FORMAT",
                       f"file format {DB}.SFE_RAW_BILLING.SFE_JSON_FORMAT",
                       f"stage {DB}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE",   # the Streamlit app's
                       f"stage {DB}.SFE_RAW_BILLING.RAW"]
    # The database is created by the connection itself; stages and file formats live in the
    # fakesnow session (0.12.1), so only they come back in a new session.
    assert ([c for c in created if not c.startswith("table ")], again, next_session, sorted(columns)) == (
        [f"schema {DB}.SFE_PLATFORM_OPS", f"schema {DB}.SFE_ANALYTICS_COSTS", f"schema {DB}.SFE_RAW_BILLING",
         f"schema {DB}.SFE_SHARED_KNOWLEDGE", f"schema {DB}.SFE_STG_TELECOM"] + session_objects,
        [], session_objects, expected_columns)


def test_everything_else_is_reported_as_not_applicable(stacks):
    _, not_applicable = subset_statements(stacks["local"])
    kinds = {entry.split(".")[0] for entry in not_applicable}
    assert ({"snowflake_account_role", "snowflake_warehouse", "snowflake_pipe", "snowflake_stage",
             "snowflake_grant_privileges_to_database_role", "snowflake_service_user"} <= kinds,
            [e for e in not_applicable if e.startswith("snowflake_stage.")][0].endswith(
                "(external stage: needs cloud storage)")) == (True, True)


def test_identity_not_null_and_default_columns_are_kept(stacks):
    planned, _ = subset_statements(stacks["local"])
    usage = dict(planned)[f"table {DB}.SFE_RAW_BILLING.USAGE_METRICS"]
    assert ("USAGE_ID DECIMAL(38, 0) AUTOINCREMENT START 1 INCREMENT 1" in usage,
            "ACCOUNT_ID DECIMAL(38, 0) NOT NULL" in usage, "DEFAULT CURRENT_TIMESTAMP()" in usage) == (True,) * 3


def test_identity_tables_take_inserts_from_any_later_session(stacks, tmp_path):
    # fakesnow keeps an identity sequence in the schema that was current at CREATE TABLE and names it
    # unqualified: a later session (the hook runner's, on PUBLIC) must still resolve it.
    with emulator_connection(tmp_path / "emu", DB) as connection:
        apply_stack_subset(connection, stacks["local"])
    with emulator_connection(tmp_path / "emu", DB) as connection:
        cursor = connection.cursor()
        cursor.execute(f"INSERT INTO {DB}.SFE_SHARED_KNOWLEDGE.BILLING_KB (doc_type, doc_title, doc_body) "
                       "VALUES ('FAQ', 't', 'b')")
        cursor.execute(f"INSERT INTO {DB}.SFE_RAW_BILLING.COST_ALLOCATIONS (usage_id) VALUES (7)")
        cursor.execute(f"SELECT doc_id FROM {DB}.SFE_SHARED_KNOWLEDGE.BILLING_KB")
        assert cursor.fetchall() == [(1,)]
