"""The keywords Snowflake reserves or limits, which configuration refuses as names (core/ysg_core/config.py): a
database named SELECT passes the identifier pattern and then breaks every statement that names it.

Every keyword of the table in "Reserved & limited keywords"
(https://docs.snowflake.com/en/sql-reference/reserved-keywords): "The following table provides the list of
reserved keywords in Snowflake and keywords that are not strictly reserved, but have usage limitations".
The limited ones are refused too: a configured name appears in SHOW ... IN, FROM lists and scalar
expressions (hooks, the app, people's queries), where the page says each of them fails.
"""
from __future__ import annotations

RESERVED_KEYWORDS = frozenset("""
    ACCOUNT ALL ALTER AND ANY AS
    BETWEEN BY
    CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
    CURRENT_TIMESTAMP CURRENT_USER
    DATABASE DELETE DISTINCT DROP
    ELSE EXISTS
    FALSE FOLLOWING FOR FROM FULL
    GRANT GROUP GSCLUSTER
    HAVING
    ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE
    JOIN
    LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP
    MINUS
    NATURAL NOT NULL
    OF ON OR ORDER ORGANIZATION
    QUALIFY
    REGEXP REVOKE RIGHT RLIKE ROW ROWS
    SAMPLE SCHEMA SELECT SET SOME START
    TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST
    UNION UNIQUE UPDATE USING
    VALUES VIEW
    WHEN WHENEVER WHERE WINDOW WITH
""".split())


def is_reserved(name: str) -> bool:
    """Whether an unquoted name is one of those keywords (Snowflake upper-cases unquoted names)."""
    return name.upper() in RESERVED_KEYWORDS
