"""A Streamlit in Snowflake app with its own encrypted stage, owned and run by one functional role on
one warehouse. The app files are put on the stage by a post-apply hook, not by Terraform."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from constructs import Construct

from ysg.naming import identifier
from ysg_constructs import bindings as b
from ysg_constructs.internal_stage import InternalStage, InternalStageProps
from ysg_constructs.role import FunctionalRole
from ysg_constructs.schema import BillingSchema
from ysg_constructs.warehouse import BillingWarehouse


@dataclass(frozen=True)
class StreamlitAppProps:
    name: str
    title: str
    stage_name: str
    # Defaults to `streamlit_app.py` at the root of the stage, Streamlit in Snowflake's own default.
    main_file: str = "streamlit_app.py"
    comment: str = "Billing Ops: cost overview, anomalies, churn risk, spend guardrails, billing agent"


class StreamlitApp(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, warehouse: BillingWarehouse,
                 owner: FunctionalRole, props: StreamlitAppProps):
        """`owner` owns the app and so runs it (Streamlit in Snowflake apps run with owner's rights)."""
        super().__init__(scope, id)
        identifier(props.name, what="streamlit name")
        identifier(props.stage_name, what="stage name")
        main = PurePosixPath(props.main_file)
        if main.suffix != ".py" or main.is_absolute() or ".." in main.parts:
            raise ValueError(f"streamlit {props.name}: main_file {props.main_file!r} must be a relative path "
                             "to a .py file inside the stage")
        if not props.title.strip():
            raise ValueError(f"streamlit {props.name}: title must not be empty")
        self._name = props.name
        self._qualified = schema.qualify(props.name)
        self._owner = owner.role_name
        self._warehouse = warehouse.warehouse_name
        self._stage = InternalStage(self, "stage", schema, InternalStageProps(
            name=props.stage_name, comment=f"{props.title} app files, put here by a post-apply hook"))
        stage = self._stage.stage_resource.fully_qualified_name   # references read once (jsii round trips)
        self._streamlit = b.Streamlit(
            self, "streamlit",
            database=schema.database_reference, schema=schema.schema_name_reference, name=props.name,
            stage=stage, main_file=props.main_file,
            query_warehouse=warehouse.warehouse_reference, title=props.title, comment=props.comment)
        self._streamlit_reference = self._streamlit.fully_qualified_name
        # The owner reads its files; granted on the stage itself, since the schema's future grants do
        # not cover stages (analytic schemas hold none but this one).
        b.GrantPrivilegesToAccountRole(
            self, "owner-reads-stage", account_role_name=owner.role_reference, privileges=["READ"],
            on_schema_object=b.GrantPrivilegesToAccountRoleOnSchemaObject(
                object_type="STAGE", object_name=stage))
        b.GrantOwnership(
            self, "owner", account_role_name=owner.role_reference, outbound_privileges="COPY",
            on=b.GrantOwnershipOn(object_type="STREAMLIT", object_name=self._streamlit_reference))

    def grant_usage(self, role: FunctionalRole) -> None:
        """USAGE: members of `role` may open the app (it still runs with its owner's rights)."""
        b.GrantPrivilegesToAccountRole(
            self, f"usage-{role.key}", account_role_name=role.role_reference, privileges=["USAGE"],
            on_schema_object=b.GrantPrivilegesToAccountRoleOnSchemaObject(
                object_type="STREAMLIT", object_name=self._streamlit_reference))

    @property
    def streamlit_name(self) -> str:
        return self._name

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
