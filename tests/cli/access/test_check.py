"""cli/ysg/access/check.py and report.py: hook statements checked as the role that runs them, on small
hand-built stacks; `ysg access` exit codes."""
from __future__ import annotations

import pytest
from access_stacks import StackBuilder, ref

from ysg import cli
from ysg.access.report import check_stack

VIEW = "CREATE OR REPLACE VIEW DB.S.V AS SELECT * FROM DB.S.T"
GRANT = "GRANT SELECT ON VIEW DB.S.V TO ROLE READER"


def pipeline_stack(managed: bool, pipeline_owns_schema: bool = False) -> StackBuilder:
    """A pipeline role that may create views in DB.S and read DB.S.T, on warehouse WH."""
    b = StackBuilder(managed=managed)
    pipeline = b.role("pipeline", "PIPELINE")
    b.role("reader", "READER")
    warehouse = b.warehouse("wh", "WH")
    table = b.table("t", "T")
    b.grant("db", pipeline, ["USAGE"], on_account_object={"object_type": "DATABASE", "object_name": ref(b.database)})
    b.grant("schema", pipeline, ["USAGE", "CREATE VIEW"],
            on_schema={"schema_name": ref(b.schema, "fully_qualified_name")})
    b.grant("table", pipeline, ["SELECT"], on_schema_object={"object_type": "TABLE",
                                                             "object_name": ref(table, "fully_qualified_name")})
    b.grant("warehouse", pipeline, ["USAGE"], on_account_object={"object_type": "WAREHOUSE",
                                                                 "object_name": ref(warehouse)})
    if pipeline_owns_schema:
        b.add("snowflake_grant_ownership.schema", account_role_name=ref(pipeline),
              on={"object_type": "SCHEMA", "object_name": ref(b.schema, "fully_qualified_name")})
    return b


def needs(report, label: str) -> dict[str, bool]:
    [result] = [r for r in report.statements if r.label == label]
    return {n.text: n.held for n in result.needs}


RUN_AS = {"role": "PIPELINE", "warehouse": "WH"}


def test_the_creator_owns_what_it_creates_and_a_later_statement_counts_on_it(tmp_path):
    folder = pipeline_stack(managed=False).write(tmp_path / "s", [("a.v", [VIEW, GRANT])], run_as=RUN_AS)
    report = check_stack(folder)
    assert needs(report, "a.v #1") == {"CREATE VIEW on SCHEMA DB.S": True, "SELECT on TABLE DB.S.T": True,
                                       "USAGE on DATABASE DB": True, "USAGE on SCHEMA DB.S": True}
    [owner] = [n for r in report.statements if r.label == "a.v #2" for n in r.needs if n.held and "OWNERSHIP" in n.text]
    assert str(owner.providers[0].source) == "owner: created by hook a.v #1"


def test_in_a_managed_access_schema_the_object_owner_may_not_grant_but_the_schema_owner_may(tmp_path):
    hooks = [("a.v", [VIEW, GRANT])]
    unmanaged = check_stack(pipeline_stack(managed=False).write(tmp_path / "u", hooks, run_as=RUN_AS))
    managed = check_stack(pipeline_stack(managed=True).write(tmp_path / "m", hooks, run_as=RUN_AS))
    schema_owner = check_stack(pipeline_stack(managed=True, pipeline_owns_schema=True).write(
        tmp_path / "o", [("a.v", [VIEW, GRANT])], run_as=RUN_AS))
    assert needs(unmanaged, "a.v #2")["OWNERSHIP on VIEW DB.S.V or MANAGE GRANTS on ACCOUNT"] is True
    assert needs(managed, "a.v #2")["OWNERSHIP on SCHEMA DB.S or MANAGE GRANTS on ACCOUNT"] is False
    assert needs(schema_owner, "a.v #2")["OWNERSHIP on SCHEMA DB.S or MANAGE GRANTS on ACCOUNT"] is True


