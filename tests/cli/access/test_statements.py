"""cli/ysg/access/statements.py: each kind of statement the hooks run, read into kind, target, reads and calls."""
from __future__ import annotations

import pytest

from ysg.access.requirements import load_requirements
from ysg.access.statements import analyze

CASES = [
    ("CREATE OR REPLACE VIEW D.S.V AS WITH c AS (SELECT a FROM D.S.T) SELECT * FROM c JOIN D.R.U ON TRUE",
     "CREATE VIEW", ("D", "S", "V"), [("D", "S", "T"), ("D", "R", "U")]),
    ("CREATE OR REPLACE DYNAMIC TABLE D.S.DT TARGET_LAG = '1 hour' WAREHOUSE = WH AS SELECT * FROM D.S.V",
     "CREATE DYNAMIC TABLE", ("D", "S", "DT"), [("D", "S", "V")]),
    ("CREATE TABLE IF NOT EXISTS D.S.T (a INT)", "CREATE TABLE", ("D", "S", "T"), []),
    ("MERGE INTO D.S.T t USING (SELECT * FROM D.S.SRC) s ON t.a = s.a WHEN MATCHED THEN UPDATE SET t.a = s.a "
     "WHEN NOT MATCHED THEN INSERT (a) VALUES (s.a)", "MERGE", ("D", "S", "T"), [("D", "S", "SRC")]),
    ("DELETE FROM D.S.T WHERE a NOT IN (SELECT a FROM D.S.KEEP)", "DELETE", ("D", "S", "T"), [("D", "S", "KEEP")]),
    ("INSERT OVERWRITE INTO D.S.T (a) SELECT D.S.M!PREDICT(INPUT_DATA => OBJECT_CONSTRUCT(f.*)) FROM D.S.F AS f",
     "INSERT", ("D", "S", "T"), [("D", "S", "F")]),
    ("PUT 'file://app/x.py' @D.S.STAGE/pages/ AUTO_COMPRESS = FALSE", "PUT", ("D", "S", "STAGE"), []),
    ("CREATE MASKING POLICY IF NOT EXISTS D.S.P AS (val VARCHAR) RETURNS VARCHAR -> '***'",
     "CREATE MASKING POLICY", ("D", "S", "P"), []),
    ("ALTER MASKING POLICY D.S.P SET BODY -> val", "ALTER MASKING POLICY", ("D", "S", "P"), []),
    ("ALTER TABLE D.R.T MODIFY COLUMN X SET MASKING POLICY D.S.P FORCE", "ALTER TABLE SET MASKING POLICY",
     ("D", "R", "T"), []),
    ("CREATE OR REPLACE SNOWFLAKE.ML.CLASSIFICATION D.S.M(INPUT_DATA => SYSTEM$REFERENCE('VIEW', 'D.S.TRAIN'), "
     "TARGET_COLNAME => 'L')", "CREATE SNOWFLAKE.ML.CLASSIFICATION", ("D", "S", "M"), [("D", "S", "TRAIN")]),
    ("CREATE DATABASE IF NOT EXISTS AGENTS_DB", "CREATE DATABASE", ("AGENTS_DB",), []),
    ("CREATE SCHEMA IF NOT EXISTS AGENTS_DB.AGENTS", "CREATE SCHEMA", ("AGENTS_DB", "AGENTS"), []),
    ("GRANT USAGE ON CORTEX SEARCH SERVICE D.S.SEARCH TO ROLE R", "GRANT PRIVILEGE", ("D", "S", "SEARCH"), []),
    ("GRANT SELECT ON SEMANTIC VIEW D.S.SV TO ROLE R", "GRANT PRIVILEGE", ("D", "S", "SV"), []),
    ("GRANT DATABASE ROLE SNOWFLAKE.CORTEX_USER TO ROLE R", "GRANT DATABASE ROLE", ("SNOWFLAKE", "CORTEX_USER"), []),
    ("CREATE TASK D.S.TASK WAREHOUSE = WH SCHEDULE = '60 MINUTE' AS MERGE INTO D.S.T USING D.S.U ON TRUE "
     "WHEN MATCHED THEN DELETE", "CREATE TASK", ("D", "S", "TASK"), []),
    ("ALTER TASK D.S.TASK RESUME", "ALTER TASK RESUME", ("D", "S", "TASK"), []),
    ("CREATE OR REPLACE ALERT D.S.AL WAREHOUSE = WH SCHEDULE = '1 MINUTE' IF (EXISTS (SELECT 1)) THEN SELECT 1",
     "CREATE ALERT", ("D", "S", "AL"), []),
    ("ALTER TABLE D.S.T ADD COLUMN IF NOT EXISTS x INT", "ALTER TABLE", ("D", "S", "T"), []),
]

