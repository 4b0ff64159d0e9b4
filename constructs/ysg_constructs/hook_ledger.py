"""The hook runner's state: its schema, ledger and lock, with the columns of ysg_core.ledger_schema.

Terraform creates them in every environment, so the first apply of a deployed environment takes the
lock in one statement instead of creating its own tables first. The role that runs the hooks gets
exactly what the runner does with them: USAGE on the schema, SELECT, INSERT and UPDATE on both tables.
"""
from __future__ import annotations

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.database import BillingDatabase
from ysg_constructs.landing_table import LandingTable, LandingTableProps
from ysg_constructs.role import FunctionalRole
from ysg_constructs.schema import BillingSchema, BillingSchemaProps
from ysg_core import ledger_schema

RUNNER_TABLE_PRIVILEGES = ["INSERT", "SELECT", "UPDATE"]


class HookLedger(Construct):
    def __init__(self, scope: Construct, id: str, database: BillingDatabase):
        super().__init__(scope, id)
        # Managed access and the database's retention, as every schema; future grants on tables only.
        # No WRITE role: the runner gets exactly its table privileges (grant_runner), and nobody else
        # creates or changes anything here.
        self._schema = BillingSchema(self, "schema", database, BillingSchemaProps(
            name=ledger_schema.LEDGER_SCHEMA, comment=ledger_schema.SCHEMA_COMMENT, object_kinds=("TABLES",),
            write_role=False))
        # No stream or dynamic table reads them: change tracking off.
        self._tables = {name: LandingTable(self, f"table-{name.lower()}", self._schema, LandingTableProps(
            name=name, columns=columns, comment=comment, change_tracking=False))
            for name, (comment, columns) in ledger_schema.TABLES.items()}

    @property
    def schema(self) -> BillingSchema:
        return self._schema

    @property
    def tables(self) -> dict[str, LandingTable]:
        return dict(self._tables)

    def grant_runner(self, role: FunctionalRole) -> None:
        """What `role` needs to run hooks, and no more: granted on the tables themselves, since a
        WRITE database role would also create objects (the schema has none)."""
        b.GrantPrivilegesToAccountRole(
            self, f"usage-{role.key}", account_role_name=role.role_reference, privileges=["USAGE"],
            on_schema=b.GrantPrivilegesToAccountRoleOnSchema(schema_name=self._schema.schema_reference))
        for name, table in self._tables.items():
            b.GrantPrivilegesToAccountRole(
                self, f"{role.key}-{name.lower()}", account_role_name=role.role_reference,
                privileges=RUNNER_TABLE_PRIVILEGES,
                on_schema_object=b.GrantPrivilegesToAccountRoleOnSchemaObject(
                    object_type="TABLE", object_name=table.table_resource.fully_qualified_name))
