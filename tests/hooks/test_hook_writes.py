"""Hook SQL may do only what its declaration says (issue 13, item 1).

The platform's own hook declarations (stacks/ysg_stacks/data_hooks.py) are prepared against a copy of
sql/ with a statement appended, as synthesis prepares them: each attack is refused naming the file and
the statement number. Then what no declaration can allow: anything destructive to a Terraform-owned
object, judged against a synthesized stack.
"""
from __future__ import annotations

import json
import shutil

import pytest

from ysg_core.paths import REPO_ROOT
from ysg_hooks import declare
from ysg_hooks.declare import HookDeclaration, prepare
from ysg_hooks.manifest import RenderedHook, checksum
from ysg_stacks.data_hooks import HookInputs, declarations

DB = "SNOWFLAKE_EXAMPLE"       # prod's database
RAW = f"{DB}.SFE_RAW_BILLING"


@pytest.fixture
def sql_copy(tmp_path, monkeypatch):
    """A copy of the repository's sql/ that declarations read instead of the real one."""
    shutil.copytree(REPO_ROOT / "sql", tmp_path / "sql")
    monkeypatch.setattr(declare, "REPO_ROOT", tmp_path)
    return tmp_path / "sql"


def declared(configs, name: str) -> HookDeclaration:
    return next(p for p in declarations(configs["prod"], HookInputs()) if p.name == name)


def append(sql_copy, name: str, text: str) -> None:
    path = sql_copy / f"{name.replace('.', '/')}.sql"
    path.write_text(path.read_text() + "\n" + text + "\n")


def test_every_shipped_hook_does_exactly_what_it_declares(configs):
    """The negative control for everything below: the real files, as declared, are accepted."""
    for config in configs.values():
        for props in declarations(config, HookInputs()):
            prepare(props)


@pytest.mark.parametrize("attack, refusal", [
    # The case: a view's hook truncates and drops landing tables.
    (f"TRUNCATE TABLE {RAW}.USAGE_METRICS; DROP TABLE {RAW}.COST_ALLOCATIONS;",
     f"statement 2 truncates table {RAW}.USAGE_METRICS, which this hook does not create"),
    # Case, quoting and comments change nothing.
    (f'/* tidy up */ truncate table "{DB}"."SFE_RAW_BILLING"."USAGE_METRICS" -- gone',
     f"statement 2 truncates table {RAW}.USAGE_METRICS, which this hook does not create"),
    (f"CREATE OR REPLACE TABLE {RAW}.USAGE_METRICS (X INT);",
     f"statement 2 creates table {RAW}.USAGE_METRICS, which the hook does not declare in creates"),
    (f"DELETE FROM {RAW}.COST_ALLOCATIONS;",
     f"statement 2 deletes every row of table {RAW}.COST_ALLOCATIONS, which the hook does not declare in writes"),
    (f"ALTER TABLE {RAW}.USAGE_METRICS RENAME TO {RAW}.USAGE_METRICS_OLD;",
     f"statement 2 renames table {RAW}.USAGE_METRICS, which this hook does not create"),
    (f"INSERT OVERWRITE INTO {RAW}.USAGE_METRICS SELECT * FROM {RAW}.USAGE_METRICS WHERE FALSE;",
     f"statement 2 overwrites table {RAW}.USAGE_METRICS, which this hook does not create"),
    (f"ALTER TABLE {RAW}.USAGE_METRICS SET DATA_RETENTION_TIME_IN_DAYS = 0;",
     f"statement 2 alters table {RAW}.USAGE_METRICS, which this hook does not create"),
    (f"MERGE INTO {RAW}.CUSTOMER_SEGMENTS AS t USING (SELECT 1 AS a) AS s ON t.account_id = s.a "
     "WHEN MATCHED THEN DELETE;",
     f"statement 2 merges into table {RAW}.CUSTOMER_SEGMENTS, which the hook does not declare in writes"),
    ("DROP TABLE USAGE_METRICS;", "statement 2: table USAGE_METRICS is not named in full"),
])
def test_a_view_hook_that_reaches_for_the_landing_tables_is_refused(configs, sql_copy, attack, refusal):
    append(sql_copy, "stg.v_usage_enriched", attack)
    with pytest.raises(ValueError, match=r"hook stg\.v_usage_enriched \(sql/stg/v_usage_enriched\.sql\) "
                                         + refusal.replace(".", r"\.").replace("(", r"\(")):
        prepare(declared(configs, "stg.v_usage_enriched"))


