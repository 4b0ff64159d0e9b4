"""The embedded local environment: a fakesnow (DuckDB) emulator persisted under .local/emulator/,
and the part of a synthesized stack it can hold (database, schemas, landing tables, internal
stages, file formats), created idempotently from the stack's cdk.tf.json.

Statements are built from the stack's values through `ysg_core.render` (typed placeholders) or,
for column lists, as sqlglot syntax trees from validated names and types: never by formatting.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ysg_core import naming
from ysg_core.contract import Column, create_table_sql
from ysg_core.ledger_schema import LEDGER_SCHEMA
from ysg_core.paths import EMULATOR_DIR
from ysg_core.render import render

APPLICABLE = ("snowflake_database", "snowflake_schema", "snowflake_table", "snowflake_stage",
              "snowflake_file_format")
_REFERENCE = re.compile(r"^\$\{(?P<type>[a-z0-9_]+)\.(?P<id>[A-Za-z0-9_-]+)\.(?P<attr>[a-z_]+)\}$")

_DATABASE = "CREATE DATABASE IF NOT EXISTS {{ identifier:database }}"
_SCHEMA = "CREATE SCHEMA IF NOT EXISTS {{ identifier:database }}.{{ identifier:schema }}"
_STAGE = "CREATE STAGE IF NOT EXISTS {{ identifier:database }}.{{ identifier:schema }}.{{ identifier:name }}"
_CSV_FORMAT = ("CREATE FILE FORMAT IF NOT EXISTS {{ identifier:database }}.{{ identifier:schema }}."
               "{{ identifier:name }} TYPE = CSV SKIP_HEADER = {{ number:skip_header }} "
               "FIELD_OPTIONALLY_ENCLOSED_BY = {{ literal:enclosed_by }}")
_JSON_FORMAT = ("CREATE FILE FORMAT IF NOT EXISTS {{ identifier:database }}.{{ identifier:schema }}."
                "{{ identifier:name }} TYPE = JSON")
# What already exists, asked the same way on Snowflake and on the emulator (whose IF NOT EXISTS
# always answers "successfully created"). LIKE narrows; the name column is then compared exactly.
_SHOW = {
    "database": "SHOW DATABASES LIKE {{ literal:name }}",
    "schema": "SHOW SCHEMAS LIKE {{ literal:name }} IN DATABASE {{ identifier:database }}",
    "table": "SHOW TABLES LIKE {{ literal:name }} IN SCHEMA {{ identifier:database }}.{{ identifier:schema }}",
    "stage": "SHOW STAGES LIKE {{ literal:name }} IN SCHEMA {{ identifier:database }}.{{ identifier:schema }}",
    "file format": ("SHOW FILE FORMATS LIKE {{ literal:name }} IN SCHEMA "
                    "{{ identifier:database }}.{{ identifier:schema }}"),
}


class EmulatorError(ValueError):
    """The stack holds something the emulator subset cannot express; names the resource."""


# fakesnow 0.12.1 creates an identity column's sequence in the session's current schema and names it
# unqualified in the column default, so an insert resolves it only from that schema. Every emulator
# session therefore searches the environment's schemas (DuckDB's search_path), and tables are created
# with their own schema current (see apply_stack_subset).
_SEARCH_PATH = "SET search_path = {{ literal:path }}"
_USE_SCHEMA = "USE SCHEMA {{ identifier:database }}.{{ identifier:schema }}"
EMULATOR_SCHEMAS = ("PUBLIC",) + naming.SCHEMAS + (LEDGER_SCHEMA,)


@contextmanager
def open_emulator(db_path: Path, database: str) -> Iterator:
    """Within the block, a zero-argument callable that opens a connector connection to the fakesnow
    emulator persisted in `db_path`, on `database`, with PUBLIC as its current schema (as every
    Snowflake session has one: fakesnow needs it to run a MERGE).

    While the block is open, `snowflake.connector.connect` is fakesnow's: code written for the
    connector runs unchanged. The database is created on connect if it does not exist yet.
    """
    import fakesnow
    import snowflake.connector

    naming.identifier(database, what="emulator database")
    db_path = Path(db_path)
    db_path.mkdir(parents=True, exist_ok=True)
    with fakesnow.patch(db_path=str(db_path), create_database_on_connect=True):
        connect_fn = snowflake.connector.connect   # the patched one, bound now
        # fakesnow's connect looks for the database, then attaches its file: two threads opening the
        # first connections at once (the hook runner does) would both attach it, and DuckDB refuses the
        # second. Opening is local and quick here, so connections are opened one at a time.
        opening = threading.Lock()

        def connect(**session):
            # `session` (role, warehouse) is what Snowflake would pin; the emulator has no roles or
            # warehouses, so it is accepted and ignored, as fakesnow's own connect does.
            with opening:
                connection = connect_fn(database=database, schema="PUBLIC")
                refresh_search_path(connection, database)
            return connection

        yield connect


def refresh_search_path(connection, database: str) -> None:
    """Let unqualified identity sequences resolve from every existing schema of the environment.

    DuckDB's own setting, set on the connection below fakesnow's Snowflake dialect; DuckDB refuses
    schemas that do not exist yet, so it is refreshed after the subset creates them."""
    duck = connection._duck_conn
    existing = {row[0] for row in duck.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ?", [database]).fetchall()}
    path = ",".join(f"{database}.{s}" for s in EMULATOR_SCHEMAS if s in existing)
    if path:
        (statement,) = render(_SEARCH_PATH, {"path": path}, source="emulator search path")
        duck.execute(statement)


def without_file_access(connect):
    """`connect`, with each connection's DuckDB barred from the host's files: what stands in on the
    emulator for Snowflake's read-only role, since fakesnow has no roles and DuckDB reads any file a
    query names (`read_csv('/etc/passwd')`, `FROM 'file.csv'`). DuckDB's `enable_external_access`,
    once false, cannot be set back by the session; the database already attached stays usable. It holds
    for the whole DuckDB instance of the `open_emulator` block, so only a block of its own may use it
    (`ysg query` is a process of its own)."""
    def connect_without_files(**session):
        connection = connect(**session)
        connection._duck_conn.execute("SET enable_external_access = false")
        return connection

    return connect_without_files


@contextmanager
def emulator_connection(db_path: Path = EMULATOR_DIR, database: str = "SNOWFLAKE_EXAMPLE_LOCAL"
                        ) -> Iterator["snowflake.connector.SnowflakeConnection"]:  # noqa: F821
    """One connection of `open_emulator`, closed at the end of the block."""
    with open_emulator(db_path, database) as connect:
        connection = connect()
        try:
            yield connection
        finally:
            connection.close()


def subset_statements(stack_json: dict) -> tuple[list[tuple[str, str]], list[str]]:
    """(what, statement) pairs the emulator can hold, in creation order; and what it cannot hold."""
    resources = stack_json.get("resource", {})

    def value(rtype: str, rid: str, attr: str):
        raw = resources[rtype][rid][attr]
        match = _REFERENCE.match(raw) if isinstance(raw, str) else None
        return value(match["type"], match["id"], match["attr"]) if match else raw

    planned: list[tuple[str, str]] = []
    for rid, res in resources.get("snowflake_database", {}).items():
        planned.append((f"database {res['name']}", _one(_DATABASE, {"database": res["name"]}, rid)))
    for rid in resources.get("snowflake_schema", {}):
        db, schema = value("snowflake_schema", rid, "database"), value("snowflake_schema", rid, "name")
        planned.append((f"schema {db}.{schema}", _one(_SCHEMA, {"database": db, "schema": schema}, rid)))
    for rid, res in resources.get("snowflake_file_format", {}).items():
        params = {"database": value("snowflake_file_format", rid, "database"),
                  "schema": value("snowflake_file_format", rid, "schema"), "name": res["name"]}
        if res["format_type"] == "CSV":
            template = _CSV_FORMAT
            params.update(skip_header=int(res.get("skip_header", 0)),
                          enclosed_by=res.get("field_optionally_enclosed_by", '"'))
        elif res["format_type"] == "JSON":
            template = _JSON_FORMAT
        else:
            raise EmulatorError(f"file format {rid}: format_type {res['format_type']!r} is not CSV or JSON")
        planned.append((f"file format {params['database']}.{params['schema']}.{res['name']}",
                        _one(template, params, rid)))
    not_applicable: list[str] = []
    for rid, res in resources.get("snowflake_stage", {}).items():
        if res.get("url") or res.get("storage_integration"):
            not_applicable.append(f"snowflake_stage.{rid} (external stage: needs cloud storage)")
            continue
        params = {"database": value("snowflake_stage", rid, "database"),
                  "schema": value("snowflake_stage", rid, "schema"), "name": res["name"]}
        planned.append((f"stage {params['database']}.{params['schema']}.{res['name']}", _one(_STAGE, params, rid)))
    for rid, res in resources.get("snowflake_table", {}).items():
        db, schema = value("snowflake_table", rid, "database"), value("snowflake_table", rid, "schema")
        planned.append((f"table {db}.{schema}.{res['name']}", _table(rid, db, schema, res)))
    for rtype, items in sorted(resources.items()):
        if rtype not in APPLICABLE:
            not_applicable.extend(f"{rtype}.{rid}" for rid in items)
    return planned, not_applicable


def apply_stack_subset(connection, stack_json: dict) -> list[str]:
    """Create, idempotently, what the emulator can hold of a synthesized stack; return what it created.

    Each entry is "<kind> <qualified name>" (e.g. "stage SNOWFLAKE_EXAMPLE_LOCAL.SFE_RAW_BILLING.RAW"),
    listed only if the object did not exist before the call; every statement is IF NOT EXISTS.
    fakesnow 0.12.1 persists databases, schemas and tables in its files but keeps stages and file
    formats in the session, so those two are created again by each new emulator session.
    Everything else in the stack (roles, grants, warehouse, integrations, users, pipes, policies,
    external stages) is reported by `subset_statements(...)[1]` as not applicable to the emulator.
    """
    planned, _ = subset_statements(stack_json)
    created = []
    cursor = connection.cursor()
    try:
        for what, statement in planned:
            existed = _exists(cursor, what)
            if what.startswith("table "):   # its identity sequence is created in the current schema
                database, schema, _ = what.split(" ", 1)[1].split(".")
                cursor.execute(_one(_USE_SCHEMA, {"database": database, "schema": schema}, what))
            cursor.execute(statement)
            if not existed:
                created.append(what)
    finally:
        cursor.close()
    if hasattr(connection, "_duck_conn"):   # the emulator: the new schemas join the search path
        refresh_search_path(connection, connection.database)
    return created


def _exists(cursor, what: str) -> bool:
    kind, qualified_name = what.rsplit(" ", 1)
    *scope, name = qualified_name.split(".")
    params = {"name": name, **dict(zip(("database", "schema"), scope))}
    (show,) = render(_SHOW[kind], params, source=f"emulator existence check for {what}")
    cursor.execute(show)
    names = [d[0].lower() for d in cursor.description]
    return any(row[names.index("name")] == name for row in cursor.fetchall())


def _one(template: str, params: dict, rid: str) -> str:
    (statement,) = render(template, params, source=f"emulator subset for {rid}")
    return statement


def _table(rid: str, database: str, schema: str, res: dict) -> str:
    columns = []
    for column in res.get("column", []):
        identity = column.get("identity")
        if identity and (int(identity.get("start_num", 1)), int(identity.get("step_num", 1))) != (1, 1):
            raise EmulatorError(f"snowflake_table.{rid}: column {column['name']} identity other than "
                                "START 1 INCREMENT 1 is not one the emulator subset knows")
        columns.append(Column(name=column["name"], type=column["type"], nullable=column.get("nullable") is not False,
                              identity=bool(identity),
                              default_expression=(column.get("default") or {}).get("expression")))
    try:
        return create_table_sql(database, schema, res["name"], columns, where=f"snowflake_table.{rid}")
    except ValueError as exc:
        raise EmulatorError(str(exc)) from exc
