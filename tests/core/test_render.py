"""core/ysg_core/render.py: typed placeholders, validated and quoted by one function."""
import math

import pytest
import sqlglot
from sqlglot import exp

from ysg_core.render import RenderError, render

SOURCE = "sql/test/example.sql"


def test_renders_each_type_and_splits_statements():
    text = ("-- a comment; with a semicolon\n"
            "CREATE OR REPLACE VIEW {{ identifier:database }}.S.V AS SELECT {{ literal:label }} AS l, "
            "{{ number:factor }} AS f FROM {{ qualified:source }};\n"
            "SELECT 1;\n")
    statements = render(text, {"database": "DB_DEV", "label": "a;b", "factor": 1.4, "source": "DB_DEV.RAW.T"},
                        source=SOURCE)
    assert statements == ("CREATE OR REPLACE VIEW DB_DEV.S.V AS SELECT 'a;b' AS l, 1.4 AS f FROM DB_DEV.RAW.T",
                          "SELECT 1")


@pytest.mark.parametrize("value", ["SNOWFLAKE_EXAMPLE; DROP DATABASE X", "DB--", "db_lower", "A B", "X$$Y"])
def test_an_identifier_carrying_sql_is_refused(value):
    with pytest.raises(RenderError, match=r"sql/test/example\.sql:1: .*'database'"):
        render("SELECT * FROM {{ identifier:database }}.S.T", {"database": value}, source=SOURCE)


def test_a_qualified_name_carrying_sql_is_refused():
    with pytest.raises(RenderError, match="example.sql"):
        render("SELECT * FROM {{ qualified:t }}", {"t": "DB.S.T; DROP DATABASE DB"}, source=SOURCE)


def test_a_literal_carrying_sql_stays_one_string():
    hostile = "1 hour'; DROP DATABASE SNOWFLAKE_EXAMPLE; --\\"
    (statement,) = render("SELECT {{ literal:lag }} AS lag", {"lag": hostile}, source=SOURCE)
    tree = sqlglot.parse_one(statement, read="snowflake")
    assert [lit.this for lit in tree.find_all(exp.Literal)] == [hostile]


def test_a_literal_with_control_characters_is_refused():
    with pytest.raises(RenderError, match=r"example\.sql:1: literal 'x' contains control characters \(U\+000A\)"):
        render("SELECT {{ literal:x }}", {"x": "two\nlines"}, source=SOURCE)


@pytest.mark.parametrize("value", [math.inf, math.nan, True, "1.4"])
def test_a_number_must_be_finite_and_numeric(value):
    with pytest.raises(RenderError, match="not a finite number"):
        render("SELECT {{ number:n }}", {"n": value}, source=SOURCE)


def test_missing_unknown_type_and_unused_parameters_name_the_file():
    with pytest.raises(RenderError, match=r"example\.sql:2: parameter 'database' \(identifier\) is not given"):
        render("SELECT 1;\nSELECT * FROM {{ identifier:database }}.S.T", {}, source=SOURCE)
    with pytest.raises(RenderError, match=r"example\.sql:1: .* unknown type 'raw'"):
        render("SELECT {{ raw:x }}", {"x": "1"}, source=SOURCE)
    with pytest.raises(RenderError, match=r"example\.sql: parameters extra are given but not used"):
        render("SELECT 1", {"extra": "X"}, source=SOURCE)


def test_a_malformed_placeholder_is_refused_not_left_in_the_sql():
    with pytest.raises(RenderError, match="not a placeholder"):
        render("SELECT {{identifier:Database}}", {}, source=SOURCE)


def test_a_literal_inside_a_dollar_quoted_body_is_refused():
    with pytest.raises(RenderError, match=r"\$\$-quoted body"):
        render("CREATE AGENT A FROM SPECIFICATION $$\nname: {{ literal:n }}\n$$", {"n": "x"}, source=SOURCE)


def test_statements_split_only_at_semicolons_outside_strings_bodies_and_comments():
    from ysg_core.render import split_statements

    text = """-- header; not a statement
CREATE TABLE T (A VARCHAR DEFAULT 'x;y');
CREATE AGENT A FROM SPECIFICATION $$
instructions: "answer; briefly"
$$;
/* block; comment */ SELECT 1 -- trailing; comment
;"""
    assert list(split_statements(text)) == [
        "CREATE TABLE T (A VARCHAR DEFAULT 'x;y')",
        'CREATE AGENT A FROM SPECIFICATION $$\ninstructions: "answer; briefly"\n$$',
        "SELECT 1",
    ]


def test_a_literals_list_is_quoted_item_by_item():
    (statement,) = render("SELECT * FROM T WHERE U IN ({{ literals:urls }})",
                          {"urls": ["https://a/", "it's"]}, source="t.sql")
    assert statement == "SELECT * FROM T WHERE U IN ('https://a/', 'it''s')"


@pytest.mark.parametrize("value", ["https://a/", [], ["ok", "bad\x00"], [1]])
def test_a_literals_value_that_is_not_a_list_of_safe_strings_is_refused(value):
    with pytest.raises(RenderError):
        render("SELECT {{ literals:urls }}", {"urls": value}, source="t.sql")