# What the administrator's bootstrap.sql says (read, applied, never checked against requirements).
BOOTSTRAP_CASES = [
    ("GRANT OWNERSHIP ON WAREHOUSE W TO ROLE D COPY CURRENT GRANTS", "GRANT OWNERSHIP",
     (frozenset({"OWNERSHIP"}), "WAREHOUSE", ("W",), ("D",), False)),
    ("GRANT MONITOR, MODIFY ON RESOURCE MONITOR M TO ROLE D\n  WITH GRANT OPTION", "GRANT PRIVILEGE",
     (frozenset({"MONITOR", "MODIFY"}), "RESOURCE MONITOR", ("M",), ("D",), True)),
    ("GRANT CREATE SNOWFLAKE.ML.CLASSIFICATION ON SCHEMA D.S TO ROLE P", "GRANT PRIVILEGE",
     (frozenset({"CREATE SNOWFLAKE.ML.CLASSIFICATION"}), "SCHEMA", ("D", "S"), ("P",), False)),
]


@pytest.mark.parametrize("statement, kind, effect", BOOTSTRAP_CASES, ids=[c[0][:30] for c in BOOTSTRAP_CASES])
def test_the_bootstrap_s_grants_are_read_with_their_effect(statement, kind, effect):
    analysis = analyze(statement)
    g = analysis.grant
    assert (analysis.error, analysis.kind) == ("", kind)
    assert (g.privileges, g.on_kind, g.on_name, g.grantee, g.grant_option) == effect


@pytest.mark.parametrize("statement, kind", [
    ("CREATE RESOURCE MONITOR IF NOT EXISTS M WITH CREDIT_QUOTA = 5 TRIGGERS ON 100 PERCENT DO SUSPEND",
     "CREATE RESOURCE MONITOR"),
    ("CREATE USER IF NOT EXISTS U TYPE = SERVICE DEFAULT_ROLE = D DEFAULT_WAREHOUSE = W", "CREATE USER"),
    ("ALTER ACCOUNT SET RESOURCE_MONITOR = M", "ALTER SET RESOURCE_MONITOR"),
    ("ALTER WAREHOUSE W SET RESOURCE_MONITOR = M", "ALTER SET RESOURCE_MONITOR"),
])
def test_the_bootstrap_s_account_statements_are_read(statement, kind):
    assert (analyze(statement).error, analyze(statement).kind) == ("", kind)


@pytest.mark.parametrize("statement, kind, target, reads", CASES, ids=[c[1] + f" {i}" for i, c in enumerate(CASES)])
def test_a_statement_is_read_into_its_kind_target_and_reads(statement, kind, target, reads):
    analysis = analyze(statement)
    assert (analysis.error, analysis.kind, analysis.target, sorted(analysis.reads)) == ("", kind, target, sorted(reads))


def test_every_kind_the_analyser_names_has_cited_requirements():
    statements = load_requirements().statements
    assert {kind for _, kind, _, _ in CASES} <= set(statements)


def test_the_details_each_requirement_needs_are_read():
    assert analyze(CASES[1][0]).warehouse == "WH"
    assert analyze(CASES[5][0]).calls == [("D", "S", "M")]
    assert analyze(CASES[9][0]).policy == ("D", "S", "P")
    assert {"inserts", "updates"} == analyze(CASES[3][0]).conditions
    grant = analyze("GRANT USAGE, CREATE AGENT ON SCHEMA A.B TO ROLE R").grant
    assert (grant.privileges, grant.on_kind, grant.on_name, grant.grantee) == (
        frozenset({"USAGE", "CREATE AGENT"}), "SCHEMA", ("A", "B"), ("R",))


def test_an_agent_names_its_tools_and_a_semantic_view_its_base_tables():
    agent = analyze("CREATE OR REPLACE AGENT A.B.AG FROM SPECIFICATION $$\ntools:\n  - tool_spec:\n"
                    "      type: cortex_search\n      name: s\n  - tool_spec:\n      type: cortex_analyst_text_to_sql\n"
                    "      name: a\ntool_resources:\n  s:\n    name: D.S.SEARCH\n  a:\n    semantic_view: D.S.SV\n$$")
    assert (agent.tools_search, agent.tools_semantic_view) == ([("D", "S", "SEARCH")], [("D", "S", "SV")])
    semantic = analyze("CALL SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML('D.S', $$\nname: SV\ntables:\n  - name: t\n"
                       "    base_table:\n      database: D\n      schema: S\n      table: DT\n$$)")
    assert (semantic.kind, semantic.target, semantic.reads) == ("CREATE SEMANTIC VIEW", ("D", "S", "SV"),
                                                                [("D", "S", "DT")])


def test_a_statement_no_requirement_covers_is_reported_not_guessed():
    assert analyze("ALTER WAREHOUSE WH SUSPEND").kind == ""
    assert analyze("ALTER WAREHOUSE WH SUSPEND").error
