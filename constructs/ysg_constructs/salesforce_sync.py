"""The Salesforce API integration (through an API gateway) and the external function the sync calls."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs._validate import check_prefixes
from ysg_constructs.role import FunctionalRole
from ysg_constructs.schema import BillingSchema
from ysg_core.naming import identifier


@dataclass(frozen=True)
class SalesforceSyncProps:
    integration_name: str
    api_aws_role_arn: str
    proxy_url: str
    allowed_prefixes: tuple[str, ...]
    # Defaults to SFE_SALESFORCE_SYNC(PAYLOAD VARIANT) RETURNS VARIANT.
    function_name: str = "SFE_SALESFORCE_SYNC"


class SalesforceSync(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, props: SalesforceSyncProps):
        super().__init__(scope, id)
        identifier(props.integration_name, what="API integration name")
        identifier(props.function_name, what="external function name")
        check_prefixes(props.integration_name, props.allowed_prefixes, target=("proxy URL", props.proxy_url))
        self._integration = b.ApiIntegration(
            self, "integration", name=props.integration_name, api_provider="aws_api_gateway",
            api_aws_role_arn=props.api_aws_role_arn, api_allowed_prefixes=list(props.allowed_prefixes),
            enabled=True, comment="Salesforce billing account sync through the API gateway")
        self._function = b.ExternalFunction(
            self, "function", database=schema.database_reference, schema=schema.schema_name_reference,
            name=props.function_name, arg=[b.ExternalFunctionArg(name="PAYLOAD", type="VARIANT")],
            return_type="VARIANT", return_behavior="VOLATILE", api_integration=self._integration.name,
            url_of_proxy_and_resource=props.proxy_url,
            comment="Calls the Salesforce REST API through the gateway for the account sync")
        self._integration_name = props.integration_name
        self._function_name = props.function_name

    def grant_call(self, role: FunctionalRole) -> None:
        """USAGE on the external function, which calling it needs. The grant names the function with its
        argument types: the resource's id and fully_qualified_name are a SchemaObjectIdentifierWithArguments
        (pkg/resources/external_function.go:345,374 at v2.11.0), which is how the grant resource parses a
        FUNCTION's object_name (pkg/resources/grant_privileges_to_account_role.go:1128)."""
        b.GrantPrivilegesToAccountRole(
            self, f"call-{role.key}", account_role_name=role.role_reference, privileges=["USAGE"],
            on_schema_object=b.GrantPrivilegesToAccountRoleOnSchemaObject(
                object_type="FUNCTION", object_name=self._function.fully_qualified_name))

    @property
    def integration_name(self) -> str:
        return self._integration_name

    @property
    def function_name(self) -> str:
        return self._function_name
