"""What Terraform provides for a Streamlit in Snowflake app: its encrypted stage, and the grants that let
one functional role create and own the app, another stage its files, and others open it.

The app object itself is created by a post-apply hook run as the owner role. A Streamlit app "runs with
the role of the user who originally created the app" (its owner;
https://docs.snowflake.com/en/developer-guide/streamlit/owners-rights, "About app creation"), and its
ownership cannot be handed over afterwards: STREAMLIT is not among GRANT OWNERSHIP's object types
(https://docs.snowflake.com/en/sql-reference/sql/grant-ownership, object_type) nor among the provider's
(`validGrantOwnershipObjectTypes`, pkg/sdk/grants_validations.go at v2.11.0). Created by Terraform, the
app would run as the deploy role.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.internal_stage import InternalStage, InternalStageProps
from ysg_constructs.role import FunctionalRole
from ysg_constructs.schema import BillingSchema
from ysg_constructs.warehouse import BillingWarehouse
from ysg_core.naming import identifier


@dataclass(frozen=True)
class StreamlitAppProps:
    name: str
    title: str
    stage_name: str
    # Defaults to `streamlit_app.py` at the root of the stage, Streamlit in Snowflake's own default.
    main_file: str = "streamlit_app.py"


class StreamlitApp(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, warehouse: BillingWarehouse,
                 owner: FunctionalRole, stager: FunctionalRole, props: StreamlitAppProps):
        """`owner` creates the app (a hook run as it) and so runs it; `stager` puts its files on the stage."""
        super().__init__(scope, id)
        identifier(props.name, what="streamlit name")
        identifier(props.stage_name, what="stage name")
        main = PurePosixPath(props.main_file)
        if main.suffix != ".py" or main.is_absolute() or ".." in main.parts:
            raise ValueError(f"streamlit {props.name}: main_file {props.main_file!r} must be a relative path "
                             "to a .py file inside the stage")
        if not props.title.strip():
            raise ValueError(f"streamlit {props.name}: title must not be empty")
        if owner.role_name == stager.role_name:
            raise ValueError(f"streamlit {props.name}: the role that runs the app must not write its code "
                             f"({owner.role_name} would be both)")
        self._props = props
        self._schema = schema
        self._qualified = schema.qualify(props.name)
        self._owner = owner.role_name
        self._warehouse = warehouse.warehouse_name
        self._stage = InternalStage(self, "stage", schema, InternalStageProps(
            name=props.stage_name, comment=f"{props.title} app files, put here by a post-apply hook"))
        stage = self._stage.stage_resource.fully_qualified_name   # read once (a jsii round trip)
        # The owner reads the files (CREATE STREAMLIT ... FROM copies them); the stager writes them (PUT).
        # Granted on the stage itself: the schema's future grants cover no stage in an analytic schema.
        for role_id, role, privileges in (("owner-reads-stage", owner, ["READ"]),
                                          ("stager-writes-stage", stager, ["READ", "WRITE"])):
            b.GrantPrivilegesToAccountRole(
                self, role_id, account_role_name=role.role_reference, privileges=privileges,
                on_schema_object=b.GrantPrivilegesToAccountRoleOnSchemaObject(object_type="STAGE", object_name=stage))
        # "Granted on the schema that contains the Streamlit app: USAGE, CREATE STREAMLIT, CREATE STAGE. You
        # must also have the USAGE privilege on the warehouse used to run the Streamlit app" (owner's
        # rights page, "About app creation"). The object-management privileges page
        # (developer-guide/streamlit/object-management/privileges) asks CREATE STAGE only of an app created
        # with ROOT_LOCATION, and this one is created FROM a stage: the pages disagree, so the stricter holds.
        b.GrantPrivilegesToAccountRole(
            self, "owner-creates-app", account_role_name=owner.role_reference,
            privileges=["CREATE STAGE", "CREATE STREAMLIT"],
            on_schema=b.GrantPrivilegesToAccountRoleOnSchema(schema_name=schema.schema_reference))

    def grant_usage(self, role: FunctionalRole) -> None:
        """USAGE on the app, as a future grant: the app is created after the apply, in a managed-access
        schema where only the schema's owner may grant on it; Snowflake applies the future grant when
        the owner role creates (or replaces) the app. Members of `role` may open it; it still runs with
        its owner's rights."""
        b.GrantPrivilegesToAccountRole(
            self, f"usage-{role.key}", account_role_name=role.role_reference, privileges=["USAGE"],
            on_schema_object=b.GrantPrivilegesToAccountRoleOnSchemaObject(
                future=b.GrantPrivilegesToAccountRoleOnSchemaObjectFuture(
                    object_type_plural="STREAMLITS", in_schema=self._schema.schema_reference)))

    @property
    def streamlit_name(self) -> str:
        return self._props.name

    @property
    def qualified_name(self) -> str:
        return self._qualified

    @property
    def stage_qualified_name(self) -> str:
        return self._stage.qualified_name

    @property
    def owner_role_name(self) -> str:
        return self._owner

    @property
    def warehouse_name(self) -> str:
        return self._warehouse

    @property
    def main_file(self) -> str:
        return self._props.main_file

    @property
    def title(self) -> str:
        return self._props.title