@pytest.mark.parametrize("attack", [
    f"EXECUTE IMMEDIATE $$ TRUNCATE TABLE {RAW}.USAGE_METRICS $$;",
    f"SELECT 1 ->> TRUNCATE TABLE {RAW}.USAGE_METRICS;",
    f"CALL {DB}.SFE_STG_TELECOM.CLEAN_UP();",
])
def test_sql_the_check_cannot_see_into_is_refused(configs, sql_copy, attack):
    append(sql_copy, "stg.v_usage_enriched", attack)
    with pytest.raises(ValueError, match=r"sql/stg/v_usage_enriched\.sql"):
        prepare(declared(configs, "stg.v_usage_enriched"))


def test_a_hook_that_writes_where_it_declared_no_write_is_refused(configs, sql_copy):
    """The knowledge base may MERGE and DELETE in BILLING_KB, for its documents; an UPDATE it never declared
    is refused, even there."""
    append(sql_copy, "knowledge.billing_kb", f"UPDATE {DB}.SFE_SHARED_KNOWLEDGE.BILLING_KB SET doc_body = '';")
    with pytest.raises(ValueError, match=r"statement 3 updates table SNOWFLAKE_EXAMPLE\.SFE_SHARED_KNOWLEDGE\.BILLING_KB"
                                         r", which the hook does not declare in writes"):
        prepare(declared(configs, "knowledge.billing_kb"))


@pytest.fixture
def scratch_sql(tmp_path, monkeypatch):
    monkeypatch.setattr(declare, "REPO_ROOT", tmp_path)
    (tmp_path / "sql").mkdir()
    return tmp_path / "sql"


def test_a_task_is_judged_by_what_it_will_run(scratch_sql):
    (scratch_sql / "raw").mkdir()
    (scratch_sql / "raw" / "t.sql").write_text(
        "CREATE OR REPLACE TASK DB.S.T WAREHOUSE = WH SCHEDULE = '1 minute' AS DELETE FROM DB.RAW.USAGE_METRICS;\n")
    with pytest.raises(ValueError, match=r"statement 1 deletes every row of table DB\.RAW\.USAGE_METRICS \(in the task "
                                         r"it creates, on its schedule\), which the hook does not declare in writes"):
        prepare(HookDeclaration(name="raw.t", creates=("DB.S.T",)))


def test_a_declaration_must_match_what_the_statements_create_both_ways(scratch_sql):
    (scratch_sql / "s").mkdir()
    (scratch_sql / "s" / "v.sql").write_text("CREATE OR REPLACE VIEW DB.S.V AS SELECT 1 AS X;\n")
    with pytest.raises(ValueError, match=r"declares it creates DB\.S\.W, but no statement does"):
        prepare(HookDeclaration(name="s.v", creates=("DB.S.V", "DB.S.W")))
    with pytest.raises(ValueError, match=r"statement 1 creates view DB\.S\.V, which the hook does not declare"):
        prepare(HookDeclaration(name="s.v"))


def test_a_declared_write_nothing_does_is_refused(scratch_sql):
    from ysg_hooks.manifest import Write

    (scratch_sql / "s").mkdir()
    (scratch_sql / "s" / "v.sql").write_text("CREATE OR REPLACE VIEW DB.S.V AS SELECT 1 AS X;\n")
    with pytest.raises(ValueError, match=r"declares it writes DB\.RAW\.T \(delete all\), but no statement does"):
        prepare(HookDeclaration(name="s.v", creates=("DB.S.V",),
                                writes=(Write("DB.RAW.T", ("delete all",), "clears the table each run"),)))


def _hook(name: str, *statements: str, creates=(), writes=()) -> RenderedHook:
    return RenderedHook(name, f"sql/{name.replace('.', '/')}.sql", (), False, "", tuple(statements),
                        creates=tuple(creates), writes=tuple(writes))


