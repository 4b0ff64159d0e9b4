"""core/ysg_core/sqlcheck.py: every statement parses with sqlglot or matches a documented grammar."""
import pytest

from ysg_core.sqlcheck import GRAMMAR, SQLGLOT, SqlCheckError, check_statement, match_grammar

SEARCH = """CREATE OR REPLACE CORTEX SEARCH SERVICE DB.K.S
  ON doc_body ATTRIBUTES doc_type, region_code
  WAREHOUSE = WH TARGET_LAG = '1 hour' EMBEDDING_MODEL = 'snowflake-arctic-embed-m-v1.5'
AS (SELECT doc_body, doc_type, region_code FROM DB.K.KB)"""

AGENT = """CREATE OR REPLACE AGENT A.B.C FROM SPECIFICATION $$
tools:
  - tool_spec: {type: cortex_search, name: policies}
tool_resources:
  policies: {name: DB.K.S}
$$"""


def test_plain_sql_is_checked_by_sqlglot():
    check = check_statement("CREATE OR REPLACE VIEW DB.S.V AS SELECT 1 AS x")
    assert (check.level, check.grammar) == (SQLGLOT, "Create")


def test_snowflake_only_heads_get_their_documented_grammar():
    assert check_statement(SEARCH).grammar == "CREATE CORTEX SEARCH SERVICE"
    assert check_statement(AGENT).level == GRAMMAR


def test_the_search_query_must_select_the_indexed_and_attribute_columns():
    with pytest.raises(SqlCheckError, match="region_code not selected"):
        check_statement(SEARCH.replace("doc_type, region_code FROM", "doc_type FROM"))


def test_an_agent_tool_without_its_resource_is_refused():
    with pytest.raises(SqlCheckError, match="tool policies has no tool_resources entry"):
        check_statement(AGENT.replace("policies: {name: DB.K.S}", "other: {name: DB.K.S}"))


def test_embedded_yaml_must_parse():
    with pytest.raises(SqlCheckError, match="not valid YAML"):
        check_statement(AGENT.replace("tools:", "tools: [unclosed"))


def test_verified_queries_of_a_semantic_model_must_parse():
    call = ("CALL SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML('DB.S', $$\nname: SV\ntables:\n"
            "  - name: t\n    base_table: {database: DB, schema: S, table: T}\n"
            "verified_queries:\n  - name: q\n    sql: SELECT FROM WHERE\n$$)")
    with pytest.raises(SqlCheckError, match="verified query 'q' does not parse"):
        check_statement(call)


def test_unbalanced_quoting_is_refused():
    with pytest.raises(SqlCheckError, match="unclosed"):
        check_statement("CREATE OR REPLACE AGENT A.B.C FROM SPECIFICATION $$ tools: []")


def test_a_statement_with_no_grammar_is_refused():
    with pytest.raises(SqlCheckError, match="matches no documented grammar"):
        check_statement("CREATE NOTEBOOK DB.S.N FROM '@stage/n.ipynb'")


def test_the_bootstrap_s_role_statements_get_their_documented_grammar_and_its_parts():
    assert check_statement("CREATE ROLE IF NOT EXISTS R COMMENT = 'it''s R'").grammar == "CREATE ROLE"
    grammar, match = match_grammar("GRANT ROLE CHILD TO ROLE PARENT")
    assert (grammar.name, match["name"], match["grantee_kind"], match["role"]) == ("GRANT ROLE", "CHILD", "ROLE",
                                                                                   "PARENT")
    with pytest.raises(SqlCheckError, match="matches no documented grammar"):
        check_statement("GRANT ROLE CHILD TO SHARE S")
