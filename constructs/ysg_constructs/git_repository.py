"""The git HTTPS API integration and the repository object for this repository."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg.naming import identifier
from ysg_constructs import bindings as b
from ysg_constructs._validate import check_prefixes
from ysg_constructs.schema import BillingSchema


@dataclass(frozen=True)
class GitRepositoryProps:
    integration_name: str
    repository_name: str
    origin: str
    allowed_prefixes: tuple[str, ...]


class BillingGitRepository(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, props: GitRepositoryProps):
        super().__init__(scope, id)
        identifier(props.integration_name, what="API integration name")
        identifier(props.repository_name, what="git repository name")
        check_prefixes(props.integration_name, props.allowed_prefixes, target=("origin", props.origin))
        self._integration = b.ApiIntegration(
            self, "integration", name=props.integration_name, api_provider="git_https_api",
            api_allowed_prefixes=list(props.allowed_prefixes), enabled=True,
            comment="Snowflake Git repository access for the platform repository")
        self._repository = b.GitRepository(
            self, "repository", database=schema.database_reference, schema=schema.schema_name_reference,
            name=props.repository_name, origin=props.origin, api_integration=self._integration.name,
            comment="The platform repository: SQL hooks and the Streamlit app")
        self._integration_name = props.integration_name

    @property
    def integration_name(self) -> str:
        return self._integration_name

