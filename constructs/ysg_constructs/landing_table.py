"""A landing table whose columns are the data contract's."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.role import FunctionalRole
from ysg_constructs.schema import BillingSchema
from ysg_core.contract import Column, check_column
from ysg_core.naming import identifier

# What grant() may give on one table: data, never its definition.
TABLE_PRIVILEGES = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"})


@dataclass(frozen=True)
class LandingTableProps:
    name: str
    columns: tuple[Column, ...]
    comment: str
    # Defaults to change tracking on, so streams and dynamic tables can read changes incrementally.
    change_tracking: bool = True


class LandingTable(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, props: LandingTableProps):
        super().__init__(scope, id)
        identifier(props.name, what="table name")
        if not props.columns:
            raise ValueError(f"table {props.name}: at least one column is required")
        seen = set()
        columns = []
        for column in props.columns:
            check_column(column, where=f"table {props.name}")
            if column.name in seen:
                raise ValueError(f"table {props.name}: column {column.name} is given twice")
            seen.add(column.name)
            columns.append(b.TableColumn(
                name=column.name, type=column.type, nullable=column.nullable and not column.identity,
                identity=b.TableColumnIdentity(start_num=1, step_num=1) if column.identity else None,
                default=b.TableColumnDefault(expression=column.default_expression)
                if column.default_expression else None))
        self._table = b.Table(self, "table", database=schema.database_reference,
                              schema=schema.schema_name_reference, name=props.name, column=columns,
                              depends_on=schema.future_grants,
                              change_tracking=props.change_tracking, comment=props.comment)
        self._name = props.name
        self._columns = tuple(c.name for c in props.columns)

    def grant(self, role: FunctionalRole, *privileges: str) -> None:
        """Exactly `privileges` on this one table to `role`, for a role that needs one table of a schema,
        not the schema's WRITE role (which covers every table in it)."""
        refused = sorted(set(privileges) - TABLE_PRIVILEGES)
        if refused or not privileges:
            raise ValueError(f"table {self._name}: {refused or 'no privileges'} cannot be granted; expected "
                             f"some of {sorted(TABLE_PRIVILEGES)}")
        b.GrantPrivilegesToAccountRole(
            self, f"grant-{role.key}", account_role_name=role.role_reference, privileges=sorted(privileges),
            on_schema_object=b.GrantPrivilegesToAccountRoleOnSchemaObject(
                object_type="TABLE", object_name=self._table.fully_qualified_name))

    @property
    def table_name(self) -> str:
        return self._name

    @property
    def column_names(self) -> tuple[str, ...]:
        return self._columns

    @property
    def table_resource(self) -> b.Table:
        return self._table
