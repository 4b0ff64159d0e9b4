"""`ysg query`'s two guards: an allow-list of one read-only statement (the first check, refused before
connecting), and the barrier itself, a session that cannot write: the environment's read-only analyst
role and warehouse, pinned as connection parameters, no secondary roles, in a transaction rolled back.

sqlglot is imported where a query is checked, not on import: every `ysg` command imports this module.
"""
from __future__ import annotations

from dataclasses import dataclass

from ysg_core.errors import UserError

READ_ONLY_KINDS = "SELECT, WITH ... SELECT, SHOW or DESCRIBE"
# SYSTEM$ functions change account state (SYSTEM$CANCEL_ALL_QUERIES, SYSTEM$SET_..., SYSTEM$ABORT_...);
# only these answer questions and nothing else.
SYSTEM_FUNCTIONS_ALLOWED = frozenset({"SYSTEM$TYPEOF", "SYSTEM$CLUSTERING_INFORMATION", "SYSTEM$CLUSTERING_DEPTH"})
# Table functions (FROM TABLE(...), LATERAL ...) that compute rows from their arguments; any other reads
# from somewhere (files, stages, another session's results) and is refused.
TABLE_FUNCTIONS_ALLOWED = frozenset({"FLATTEN", "GENERATOR", "SPLIT_TO_TABLE", "STRTOK_SPLIT_TO_TABLE"})


class QueryRefused(UserError, ValueError):
    """The query is not one read-only statement."""


def check_read_only(sql: str) -> str:
    """Return `sql` if it is exactly one read-only statement of the allowed shapes, else QueryRefused.

    Refused besides anything that is not a SELECT, WITH ... SELECT, SHOW or DESCRIBE: Snowflake's pipe
    operator `->>`, which runs any statement after the first ("You can specify any valid SQL statement,
    such as SHOW, SELECT, CREATE, INSERT", https://docs.snowflake.com/en/sql-reference/operators-flow);
    a write, a lock or an INTO anywhere in the tree; sequences (`NEXTVAL`, `seq.NEXTVAL`, NEXT VALUE
    FOR), whose values are consumed even when the transaction rolls back; SYSTEM$ functions but a few
    that only answer; and any FROM that is not a table, a view, a subquery, VALUES or an allowed table
    function: a stage (`@stage`), a pipe number (`$1`), a string (DuckDB reads it as a file on the
    emulator), read_csv and the like.
    """
    import sqlglot
    from sqlglot import exp
    from sqlglot.dialects.snowflake import Snowflake
    from sqlglot.errors import ParseError, TokenError
    from sqlglot.tokens import TokenType

    from ysg_core.sqlcheck import quiet_sqlglot   # lazy with sqlglot above: `ysg`'s parser imports this module

    try:
        tokens = Snowflake().tokenize(sql)
    except TokenError as exc:
        raise QueryRefused(f"the query does not tokenize as Snowflake SQL: {_first_line(exc)}") from None
    for token in tokens:
        if token.token_type in (TokenType.DARROW, TokenType.PIPE_GT):
            raise QueryRefused(f"{token.text} is a pipe operator: it runs another statement on this one's "
                               "result; one statement only")
    with quiet_sqlglot():
        try:
            statements = [s for s in sqlglot.parse(sql, read="snowflake") if s is not None]
        except (ParseError, TokenError) as exc:
            raise QueryRefused(f"the query does not parse as Snowflake SQL: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise QueryRefused(f"expected exactly one statement, got {len(statements)}")
    (tree,) = statements
    if isinstance(tree, exp.Command):
        if tree.name.upper() not in ("SHOW", "DESCRIBE", "DESC"):
            raise QueryRefused(f"only {READ_ONLY_KINDS} is allowed, got {tree.name.upper()}")
        return sql
    if isinstance(tree, (exp.Show, exp.Describe)):
        return sql
    if not isinstance(tree, exp.Query):
        raise QueryRefused(f"only {READ_ONLY_KINDS} is allowed, got {tree.key.upper()}")
    for node in tree.walk():
        _refuse_node(node, exp)
    return sql


def _refuse_node(node, exp) -> None:
    writes = (exp.DML, exp.Merge, exp.Create, exp.Drop, exp.Alter, exp.Command, exp.TruncateTable, exp.Copy)
    if isinstance(node, writes):
        raise QueryRefused(f"the query contains a {node.key.upper()}; only {READ_ONLY_KINDS} is allowed")
    if isinstance(node, exp.Into):
        raise QueryRefused("SELECT ... INTO writes a table; only reads are allowed")
    if isinstance(node, exp.Lock):
        raise QueryRefused("a locking read (FOR UPDATE/SHARE) is refused; only plain reads are allowed")
    if isinstance(node, exp.NextValueFor) or (isinstance(node, (exp.Column, exp.Identifier))
                                              and node.name.upper() == "NEXTVAL"):
        raise QueryRefused("sequences are refused: NEXTVAL consumes a value even when the transaction rolls back")
    if isinstance(node, (exp.ReadCSV, exp.ReadParquet)):
        raise QueryRefused(f"{node.sql_name()} reads files; only tables and views are read")
    if isinstance(node, exp.Func):
        name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).upper()
        if name == "NEXTVAL":
            raise QueryRefused("sequences are refused: NEXTVAL consumes a value even when the transaction "
                               "rolls back")
        if name.startswith("SYSTEM$") and name not in SYSTEM_FUNCTIONS_ALLOWED:
            raise QueryRefused(f"{name} is refused: SYSTEM$ functions can change account state (allowed: "
                               f"{', '.join(sorted(SYSTEM_FUNCTIONS_ALLOWED))})")
    if isinstance(node, exp.Table) and not isinstance(node.this, exp.Identifier):
        raise QueryRefused(f"FROM {node.this.sql(dialect='snowflake')[:60]} is refused: only tables, views, "
                           "subqueries, VALUES and the table functions "
                           f"{', '.join(sorted(TABLE_FUNCTIONS_ALLOWED))} are read")
    if isinstance(node, (exp.TableFromRows, exp.Lateral)) and not isinstance(node.this, (exp.Subquery, exp.Query)):
        function = node.this
        name = (function.name if isinstance(function, exp.Anonymous) else "FLATTEN" if isinstance(function, exp.Explode)
                else function.sql_name() if isinstance(function, exp.Func) else "")
        if name.upper() not in TABLE_FUNCTIONS_ALLOWED:
            raise QueryRefused(f"table function {name or '?'} is refused (allowed: "
                               f"{', '.join(sorted(TABLE_FUNCTIONS_ALLOWED))})")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@dataclass(frozen=True)
