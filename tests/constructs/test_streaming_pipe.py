import pytest

from ysg_constructs.landing_table import LandingTable, LandingTableProps
from ysg_constructs.role import FunctionalRole, FunctionalRoleProps
from ysg_constructs.streaming_pipe import StreamingPipe, StreamingPipeProps
from ysg_core.contract import NOW, Column

from tfdoc import only, resources

COLUMNS = (Column("EVENT_ID", "NUMBER(38,0)", identity=True),
           Column("ACCOUNT_ID", "NUMBER(38,0)", nullable=False),
           Column("NOTE", "VARCHAR"),
           Column("LOADED_AT", "TIMESTAMP_NTZ", default_expression=NOW))


def _build(raw_schema, columns=COLUMNS, pipe_columns=None, grant=False):
    def build(stack):
        schema = raw_schema(stack)
        table = LandingTable(stack, "table", schema, LandingTableProps(name="EVENTS_T", columns=columns,
                                                                       comment="events"))
        pipe = StreamingPipe(stack, "pipe", schema, table,
                             StreamingPipeProps(name="EVENTS_T", columns=pipe_columns or columns))
        if grant:
            pipe.grant_streaming(FunctionalRole(stack, "role", FunctionalRoleProps(name="INGEST_T", comment="c")))
    return build


def test_the_copy_lists_the_columns_rows_fill_and_leaves_identity_and_default_to_the_table(synth_stack, raw_schema):
    pipe = only(synth_stack(_build(raw_schema)), "snowflake_pipe")
    assert pipe["name"] == "EVENTS_T"
    assert pipe["copy_statement"] == (
        "COPY INTO DB_T.RAW_T.EVENTS_T (ACCOUNT_ID, NOTE) FROM (SELECT $1['account_id']::NUMBER(38,0), "
        "$1['note']::VARCHAR FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')))")
    assert pipe.get("auto_ingest") in (None, False)


def test_streaming_privileges_are_granted_to_the_role_itself(synth_stack, raw_schema):
    doc = synth_stack(_build(raw_schema, grant=True))
    grants = {(g.get("on_schema_object", {}).get("object_type", "SCHEMA" if "on_schema" in g else None),
               tuple(g["privileges"])) for g in resources(doc, "snowflake_grant_privileges_to_account_role").values()}
    assert grants == {("SCHEMA", ("USAGE",)), ("TABLE", ("INSERT",)), ("PIPE", ("OPERATE",))}


def test_columns_other_than_the_tables_are_refused(synth_stack, raw_schema):
    with pytest.raises(ValueError, match=r"pipe EVENTS_T: columns \['EVENT_ID', 'NOTE'\] are not table EVENTS_T's"):
        synth_stack(_build(raw_schema, pipe_columns=(COLUMNS[0], COLUMNS[2])))


def test_a_table_rows_cannot_fill_is_refused(synth_stack, raw_schema):
    with pytest.raises(ValueError, match="has no column a row could fill"):
        synth_stack(_build(raw_schema, columns=(COLUMNS[0], COLUMNS[3])))
