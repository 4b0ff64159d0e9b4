"""The one place names are made: Snowflake identifiers, and the per-environment names of objects.

An identifier that is not valid is refused where it is built (after SnowDDL's typed identifiers).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Unquoted Snowflake identifiers: a letter or underscore, then letters, digits, underscores or $.
# We keep to upper case so that what Terraform creates and what the hooks query are the same name.
_IDENTIFIER = re.compile(r"^[A-Z_][A-Z0-9_$]{0,254}$")
_ENVIRONMENT = re.compile(r"^[a-z][a-z0-9]{0,15}$")

# The environment whose account-level names carry no suffix (the data contract's "default").
DEFAULT_ENVIRONMENT = "prod"


class InvalidIdentifier(ValueError):
    """A name that Snowflake would not accept unquoted, or that we refuse to quote."""


def identifier(value: str, *, what: str = "identifier") -> str:
    """Return `value` if it is a valid upper-case unquoted Snowflake identifier, else raise."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        raise InvalidIdentifier(
            f"{what} {value!r} is not a valid Snowflake identifier: expected upper-case letters, "
            "digits, '_' or '$', starting with a letter or '_', at most 255 characters"
        )
    return value


def qualified(*parts: str) -> str:
    """A dotted name (`DB.SCHEMA.OBJECT`) from validated parts."""
    return ".".join(identifier(part) for part in parts)


def environment_name(value: str) -> str:
    if not _ENVIRONMENT.fullmatch(value or ""):
        raise InvalidIdentifier(
            f"environment name {value!r} is not valid: expected lower-case letters and digits, "
            "starting with a letter, at most 16 characters"
        )
    return value


def stack_name(environment: str) -> str:
    return f"billing-{environment_name(environment)}"


# Schemas and landing tables of the data contract: a public interface, never suffixed.
RAW_SCHEMA = "SFE_RAW_BILLING"
STG_SCHEMA = "SFE_STG_TELECOM"
ANALYTICS_SCHEMA = "SFE_ANALYTICS_COSTS"
KNOWLEDGE_SCHEMA = "SFE_SHARED_KNOWLEDGE"
SCHEMAS = (RAW_SCHEMA, STG_SCHEMA, ANALYTICS_SCHEMA, KNOWLEDGE_SCHEMA)

# The Billing Ops Streamlit app and the stage its files are put on, in ANALYTICS_SCHEMA; its entry point
# (a file of app/) and the title Snowsight shows.
BILLING_OPS_APP = "SFE_BILLING_OPS_APP"
BILLING_OPS_APP_STAGE = "SFE_BILLING_OPS_APP_STAGE"
BILLING_OPS_APP_MAIN_FILE = "Cost_overview.py"
BILLING_OPS_APP_TITLE = "Billing Ops"


@dataclass(frozen=True)
class FunctionalRoles:
    """The functional roles of the data contract, as named in one environment."""

    admin: str
    engineer: str
    analyst: str
    pipeline: str
    intelligence: str
    streamlit: str
    ingest: str

    def all(self) -> tuple[str, ...]:
        return (self.admin, self.engineer, self.analyst, self.pipeline, self.intelligence,
                self.streamlit, self.ingest)


@dataclass(frozen=True)
class EnvironmentNames:
    """Every account-level name of one environment.

    Account-level objects (warehouse, roles, integrations, users, policies, monitors) are shared by
    every environment in the account, so all but the default environment carry a suffix. Objects
    inside the environment's database keep the data contract's names exactly.
    """

    environment: str
    database: str

    @property
    def suffix(self) -> str:
        return "" if self.environment == DEFAULT_ENVIRONMENT else f"_{self.environment.upper()}"

    def account_object(self, base: str) -> str:
        return identifier(f"{identifier(base)}{self.suffix}")

    @property
    def warehouse(self) -> str:
        return self.account_object("SFE_BILLING_WH")

    @property
    def warehouse_monitor(self) -> str:
        return self.account_object("SFE_BILLING_WH_MONITOR")

    @property
    def account_monitor(self) -> str:
        return self.account_object("SFE_BILLING_ACCOUNT_MONITOR")

    @property
    def network_policy(self) -> str:
        return self.account_object("SFE_BILLING_NETWORK_POLICY")

    @property
    def agent(self) -> str:
        # In the account-wide SNOWFLAKE_INTELLIGENCE.AGENTS schema, so named per environment.
        return self.account_object("SFE_BILLING_AGENT")

    @property
    def git_api_integration(self) -> str:
        return self.account_object("SFE_GIT_API_INTEGRATION")

    @property
    def salesforce_api_integration(self) -> str:
        return self.account_object("SFE_SALESFORCE_API_INTEGRATION")

    @property
    def ga4_storage_integration(self) -> str:
        return self.account_object("SFE_GA4_GCS_INTEGRATION")

    @property
    def ga4_notification_integration(self) -> str:
        return self.account_object("SFE_GA4_PUBSUB_INTEGRATION")

    @property
    def alerts_email_integration(self) -> str:
        return self.account_object("SFE_BILLING_ALERTS_EMAIL")

    @property
    def saml_integration(self) -> str:
        return self.account_object("SFE_OKTA_SAML")

    @property
    def kafka_user(self) -> str:
        return self.account_object("SFE_KAFKA_INGEST_USER")

    @property
    def salesforce_user(self) -> str:
        return self.account_object("SFE_SALESFORCE_SYNC_USER")

    # Who deploys, and the bridge roles: created by the administrator's bootstrap.sql
    # (bootstrap/account_prerequisites.sql), not by Terraform.
    @property
    def deploy_role(self) -> str:
        """The role `cdktf deploy` runs as (the provider's `role`); owns what Terraform creates."""
        return self.account_object("SFE_TERRAFORM_DEPLOY_ROLE")

    @property
    def deploy_user(self) -> str:
        """The service user `cdktf deploy` (and the hooks it runs) log in as."""
        return self.account_object("SFE_TERRAFORM_DEPLOY_USER")

    @property
    def agent_author_role(self) -> str:
        """Bridge: CREATE AGENT in the shared agents schema, for the pipeline role."""
        return self.account_object("SFE_AGENT_AUTHOR_ROLE")

    @property
    def agent_user_role(self) -> str:
        """Bridge: SNOWFLAKE.CORTEX_USER and the agents location, for the roles that talk to the agent."""
        return self.account_object("SFE_AGENT_USER_ROLE")

    @property
    def usage_reader_role(self) -> str:
        """Bridge: SNOWFLAKE.USAGE_VIEWER (ACCOUNT_USAGE history), for the pipeline role's credit alert."""
        return self.account_object("SFE_USAGE_READER_ROLE")

    @property
    def roles(self) -> FunctionalRoles:
        return FunctionalRoles(
            admin=self.account_object("SFE_BILLING_ADMIN"),
            engineer=self.account_object("SFE_BILLING_ENGINEER"),
            analyst=self.account_object("BILLING_ANALYST_ROLE"),
            pipeline=self.account_object("SFE_PIPELINE_ROLE"),
            intelligence=self.account_object("SFE_INTELLIGENCE_ROLE"),
            streamlit=self.account_object("SFE_STREAMLIT_ROLE"),
            ingest=self.account_object("SFE_INGEST_ROLE"),
        )

    @property
    def stack(self) -> str:
        return stack_name(self.environment)