class ReadOnlySession:
    """What `ysg query` pins on its connection: connector parameters, never `USE ROLE`, and the
    statements that must run before the query (none on the emulator, which has no roles)."""
    role: str | None
    warehouse: str | None
    # Secondary roles would add every other role of the user to the session: "Authorization to perform
    # any SQL action other than creating objects can be provided by secondary roles"
    # (https://docs.snowflake.com/sql-reference/sql/use-role), and a user's DEFAULT_SECONDARY_ROLES is
    # ('ALL') unless set (https://docs.snowflake.com/en/release-notes/bcr-bundles/2024_07/bcr-1692).
    # NONE: "The authorization for all SQL actions is provided via the primary role"
    # (https://docs.snowflake.com/en/sql-reference/sql/use-secondary-roles).
    setup: tuple[str, ...] = ("USE SECONDARY ROLES NONE",)

    def parameters(self) -> dict[str, str]:
        return {key: value for key, value in (("role", self.role), ("warehouse", self.warehouse)) if value}


def run_read_only(connect, sql: str, session: ReadOnlySession) -> tuple[list[str], list[tuple]]:
    """Run one checked query as `session`, inside a transaction that is always rolled back.

    `connect(role=..., warehouse=...)`: the connector's own `role` and `warehouse` parameters ("Role in
    use on Snowflake", "Warehouse to be used on Snowflake": snowflake-connector-python 4.8.1,
    src/snowflake/connector/connection.py, `SnowflakeConnection` docstring); they override a named
    connection's values (same file, `__config`: `kwargs = {**connections[connection_name], **kwargs}`)."""
    check_read_only(sql)
    conn = connect(**session.parameters())
    try:
        cursor = conn.cursor()
        for statement in session.setup:
            cursor.execute(statement)
        cursor.execute("BEGIN")
        try:
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
        finally:
            cursor.execute("ROLLBACK")
        return columns, rows
    finally:
        conn.close()
