"""A pipe that Snowpipe Streaming (high-performance architecture) writes a landing table through,
naming the columns it loads so that IDENTITY and DEFAULT columns get their own values."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.landing_table import LandingTable
from ysg_constructs.role import FunctionalRole
from ysg_constructs.schema import BillingSchema
from ysg_core.contract import Column, check_column
from ysg_core.naming import identifier
from ysg_core.render import render

# A streaming source, per https://docs.snowflake.com/en/sql-reference/sql/create-pipe ("A streaming
# source: COPY INTO mytable FROM (SELECT ... FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')))").
STREAMING_SOURCE = "TABLE(DATA_SOURCE(TYPE => 'STREAMING'))"
# What a role needs to stream into a table through a named pipe, granted to it directly:
# https://docs.snowflake.com/en/user-guide/snowpipe-streaming/snowpipe-streaming-access-control
# ("Table | INSERT ...", "Schema | USAGE", "Pipe | OPERATE is required only for named (custom) pipes";
# database USAGE comes from BillingDatabase.grant_usage).
STREAMING_PRIVILEGES = {"SCHEMA": ("USAGE",), "TABLE": ("INSERT",), "PIPE": ("OPERATE",)}


@dataclass(frozen=True)
class StreamingPipeProps:
    name: str
    # The table's columns (the data contract's). Every column without IDENTITY or DEFAULT is loaded
    # from the row's key of the same name in lower case; the others are left to the table.
    columns: tuple[Column, ...]
    comment: str = "Snowpipe Streaming rows into a landing table"


class StreamingPipe(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, table: LandingTable,
                 props: StreamingPipeProps):
        super().__init__(scope, id)
        identifier(props.name, what="pipe name")
        where = f"pipe {props.name}"
        names = tuple(check_column(c, where=where) for c in props.columns)
        if names != table.column_names:
            raise ValueError(f"{where}: columns {list(names)} are not table {table.table_name}'s "
                             f"{list(table.column_names)}")
        # The default pipe matches by column name and "explicitly inserts NULL values" into DEFAULT,
        # AUTOINCREMENT and IDENTITY columns (docs.snowflake.com/en/user-guide/snowpipe-streaming/
        # snowpipe-streaming-high-performance-limitations); a column list that leaves them out lets
        # the table fill them ("Ingest into tables with ... DEFAULT value columns, and AUTOINCREMENT
        # (or IDENTITY) columns", .../snowpipe-streaming/snowpipe-streaming-pipe-object).
        loaded = [c for c in props.columns if not c.identity and not c.default_expression]
        if not loaded:
            raise ValueError(f"{where}: table {table.table_name} has no column a row could fill")
        # Types come from the contract, checked by check_column; keys and names go through the renderer.
        select = ", ".join(f"$1[{{{{ literal:key_{i} }}}}]::{c.type}" for i, c in enumerate(loaded))
        template = (f"COPY INTO {{{{ qualified:table }}}} ({{{{ identifiers:columns }}}}) "
                    f"FROM (SELECT {select} FROM {STREAMING_SOURCE})")
        params = {"table": schema.qualify(table.table_name), "columns": [c.name for c in loaded],
                  **{f"key_{i}": c.name.lower() for i, c in enumerate(loaded)}}
        (copy,) = render(template, params, source=where)
        self._pipe = b.Pipe(
            self, "pipe", database=schema.database_reference, schema=schema.schema_name_reference,
            name=props.name, copy_statement=copy,
            depends_on=[table.table_resource, *schema.future_grants], comment=props.comment)
        self._schema = schema
        self._table = table
        self._name = props.name
        self._loaded = tuple(c.name for c in loaded)

    @property
    def pipe_name(self) -> str:
        return self._name

    @property
    def loaded_columns(self) -> tuple[str, ...]:
        """The columns rows fill; the table fills the others (IDENTITY, DEFAULT)."""
        return self._loaded

    def grant_streaming(self, role: FunctionalRole) -> None:
        """USAGE on the schema, INSERT on the table and OPERATE on this pipe, granted to `role` itself:
        the Kafka connector's documentation says "any privileges must be granted directly to the role
        used by the connector. Grants cannot be inherited from role hierarchy."
        (docs.snowflake.com/en/connectors/kafkahp/setup-snowflake)."""
        def grant(kind: str, **on) -> None:
            b.GrantPrivilegesToAccountRole(self, f"{kind.lower()}-{role.key}", account_role_name=role.role_reference,
                                           privileges=list(STREAMING_PRIVILEGES[kind]), **on)

        grant("SCHEMA", on_schema=b.GrantPrivilegesToAccountRoleOnSchema(schema_name=self._schema.schema_reference))
        for kind, target in (("TABLE", self._table.table_resource.fully_qualified_name),
                             ("PIPE", self._pipe.fully_qualified_name)):
            grant(kind, on_schema_object=b.GrantPrivilegesToAccountRoleOnSchemaObject(object_type=kind,
                                                                                      object_name=target))
