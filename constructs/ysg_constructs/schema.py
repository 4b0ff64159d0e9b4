"""A managed-access schema with a read and a write database role, future grants included."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.database import BillingDatabase
from ysg_constructs.role import FunctionalRole
from ysg_core.naming import identifier, qualified
from ysg_core.render import render

# What READ and WRITE mean, per kind of object in the schema. Future grants cover objects that
# hooks create after the apply (views, dynamic tables, the search service, the semantic view) as well as
# those Terraform creates. Future grants on CORTEX SEARCH SERVICES and SEMANTIC VIEWS are valid in the
# provider (pkg/sdk/grants_validations.go:135,163 at v2.11.0, and not in invalidGrantToFutureObjectTypes,
# :202); in a managed access schema only its owner (Terraform's deploy role) may grant on its objects,
# so these future grants are how roles get them, not GRANTs run by the hooks.
READ_PRIVILEGES = {"TABLES": ["SELECT"], "VIEWS": ["SELECT"], "DYNAMIC TABLES": ["SELECT"],
                   "STAGES": ["READ"], "FILE FORMATS": ["USAGE"], "PIPES": ["MONITOR"],
                   "CORTEX SEARCH SERVICES": ["USAGE"], "SEMANTIC VIEWS": ["SELECT"]}
# WRITE is data, never definitions: DML on tables, writing stage files, operating pipes. What a role
# creates it is granted exactly, per schema (grant_create).
WRITE_PRIVILEGES = {"TABLES": ["INSERT", "UPDATE", "DELETE", "TRUNCATE"], "STAGES": ["WRITE"],
                    "PIPES": ["OPERATE", "MONITOR"]}
ANALYTIC_OBJECTS = ("TABLES", "VIEWS", "DYNAMIC TABLES")
LANDING_OBJECTS = ANALYTIC_OBJECTS + ("STAGES", "FILE FORMATS", "PIPES")
# Schema privileges grant_create accepts: what the post-apply hooks create (sql/). CREATE
# SNOWFLAKE.ML.CLASSIFICATION is granted by a statement instead of a grant resource: the provider
# documents a permanent diff for CREATE SNOWFLAKE.ML.* privileges on a schema
# (docs/resources/grant_privileges_to_account_role.md:358 at v2.11.0, "Known limitations").
CREATE_PRIVILEGES = frozenset({"CREATE TABLE", "CREATE VIEW", "CREATE DYNAMIC TABLE", "CREATE STAGE",
                               "CREATE TASK", "CREATE ALERT", "CREATE MASKING POLICY",
                               "CREATE CORTEX SEARCH SERVICE", "CREATE SEMANTIC VIEW", "CREATE STREAMLIT",
                               "CREATE SNOWFLAKE.ML.CLASSIFICATION"})
GRANTED_BY_STATEMENT = frozenset({"CREATE SNOWFLAKE.ML.CLASSIFICATION"})


@dataclass(frozen=True)
class BillingSchemaProps:
    name: str
    comment: str
    # Defaults to the database's retention.
    data_retention_days: int | None = None
    # Defaults to tables, views and dynamic tables: the kinds of object future grants cover. Grants on
    # stages, file formats and pipes go only to schemas that hold them (least privilege).
    object_kinds: tuple[str, ...] = ANALYTIC_OBJECTS
    # False for a schema nobody writes data in: no WRITE role exists there to be granted by mistake.
    write_role: bool = True


class BillingSchema(Construct):
    def __init__(self, scope: Construct, id: str, database: BillingDatabase, props: BillingSchemaProps):
        super().__init__(scope, id)
        identifier(props.name, what="schema name")
        retention = database.data_retention_days if props.data_retention_days is None else props.data_retention_days
        if not 0 <= retention <= 90:
            raise ValueError(f"schema {props.name}: data_retention_days must be 0 to 90, got {retention}")
        unknown = set(props.object_kinds) - set(READ_PRIVILEGES)
        if unknown:
            raise ValueError(f"schema {props.name}: unknown object kinds {sorted(unknown)}; "
                             f"expected some of {sorted(READ_PRIVILEGES)}")
        self._database = database
        self._name = props.name
        self._kinds = props.object_kinds
        self._schema = b.Schema(
            self, "schema",
            database=database.database_reference,
            name=props.name,
            with_managed_access="true",
            data_retention_time_in_days=retention,
            comment=props.comment,
        )
        # Read once: every read of a resource attribute is a round trip to the jsii runtime.
        self._fqn, self._name_ref, self._database_ref = (
            self._schema.fully_qualified_name, self._schema.name, self._schema.database)
        self._future_grants: list = []
        self._read = self._database_role("read", "READ", {"USAGE"}, READ_PRIVILEGES)
        self._write: str | None = None
        if props.write_role:
            self._write = self._database_role("write", "WRITE", set(), WRITE_PRIVILEGES)
            # WRITE includes READ.
            b.GrantDatabaseRole(self, "write-includes-read", database_role_name=self._read,
                                parent_database_role_name=self._write)

    def _database_role(self, id: str, level: str, schema_privileges: set[str],
                       object_privileges: dict[str, list[str]]) -> str:
        """Create the database role and its grants; return its qualified name as a reference."""
        role = b.DatabaseRole(self, f"{id}-role", database=self._database.database_reference,
                              name=f"{self._name}_{level}",
                              comment=f"{level} access to {self._name}")
        qualified_role = role.fully_qualified_name
        if schema_privileges:
            b.GrantPrivilegesToDatabaseRole(
                self, f"{id}-on-schema",
                database_role_name=qualified_role,
                privileges=sorted(schema_privileges),
                on_schema=b.GrantPrivilegesToDatabaseRoleOnSchema(schema_name=self.schema_reference),
            )
        for plural, privileges in object_privileges.items():
            if plural not in self._kinds:
                continue
            slug = plural.lower().replace(" ", "-")
            self._future_grants.append(b.GrantPrivilegesToDatabaseRole(
                self, f"{id}-future-{slug}",
                database_role_name=qualified_role,
                privileges=privileges,
                on_schema_object=b.GrantPrivilegesToDatabaseRoleOnSchemaObject(
                    future=b.GrantPrivilegesToDatabaseRoleOnSchemaObjectFuture(
                        object_type_plural=plural, in_schema=self.schema_reference)),
            ))
        return qualified_role

    @property
    def schema_name(self) -> str:
        return self._name

    @property
    def future_grants(self) -> list:
        """The schema's future grants. Snowflake applies a future grant only to objects created after
        it, so every object Terraform creates in the schema depends on them (`depends_on`); otherwise
        a parallel first apply can create a table before the grant, and READ and WRITE miss it."""
        return list(self._future_grants)

    @property
    def database_name(self) -> str:
        return self._database.database_name

    @property
    def schema_reference(self) -> str:
        """`"DB"."SCHEMA"` as a Terraform reference, so dependants wait for the schema."""
        return self._fqn

    def qualify(self, name: str) -> str:
        """`DB.SCHEMA.NAME` for an object in this schema, validated by the naming module."""
        return qualified(self.database_name, self._name, name)

    @property
    def database_reference(self) -> str:
        return self._database_ref

    @property
    def schema_name_reference(self) -> str:
        """The schema's name as a Terraform reference, so objects inside it wait for it."""
        return self._name_ref

    @property
    def read_role_name(self) -> str:
        return f"{self._name}_READ"

    @property
    def write_role_name(self) -> str | None:
        return f"{self._name}_WRITE" if self._write else None

    def grant_read(self, role: FunctionalRole) -> None:
        self._grant(self._read, "read", role)

    def grant_write(self, role: FunctionalRole) -> None:
        if self._write is None:
            raise ValueError(f"schema {self._name} has no WRITE role (write_role=False); "
                             f"cannot grant it to {role.key}")
        self._grant(self._write, "write", role)

    def grant_create(self, role: FunctionalRole, *privileges: str) -> None:
        """Exactly the CREATE privileges `role` needs on this schema, to the role itself."""
        refused = sorted(set(privileges) - CREATE_PRIVILEGES)
        if refused or not privileges:
            raise ValueError(f"schema {self._name}: {refused or 'no privileges'} cannot be granted by grant_create; "
                             f"expected some of {sorted(CREATE_PRIVILEGES)}")
        by_resource = sorted(set(privileges) - GRANTED_BY_STATEMENT)
        if by_resource:
            b.GrantPrivilegesToAccountRole(
                self, f"create-{role.key}", account_role_name=role.role_reference, privileges=by_resource,
                on_schema=b.GrantPrivilegesToAccountRoleOnSchema(schema_name=self.schema_reference))
        for privilege in sorted(set(privileges) & GRANTED_BY_STATEMENT):   # names from the constant, never input
            params = {"schema": qualified(self.database_name, self._name), "role": role.role_name}
            where = f"schema {self._name}"
            b.Execute(self, f"{privilege.lower().replace(' ', '-').replace('.', '-')}-{role.key}",
                      execute=render(f"GRANT {privilege} ON SCHEMA {{{{ qualified:schema }}}} "
                                     "TO ROLE {{ identifier:role }}", params, source=where)[0],
                      revert=render(f"REVOKE {privilege} ON SCHEMA {{{{ qualified:schema }}}} "
                                    "FROM ROLE {{ identifier:role }}", params, source=where)[0],
                      depends_on=[self._schema, role.role_resource])

    def _grant(self, database_role: str, level: str, role: FunctionalRole) -> None:
        b.GrantDatabaseRole(self, f"{level}-to-{role.key}", database_role_name=database_role,
                            parent_role_name=role.role_reference)
