"""The platform for one environment: every construct, wired together from its configuration."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.alert_email_integration import AlertEmailIntegration, AlertEmailIntegrationProps
from ysg_constructs.database import BillingDatabase, BillingDatabaseProps
from ysg_constructs.deployability_guard import DeployabilityGuard
from ysg_constructs.external_stage import GcsExternalStage, GcsExternalStageProps
from ysg_constructs.file_format import BillingFileFormat, FileFormatProps
from ysg_constructs.git_repository import BillingGitRepository, GitRepositoryProps
from ysg_constructs.hook_ledger import HookLedger
from ysg_constructs.hook_trigger import HookTrigger
from ysg_constructs.internal_stage import InternalStage, InternalStageProps
from ysg_constructs.landing_table import LandingTable, LandingTableProps
from ysg_constructs.network_policy import BillingNetworkPolicy, NetworkPolicyProps
from ysg_constructs.object_tags import ObjectTags, ObjectTagsProps
from ysg_constructs.pipe import BatchPipe, BatchPipeProps
from ysg_constructs.resource_monitor import BillingResourceMonitor, ResourceMonitorProps
from ysg_constructs.role import FunctionalRole, FunctionalRoleProps
from ysg_constructs.salesforce_sync import SalesforceSync, SalesforceSyncProps
from ysg_constructs.saml_sso import OktaSso, OktaSsoProps
from ysg_constructs.schema import ANALYTIC_OBJECTS, LANDING_OBJECTS, BillingSchema, BillingSchemaProps
from ysg_constructs.service_user import BillingServiceUser, ServiceUserProps
from ysg_constructs.streaming_pipe import StreamingPipe, StreamingPipeProps
from ysg_constructs.streamlit_app import StreamlitApp, StreamlitAppProps
from ysg_constructs.warehouse import BillingWarehouse, BillingWarehouseProps
from ysg_core import contract, naming
from ysg_core.config import EnvironmentConfig
from ysg_core.deployable import GUARD_CONSTRUCT_ID
from ysg_core.paths import DEFAULT_OUTDIR, REPO_ROOT, stack_dir
from ysg_hooks.manifest import MANIFEST_FILE, manifest_checksum
from ysg_stacks.data_hooks import HookInputs, hook_manifest
from ysg_stacks.kafka_connector import STREAMING_PIPE, USAGE_TABLE

SCHEMA_COMMENTS = {
    naming.RAW_SCHEMA: "Landing: Snowpipe Streaming, batch COPY and pipes, Salesforce sync",
    naming.STG_SCHEMA: "Standardized, PII masked (post-apply SQL hooks)",
    naming.ANALYTICS_SCHEMA: "Aggregates, facts, dynamic table, classifier, semantic view (hooks)",
    naming.KNOWLEDGE_SCHEMA: "Billing policy documents and the Cortex Search service",
}

# Who may read and write which schema: the functional roles of the data contract.
SCHEMA_ACCESS = {
    "admin": {"write": naming.SCHEMAS},
    "engineer": {"write": naming.SCHEMAS},
    "analyst": {"read": (naming.ANALYTICS_SCHEMA, naming.KNOWLEDGE_SCHEMA)},
    # The pipeline role runs the hooks: it loads the knowledge base and builds the derived layers.
    "pipeline": {"read": (naming.RAW_SCHEMA,),
                 "write": (naming.STG_SCHEMA, naming.ANALYTICS_SCHEMA, naming.KNOWLEDGE_SCHEMA)},
    "intelligence": {"read": (naming.ANALYTICS_SCHEMA, naming.KNOWLEDGE_SCHEMA)},
    # The app's "Ask the agent" page runs the agent as the app's role, so it reaches the search service.
    "streamlit": {"read": (naming.ANALYTICS_SCHEMA, naming.KNOWLEDGE_SCHEMA)},
    # Not the landing schema's WRITE role: the ingest role writes one table through a pipe and one by the
    # Salesforce sync, each granted on its own (usage_pipe.grant_streaming, _salesforce_access).
    "ingest": {},
}
# What each role creates, per schema: exactly the kinds of object its hooks create (sql/), nothing more.
# The app's role creates the app (StreamlitApp grants it CREATE STREAMLIT and CREATE STAGE).
SCHEMA_CREATE = {
    "pipeline": {
        naming.RAW_SCHEMA: ("CREATE TASK",),
        naming.STG_SCHEMA: ("CREATE VIEW", "CREATE MASKING POLICY"),
        naming.ANALYTICS_SCHEMA: ("CREATE VIEW", "CREATE TABLE", "CREATE DYNAMIC TABLE", "CREATE SEMANTIC VIEW",
                                  "CREATE ALERT", "CREATE SNOWFLAKE.ML.CLASSIFICATION"),
        naming.KNOWLEDGE_SCHEMA: ("CREATE CORTEX SEARCH SERVICE",),
    },
}
# Future grants per schema beyond tables, views and dynamic tables: the landing objects, and the objects
# of hooks that readers use (the search service; the semantic view).
SCHEMA_OBJECT_KINDS = {
    naming.RAW_SCHEMA: LANDING_OBJECTS,
    naming.ANALYTICS_SCHEMA: ANALYTIC_OBJECTS + ("SEMANTIC VIEWS",),
    naming.KNOWLEDGE_SCHEMA: ANALYTIC_OBJECTS + ("CORTEX SEARCH SERVICES",),
}
# The account privileges the pipeline role uses: attaching masking policies to a landing table it does not
# own, and resuming the Salesforce sync task and the cost alerts it owns.
PIPELINE_ACCOUNT_PRIVILEGES = ("APPLY MASKING POLICY", "EXECUTE ALERT", "EXECUTE TASK")
# analyst -> engineer -> admin -> SYSADMIN; the service-facing roles roll up to admin.
ROLE_PARENTS = {"admin": None, "engineer": "admin", "analyst": "engineer", "pipeline": "admin",
                "intelligence": "admin", "streamlit": "admin", "ingest": "admin"}
OPERATORS = ("admin", "pipeline")
# The provider source of an emulator environment's stack: one no registry can serve (see _backend).
EMULATOR_PROVIDER_SOURCE = "registry.invalid/ysg/emulator-only"


class BillingStack(b.TerraformStack):
    def __init__(self, scope: Construct, config: EnvironmentConfig, hook_inputs: HookInputs | None = None,
                 example_values: tuple[str, ...] = ()):
        """`hook_inputs`: what the hooks read from the repository, shared by the stacks of one synthesis.
        `example_values`: what the environment still holds of the shipped examples (ysg_core.deployable);
        while there are any, Terraform refuses to plan the stack."""
        names = config.names
        super().__init__(scope, names.stack)
        self.config = config
        self._backend(config)
        self.deployability_guard = (DeployabilityGuard(self, GUARD_CONSTRUCT_ID, names.stack, list(example_values))
                                    if example_values else None)

        role_names = names.roles
        self.roles: dict[str, FunctionalRole] = {}
        for key, parent in ROLE_PARENTS.items():
            self.roles[key] = FunctionalRole(
                self, f"role-{key}",
                FunctionalRoleProps(name=getattr(role_names, key), comment=f"Billing Intelligence: {key}"),
                parent=self.roles[parent] if parent else None)

        # The warehouse and the monitors are the administrator's (bootstrap/), adopted by Terraform.
        adopt = config.target == "snowflake"
        monitors = config.resource_monitors
        warehouse_monitor = ResourceMonitorProps(
            name=names.warehouse_monitor, credit_quota=monitors.warehouse_credit_quota,
            notify_at_percent=tuple(monitors.notify_at_percent),
            suspend_immediately_at_percent=monitors.suspend_immediately_at_percent,
            notify_users=tuple(monitors.notify_users))
        self.warehouse = BillingWarehouse(self, "warehouse", BillingWarehouseProps(
            name=names.warehouse, size=config.warehouse.size,
            auto_suspend_seconds=config.warehouse.auto_suspend_seconds,
            statement_timeout_seconds=config.warehouse.statement_timeout_seconds,
            monitor=warehouse_monitor, adopt=adopt))
        # The account's monitor, only where it governs the account (an account has one): the same
        # thresholds and notified users, its own quota. The bootstrap assigns it to the account.
        self.account_monitor = BillingResourceMonitor(self, "account-monitor", dataclasses.replace(
            warehouse_monitor, name=names.account_monitor, credit_quota=monitors.account_credit_quota,
            adopt=adopt)) if monitors.attach_account_monitor else None
        for key, role in self.roles.items():
            self.warehouse.grant_usage(role, operate=key in OPERATORS)
        # The app's spend guardrails page shows quotas and credits used.
        for monitor in (self.warehouse.monitor, self.account_monitor):
            if monitor is not None:
                monitor.grant_monitor(self.roles["streamlit"])
        self.roles["pipeline"].grant_on_account(*PIPELINE_ACCOUNT_PRIVILEGES)
        # What only an administrator may give, through the bridge roles bootstrap.sql creates and hands to
        # the deploy role: the agent's author and users, and the credit alert's ACCOUNT_USAGE reader.
        self.roles["pipeline"].grant_role("agent-author", names.agent_author_role)
        self.roles["pipeline"].grant_role("usage-reader", names.usage_reader_role)
        # The pipeline role too: it creates the search service and the agent, and SNOWFLAKE.CORTEX_USER,
        # granted to PUBLIC by default, may have been revoked from it ("By default, the CORTEX_USER database
        # role is granted to the PUBLIC role", docs.snowflake.com/en/user-guide/snowflake-cortex/cortex-agents-setup).
        for key in ("pipeline", "intelligence", "analyst", "streamlit"):
            self.roles[key].grant_role("agent-user", names.agent_user_role)
        # `cdktf deploy` runs the hooks with the deploy user's credentials, pinned to these roles (hooks.json).
        for key in ("pipeline", "streamlit"):
            self.roles[key].grant_to_user("deploy-user", names.deploy_user)

        self.database = BillingDatabase(self, "database", BillingDatabaseProps(
            name=config.database.name, data_retention_days=config.database.data_retention_days))
        self.schemas = {name: BillingSchema(self, f"schema-{name.lower()}", self.database, BillingSchemaProps(
            name=name, comment=SCHEMA_COMMENTS[name],
            **({"object_kinds": SCHEMA_OBJECT_KINDS[name]} if name in SCHEMA_OBJECT_KINDS else {})))
            for name in naming.SCHEMAS}
        for key, access in SCHEMA_ACCESS.items():
            self.database.grant_usage(self.roles[key])
            for schema in access.get("read", ()):
                self.schemas[schema].grant_read(self.roles[key])
            for schema in access.get("write", ()):
                self.schemas[schema].grant_write(self.roles[key])
        for key, creates in SCHEMA_CREATE.items():
            for schema, privileges in creates.items():
                self.schemas[schema].grant_create(self.roles[key], *privileges)

        # The hook runner's ledger and lock, outside the contract's schemas; the pipeline role runs the hooks.
        self.hook_ledger = HookLedger(self, "hook-ledger", self.database)
        self.hook_ledger.grant_runner(self.roles["pipeline"])
        # Engineers read it, so `ysg hooks plan` shows them the truth (admin inherits the pipeline role).
        self.hook_ledger.schema.grant_read(self.roles["engineer"])

        raw = self.schemas[naming.RAW_SCHEMA]
        network = config.network
        self.network_policy = BillingNetworkPolicy(self, "network", raw, NetworkPolicyProps(
            name=names.network_policy,
            allowlists={"SFE_WAF_EGRESS": tuple(network.waf_egress),
                        "SFE_KAFKA_PROXY_EGRESS": tuple(network.kafka_rest_proxy_egress),
                        "SFE_CORPORATE_RANGES": tuple(network.corporate)},
            attach_to_account=network.attach_to_account))

        integrations = config.integrations
        BillingGitRepository(self, "git", self.schemas[naming.KNOWLEDGE_SCHEMA], GitRepositoryProps(
            integration_name=names.git_api_integration, repository_name="SFE_PLATFORM_REPO",
            origin=str(integrations.git.origin),
            allowed_prefixes=tuple(str(p) for p in integrations.git.allowed_prefixes),
            credentials_secret=integrations.git.credentials_secret))
        self.salesforce = SalesforceSync(self, "salesforce", raw, SalesforceSyncProps(
            integration_name=names.salesforce_api_integration,
            api_aws_role_arn=integrations.salesforce.api_aws_role_arn,
            proxy_url=str(integrations.salesforce.proxy_url),
            allowed_prefixes=tuple(str(p) for p in integrations.salesforce.allowed_prefixes)))

        csv = BillingFileFormat(self, "csv-format", raw, FileFormatProps(
            name="SFE_CSV_FORMAT", format_type="CSV", comment="GA4 export and sample data CSV batches"))
        BillingFileFormat(self, "json-format", raw, FileFormatProps(
            name="SFE_JSON_FORMAT", format_type="JSON", comment="JSON rowsets"))
        InternalStage(self, "raw-stage", raw, InternalStageProps(name="RAW"))
        ga4 = GcsExternalStage(self, "ga4", raw, csv, GcsExternalStageProps(
            integration_name=names.ga4_storage_integration, stage_name="GA4_EXPORT",
            url=integrations.ga4.gcs_url))

        self.tables: dict[str, LandingTable] = {}
        for (schema_name, table_name), (comment, columns) in contract.LANDING_TABLES.items():
            self.tables[table_name] = LandingTable(
                self, f"table-{table_name.lower()}", self.schemas[schema_name],
                LandingTableProps(name=table_name, columns=columns, comment=comment))

        # The Kafka connector streams usage events through this pipe (ysg_stacks/kafka_connector.py).
        self.usage_pipe = StreamingPipe(
            self, "usage-streaming-pipe", raw, self.tables[USAGE_TABLE], StreamingPipeProps(
                name=STREAMING_PIPE, columns=contract.LANDING_TABLES[(naming.RAW_SCHEMA, USAGE_TABLE)][1],
                comment="Kafka usage events (Snowpipe Streaming) into USAGE_METRICS"))
        self.usage_pipe.grant_streaming(self.roles["ingest"])
        # The Salesforce sync: its service user (ingest role) and the task that runs it (pipeline role) both
        # call the function and MERGE into SALESFORCE_ACCOUNTS (sql/raw/sfe_salesforce_sync_task.sql).
        for key in ("ingest", "pipeline"):
            self.salesforce.grant_call(self.roles[key])
            self.tables["SALESFORCE_ACCOUNTS"].grant(self.roles[key], "INSERT", "UPDATE")

        BatchPipe(self, "ga4-pipe", raw, csv,
                  depends_on=[self.tables["CUSTOMER_SEGMENTS"].table_resource, ga4.stage_resource],
                  props=BatchPipeProps(
                      name="SFE_GA4_SEGMENTS_PIPE", target_table="CUSTOMER_SEGMENTS",
                      source_stage="GA4_EXPORT", pubsub_subscription=integrations.ga4.pubsub_subscription,
                      notification_integration_name=names.ga4_notification_integration,
                      comment="GA4 customer segment CSV batches into CUSTOMER_SEGMENTS"))

        # The app runs as the streamlit role, which creates it (a hook); the pipeline role stages its files.
        self.billing_ops_app = StreamlitApp(
            self, "billing-ops-app", self.schemas[naming.ANALYTICS_SCHEMA], self.warehouse,
            owner=self.roles["streamlit"], stager=self.roles["pipeline"],
            props=StreamlitAppProps(name=naming.BILLING_OPS_APP, title=naming.BILLING_OPS_APP_TITLE,
                                    stage_name=naming.BILLING_OPS_APP_STAGE,
                                    main_file=naming.BILLING_OPS_APP_MAIN_FILE))
        self.billing_ops_app.grant_usage(self.roles["analyst"])  # analysts and finance open the app

        users = config.service_users
        self.service_users = {
            key: BillingServiceUser(self, id, self.roles["ingest"], names.warehouse, self.network_policy,
                                    ServiceUserProps(name=name, comment=comment,
                                                     rsa_public_key_pem=_read(user.rsa_public_key_path),
                                                     rsa_public_key_2_pem=_read(user.rsa_public_key_2_path)))
            for key, id, name, comment, user in (
                ("kafka", "kafka-user", names.kafka_user,
                 "Kafka connector: Snowpipe Streaming into USAGE_METRICS", users.kafka_ingest),
                ("salesforce", "salesforce-user", names.salesforce_user,
                 "Salesforce billing account sync", users.salesforce_sync))
        }

        if config.sso.enabled:
            OktaSso(self, "sso", OktaSsoProps(
                name=names.saml_integration, issuer=config.sso.issuer, sso_url=str(config.sso.sso_url),
                x509_certificate_pem=_read(config.sso.x509_cert_path)))

        if config.tags:
            ObjectTags(self, "tags", self.schemas[naming.KNOWLEDGE_SCHEMA], ObjectTagsProps(
                tags=dict(config.tags),
                targets={"DATABASE": [self.database.database_reference],
                         "WAREHOUSE": [self.warehouse.warehouse_reference]}))

        # The cost alerts (post-apply hooks, owned by the pipeline role) e-mail through this integration.
        self.alert_email = AlertEmailIntegration(self, "alert-email", AlertEmailIntegrationProps(
            name=names.alerts_email_integration, allowed_recipients=tuple(config.alerts.email_recipients)))
        self.alert_email.grant_usage(self.roles["pipeline"])

        self._outputs(config)
        # The hooks create no Terraform resource, so they are not in the tree: the app writes their manifest
        # (hooks.json) beside the stack, and the trigger runs them again whenever its checksum changes.
        self.manifest = hook_manifest(config, hook_inputs)
        if config.target == "snowflake":
            # `cdktf deploy` alone runs the hooks, after everything else, and again when the manifest changes.
            self.hook_trigger = HookTrigger(
                self, "post-apply-hooks", environment=config.name, manifest_file=MANIFEST_FILE,
                manifest_checksum=manifest_checksum(self.manifest),
                ysg_command=os.path.relpath(REPO_ROOT / ".venv" / "bin" / "ysg", stack_dir(DEFAULT_OUTDIR, names.stack)),
                after=[child for child in self.node.find_all() if isinstance(child, b.TerraformResource)])
        # Last, so that the preview features can be read off the finished tree.
        self.provider = b.SnowflakeProvider(
            self, "snowflake",
            organization_name=config.account.organization_name,
            account_name=config.account.account_name,
            # Terraform runs as the deploy role only, never a user's default (docs/index.md:151,159 at
            # v2.11.0, `role`: "Specifies the role to use by default for accessing Snowflake objects in the
            # client session").
            role=names.deploy_role, warehouse=names.warehouse,
            preview_features_enabled=b.preview_features_for(b.resource_types(self)))

    def _backend(self, config: EnvironmentConfig) -> None:
        if config.target == "emulator":
            # The emulator's stack describes what `ysg up` creates locally and must never reach a real
            # account, by any command: ".invalid" is reserved and never resolves (RFC 6761, section 6.4),
            # so Terraform cannot install this provider and `terraform init` fails before any plan.
            self.add_override("terraform.required_providers.snowflake.source", EMULATOR_PROVIDER_SOURCE)
        backend = config.backend
        if backend.type == "local":
            # Terraform runs in cdktf.out/stacks/<stack>/; the configured path is relative to the repo.
            b.LocalBackend(self, path=os.path.relpath(REPO_ROOT / backend.path,
                                                      stack_dir(DEFAULT_OUTDIR, config.names.stack)))
        elif backend.type == "s3":
            b.S3Backend(self, bucket=backend.bucket, key=backend.key, region=backend.region,
                        encrypt=backend.encrypt)
            if backend.use_lockfile:  # S3-native locking (see TERRAFORM_REQUIRED_VERSION); not in these bindings
                self.add_override("terraform.backend.s3.use_lockfile", True)
        else:
            b.RemoteBackend(self, organization=backend.organization, hostname=backend.hostname,
                            workspaces=b.NamedRemoteWorkspace(name=backend.workspace))

    def _outputs(self, config: EnvironmentConfig) -> None:
        names = config.names
        values = {
            "warehouse_name": names.warehouse,
            "database_name": config.database.name,
            "schemas": list(naming.SCHEMAS),
            "functional_roles": list(names.roles.all()),
            "network_policy_name": names.network_policy,
            "service_users": [names.kafka_user, names.salesforce_user],
            "kafka_target_table": naming.qualified(config.database.name, naming.RAW_SCHEMA, USAGE_TABLE),
        }
        for key, value in values.items():
            b.TerraformOutput(self, key, value=value)


def _read(path: Path | None) -> str | None:
    return None if path is None else (REPO_ROOT / path).read_text(encoding="utf-8")