def test_no_declaration_can_let_a_hook_replace_a_terraform_table(stacks):
    """Declared as its own, CREATE OR REPLACE TABLE of the landing table passes the hook's own check; the
    stack check refuses it, naming the Terraform resource."""
    from ysg_hooks.effects import terraform_owned

    claim = _hook("stg.claim", f"CREATE OR REPLACE TABLE {RAW}.USAGE_METRICS (X INT)",
                  creates=(f"{RAW}.USAGE_METRICS",))
    problems = terraform_owned([claim], stacks["prod"])
    assert [p.split(" (snowflake_table.")[0] for p in problems] == [
        f"hook stg.claim (sql/stg/claim.sql) statement 1 {verb} table {RAW}.USAGE_METRICS, which Terraform owns"
        for verb in ("creates", "replaces")]


def test_a_declared_delete_of_every_row_of_a_terraform_table_is_refused(stacks):
    from ysg_hooks.effects import terraform_owned
    from ysg_hooks.manifest import Write

    wipe = _hook("stg.wipe", f"DELETE FROM {RAW}.COST_ALLOCATIONS",
                 writes=(Write(f"{RAW}.COST_ALLOCATIONS", ("delete all",), "start every month afresh"),))
    keep = _hook("knowledge.kb", f"DELETE FROM {DB}.SFE_SHARED_KNOWLEDGE.BILLING_KB WHERE doc_id = 7")
    problems = terraform_owned([wipe, keep], stacks["prod"])
    assert [p.split(",")[0] for p in problems] == [
        f"hook stg.wipe (sql/stg/wipe.sql) statement 1 deletes every row of table {RAW}.COST_ALLOCATIONS"]


def test_synthesis_refuses_a_hook_claiming_a_terraform_table_and_writes_nothing(configs, sql_copy, monkeypatch,
                                                                                   tmp_path):
    from ysg_core.errors import HookDeclarationError
    from ysg_stacks import app, data_hooks

    (sql_copy / "stg" / "claim.sql").write_text(
        "CREATE OR REPLACE TABLE {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS (X INT);\n")
    real = data_hooks.declarations

    def with_claim(config, inputs):
        return real(config, inputs) + [HookDeclaration(
            name="stg.claim", params={"database": config.database.name},
            creates=(f"{config.database.name}.SFE_RAW_BILLING.USAGE_METRICS",))]

    monkeypatch.setattr(data_hooks, "declarations", with_claim)
    outdir = tmp_path / "out" / "cdktf.out"
    with pytest.raises(HookDeclarationError, match=r"billing-prod: hook stg\.claim \(sql/stg/claim\.sql\) statement 1 "
                                                   r"creates table SNOWFLAKE_EXAMPLE\.SFE_RAW_BILLING\.USAGE_METRICS, "
                                                   r"which Terraform owns"):
        app.synthesize(outdir)
    assert not outdir.exists()


def test_the_scan_judges_a_hand_edited_manifest_again(synthesized, tmp_path):
    """A stack folder whose hooks.json was edited (statement appended, checksum recomputed): the scan's hook
    check finds what synthesis would have refused."""
    from ysg import scan
    from ysg_hooks.effects import terraform_objects

    stack = shutil.copytree(synthesized["prod"], tmp_path / "billing-prod")
    data = json.loads((stack / "hooks.json").read_text())
    hook = next(h for h in data["hooks"] if h["name"] == "stg.v_usage_enriched")
    hook["statements"].append(f"TRUNCATE TABLE {RAW}.USAGE_METRICS")
    hook["checksum"] = checksum(hook["statements"], hook["role"])
    (stack / "hooks.json").write_text(json.dumps(data))
    assert scan.hook_findings(stack) == [
        f"billing-prod: hook stg.v_usage_enriched (sql/stg/v_usage_enriched.sql) statement 2 truncates table "
        f"{RAW}.USAGE_METRICS, which this hook does not create: a hook may drop, truncate, overwrite, replace, "
        "rename or alter only its own objects",
        f"billing-prod: hook stg.v_usage_enriched (sql/stg/v_usage_enriched.sql) statement 2 truncates table "
        f"{RAW}.USAGE_METRICS, which Terraform owns ({terraform_objects(stacks_doc(stack))[f'{RAW}.USAGE_METRICS']}): no hook may "
        "truncate it"]
    assert scan.hook_findings(synthesized["prod"]) == []


def stacks_doc(stack) -> dict:
    return json.loads((stack / "cdk.tf.json").read_text())

