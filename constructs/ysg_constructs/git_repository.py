"""The git HTTPS API integration and the repository object for this repository.

Provider 2.11.0 cannot create the integration: `snowflake_api_integration` accepts only the cloud API
gateways as `api_provider` (pkg/resources/api_integration.go:33 at v2.11.0), and its documentation says
"API integrations for `git_https_api` API provider are not supported" (docs/resources/api_integration.md),
while docs/resources/git_repository.md says to "use [the] execute resource" instead. So the integration is
a `snowflake_execute`: its statement is rendered by the one typed renderer, it is dropped on destroy,
and a changed statement replaces it (the provider forces a new resource when `execute` changes,
pkg/resources/execute.go, CustomizeDiff ForceNewIfChange("execute")).

A private repository needs a secret holding a token: Snowflake's setup is "Create a secret, if needed
... Create an API integration ... [that] must specify this secret as a value of the
ALLOWED_AUTHENTICATION_SECRETS parameter" (https://docs.snowflake.com/en/developer-guide/git/git-setting-up).
The secret is created by an administrator outside Terraform (README, "First deploy"), so the token never
enters this repository, the synthesized stack or the Terraform state; configuration names it only.
Without a secret the repository must be public.
"""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs._validate import check_prefixes
from ysg_constructs.schema import BillingSchema
from ysg_core.naming import identifier, qualified
from ysg_core.render import render

CREATE_INTEGRATION = ("CREATE OR REPLACE API INTEGRATION {{ identifier:name }} API_PROVIDER = git_https_api "
                      "API_ALLOWED_PREFIXES = ({{ literals:prefixes }}) ENABLED = TRUE COMMENT = {{ literal:comment }}")
CREATE_INTEGRATION_WITH_SECRET = (
    "CREATE OR REPLACE API INTEGRATION {{ identifier:name }} API_PROVIDER = git_https_api "
    "API_ALLOWED_PREFIXES = ({{ literals:prefixes }}) ALLOWED_AUTHENTICATION_SECRETS = ({{ qualified:secret }}) "
    "ENABLED = TRUE COMMENT = {{ literal:comment }}")
DROP_INTEGRATION = "DROP API INTEGRATION IF EXISTS {{ identifier:name }}"
SHOW_INTEGRATION = "SHOW API INTEGRATIONS LIKE {{ literal:name }}"


@dataclass(frozen=True)
class GitRepositoryProps:
    integration_name: str
    repository_name: str
    origin: str
    allowed_prefixes: tuple[str, ...]
    # Defaults to none: the repository must then be public. Otherwise `DB.SCHEMA.SECRET`, a secret of
    # TYPE = password (user name and token) that an administrator created outside Terraform.
    credentials_secret: str | None = None
    comment: str = "Snowflake Git repository access for the platform repository"


class BillingGitRepository(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, props: GitRepositoryProps):
        super().__init__(scope, id)
        identifier(props.integration_name, what="API integration name")
        identifier(props.repository_name, what="git repository name")
        check_prefixes(props.integration_name, props.allowed_prefixes, target=("origin", props.origin))
        params: dict[str, object] = {"name": props.integration_name, "prefixes": list(props.allowed_prefixes),
                                     "comment": props.comment}
        if props.credentials_secret is not None:
            parts = props.credentials_secret.split(".")
            if len(parts) != 3:
                raise ValueError(f"git repository {props.repository_name}: credentials_secret "
                                 f"{props.credentials_secret!r} must be a fully qualified DB.SCHEMA.SECRET")
            params["secret"] = qualified(*parts)
        source = f"API integration {props.integration_name}"
        (execute,) = render(CREATE_INTEGRATION_WITH_SECRET if props.credentials_secret else CREATE_INTEGRATION,
                            params, source=source)
        self._integration = b.Execute(
            self, "integration", execute=execute,
            revert=render(DROP_INTEGRATION, {"name": props.integration_name}, source=source)[0],
            query=render(SHOW_INTEGRATION, {"name": props.integration_name}, source=source)[0])
        self._repository = b.GitRepository(
            self, "repository", database=schema.database_reference, schema=schema.schema_name_reference,
            name=props.repository_name, origin=props.origin, api_integration=props.integration_name,
            git_credentials=props.credentials_secret,
            depends_on=[self._integration],
            comment="The platform repository: SQL hooks and the Streamlit app")
        self._integration_name = props.integration_name
        self._credentials_secret = props.credentials_secret

    @property
    def integration_name(self) -> str:
        return self._integration_name

    @property
    def credentials_secret(self) -> str | None:
        """The secret the repository authenticates with, or None for a public repository."""
        return self._credentials_secret