def test_a_grant_a_hook_makes_counts_for_the_statements_after_it(tmp_path):
    b = pipeline_stack(managed=False)
    b.grant("reader-usage", "snowflake_account_role.reader", ["USAGE"],
            on_schema={"schema_name": ref(b.schema, "fully_qualified_name")})
    read_as_reader = ("c.read", ["SELECT * FROM DB.S.V"], "READER")
    before = check_stack(b.write(tmp_path / "before", [("a.v", [VIEW]), read_as_reader], run_as=RUN_AS))
    after = check_stack(b.write(tmp_path / "after", [("a.v", [VIEW, GRANT]), read_as_reader], run_as=RUN_AS))
    assert needs(before, "c.read #1")["SELECT on VIEW DB.S.V"] is False
    [select] = [n for r in after.statements if r.label == "c.read #1" for n in r.needs
                if n.text == "SELECT on VIEW DB.S.V"]
    assert (select.held, select.providers[0].source.address) == (True, "hook a.v #2")


def test_the_role_a_hook_runs_as_comes_from_run_as_then_the_hook_then_the_environment(tmp_path):
    b = pipeline_stack(managed=False)
    folder = b.write(tmp_path / "s", [("a.v", [VIEW])], run_as=RUN_AS)
    assert str(check_stack(folder).statements[0].role) == "PIPELINE"
    folder = b.write(tmp_path / "t", [("a.v", [VIEW])])
    result = check_stack(folder).statements[0]
    # Without run_as: the environment's pipeline role and warehouse (ysg_core.naming), said so.
    assert (str(result.role), result.warehouse, "assumed" in result.assumed) == ("SFE_PIPELINE_ROLE_DEV",
                                                                                  "SFE_BILLING_WH_DEV", True)


def test_a_dml_statement_needs_the_session_warehouse_and_a_view_does_not(tmp_path):
    b = pipeline_stack(managed=False)
    b.grant("insert", "snowflake_account_role.pipeline", ["INSERT"],
            on_schema_object={"object_type": "TABLE", "object_name": ref("snowflake_table.t", "fully_qualified_name")})
    folder = b.write(tmp_path / "s", [("a.v", [VIEW, "INSERT INTO DB.S.T SELECT * FROM DB.S.T"])],
                     run_as={"role": "PIPELINE", "warehouse": "OTHER_WH"})
    report = check_stack(folder)
    assert not any("WAREHOUSE" in text for text in needs(report, "a.v #1"))
    assert needs(report, "a.v #2")["USAGE on WAREHOUSE OTHER_WH"] is False


def test_bootstrap_grants_are_labelled_with_their_line(tmp_path):
    b = pipeline_stack(managed=False)
    bootstrap = "-- admin\nUSE ROLE SECURITYADMIN;\n\nGRANT CREATE DATABASE ON ACCOUNT TO ROLE PIPELINE;\n"
    folder = b.write(tmp_path / "s", [("a.db", ["CREATE DATABASE IF NOT EXISTS OTHER"])], run_as=RUN_AS,
                     bootstrap=bootstrap)
    [need] = check_stack(folder).statements[0].needs
    assert (need.held, need.providers[0].describe()) == (
        True, "bootstrap.sql line 4 (bootstrap: admin, once) (to PIPELINE)")


def test_a_statement_the_model_cannot_read_is_missing_not_skipped(tmp_path):
    folder = pipeline_stack(managed=False).write(tmp_path / "s", [("a.x", ["ALTER WAREHOUSE WH SUSPEND"])],
                                                run_as=RUN_AS)
    report = check_stack(folder)
    assert not report.ok and report.statements[0].error


@pytest.mark.parametrize("hooks, expected", [([("a.v", [VIEW])], 0), ([("a.v", [VIEW, GRANT])], 1)])
def test_ysg_access_exits_0_when_every_privilege_is_held_and_1_when_one_is_missing(tmp_path, capsys, hooks,
                                                                                    expected):
    folder = pipeline_stack(managed=True).write(tmp_path / "s", hooks, run_as=RUN_AS)
    assert cli.main(["access", "dev", "--stack-dir", str(folder)]) == expected
    out = capsys.readouterr().out
    assert ("MISSING  OWNERSHIP on SCHEMA DB.S or MANAGE GRANTS on ACCOUNT" in out) == (expected == 1)


def test_ysg_access_exits_2_with_one_line_naming_the_file_on_bad_input(tmp_path, capsys):
    folder = pipeline_stack(managed=True).write(tmp_path / "s", [("a.v", [VIEW])], run_as=RUN_AS)
    (folder / "cdk.tf.json").write_text("{not json", encoding="utf-8")
    assert cli.main(["access", "dev", "--stack-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cdk.tf.json: not valid JSON" in err and "Traceback" not in err
