"""A managed-access schema with a read and a write database role, future grants included."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg.naming import identifier
from ysg_constructs import bindings as b
from ysg_constructs.database import BillingDatabase
from ysg_constructs.role import FunctionalRole

# What READ and WRITE mean, per kind of object in the schema. Future grants cover objects that
# hooks create after the apply (views, dynamic tables); "all" grants cover what exists already.
READ_PRIVILEGES = {"TABLES": ["SELECT"], "VIEWS": ["SELECT"], "DYNAMIC TABLES": ["SELECT"],
                   "STAGES": ["READ"], "FILE FORMATS": ["USAGE"]}
WRITE_PRIVILEGES = {"TABLES": ["INSERT", "UPDATE", "DELETE", "TRUNCATE"], "STAGES": ["WRITE"],
                    "PIPES": ["OPERATE", "MONITOR"]}
CREATE_PRIVILEGES = ["CREATE TABLE", "CREATE VIEW", "CREATE DYNAMIC TABLE", "CREATE STAGE",
                     "CREATE FILE FORMAT", "CREATE FUNCTION", "CREATE PROCEDURE", "CREATE TASK"]


@dataclass(frozen=True)
class BillingSchemaProps:
    name: str
    comment: str
    # Defaults to the database's retention.
    data_retention_days: int | None = None


class BillingSchema(Construct):
    def __init__(self, scope: Construct, id: str, database: BillingDatabase, props: BillingSchemaProps):
        super().__init__(scope, id)
        identifier(props.name, what="schema name")
        retention = database.data_retention_days if props.data_retention_days is None else props.data_retention_days
        if not 0 <= retention <= 90:
            raise ValueError(f"schema {props.name}: data_retention_days must be 0 to 90, got {retention}")
        self._database = database
        self._name = props.name
        self._schema = b.Schema(
            self, "schema",
            database=database.database_reference,
            name=props.name,
            with_managed_access="true",
            data_retention_time_in_days=retention,
            comment=props.comment,
        )
        self._read = self._database_role("read", "READ", {"USAGE"}, READ_PRIVILEGES)
        self._write = self._database_role("write", "WRITE", set(CREATE_PRIVILEGES), WRITE_PRIVILEGES)
        # WRITE includes READ.
        b.GrantDatabaseRole(self, "write-includes-read",
                            database_role_name=self._qualified_role(self._read),
                            parent_database_role_name=self._qualified_role(self._write))

    def _database_role(self, id: str, level: str, schema_privileges: set[str],
                       object_privileges: dict[str, list[str]]) -> b.DatabaseRole:
        role = b.DatabaseRole(self, f"{id}-role", database=self._database.database_reference,
                              name=f"{self._name}_{level}",
                              comment=f"{level} access to {self._name}")
        qualified_role = self._qualified_role(role)
        if schema_privileges:
            b.GrantPrivilegesToDatabaseRole(
                self, f"{id}-on-schema",
                database_role_name=qualified_role,
                privileges=sorted(schema_privileges),
                on_schema=b.GrantPrivilegesToDatabaseRoleOnSchema(schema_name=self.schema_reference),
            )
        for plural, privileges in object_privileges.items():
            slug = plural.lower().replace(" ", "-")
            b.GrantPrivilegesToDatabaseRole(
                self, f"{id}-future-{slug}",
                database_role_name=qualified_role,
                privileges=privileges,
                on_schema_object=b.GrantPrivilegesToDatabaseRoleOnSchemaObject(
                    future=b.GrantPrivilegesToDatabaseRoleOnSchemaObjectFuture(
                        object_type_plural=plural, in_schema=self.schema_reference)),
            )
        return role

    def _qualified_role(self, role: b.DatabaseRole) -> str:
        return role.fully_qualified_name

    @property
    def schema_name(self) -> str:
        return self._name

    @property
    def database_name(self) -> str:
        return self._database.database_name

    @property
    def schema_reference(self) -> str:
        """`"DB"."SCHEMA"` as a Terraform reference, so dependants wait for the schema."""
        return self._schema.fully_qualified_name

    @property
    def database_reference(self) -> str:
        return self._schema.database

    @property
    def schema_name_reference(self) -> str:
        """The schema's name as a Terraform reference, so objects inside it wait for it."""
        return self._schema.name

    @property
    def read_role_name(self) -> str:
        return f"{self._name}_READ"

    @property
    def write_role_name(self) -> str:
        return f"{self._name}_WRITE"

    def grant_read(self, role: FunctionalRole) -> None:
        self._grant(self._read, "read", role)

    def grant_write(self, role: FunctionalRole) -> None:
        self._grant(self._write, "write", role)

    def _grant(self, database_role: b.DatabaseRole, level: str, role: FunctionalRole) -> None:
        b.GrantDatabaseRole(self, f"{level}-to-{role.node.id}",
                            database_role_name=self._qualified_role(database_role),
                            parent_role_name=role.role_reference)
