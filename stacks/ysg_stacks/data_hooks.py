"""The platform's post-apply SQL hooks for one environment: the data flow after `cdktf deploy`.

Each hook is one file under sql/; parameters come from the environment's names and its `hooks`
configuration. Hooks that need services the embedded emulator lacks say so, with the reason shown
when `ysg up` skips them.
"""
from __future__ import annotations

import hashlib
import json

from ysg_core import naming
from ysg_core.config import EnvironmentConfig
from ysg_core.knowledge import documents_json
from ysg_core.paths import REPO_ROOT
from ysg_hooks.declare import HookDeclaration, manifest_of
from ysg_hooks.effects import DELETE, DELETE_ALL, INSERT, MERGE, PUT, SET_MASKING_POLICY
from ysg_hooks.manifest import Manifest, Write

MASKING = "masking policies are Snowflake-only: the emulator (fakesnow) cannot create or apply them"
GRANTS = "GRANT is Snowflake-only: the emulator (fakesnow) has no roles or privileges"
CORTEX_SEARCH = "Cortex Search is a Snowflake service the emulator does not have"
ML = "SNOWFLAKE.ML.CLASSIFICATION (training, PREDICT, evaluation) runs only in Snowflake"
SEMANTIC_VIEW = "semantic views (Cortex Analyst) exist only in Snowflake"
AGENT = "Snowflake Intelligence agents exist only in Snowflake"
STREAMLIT = "Streamlit in Snowflake apps exist only in Snowflake (locally, `ysg app` serves app/)"
TASK = ("tasks and the Salesforce external function are Snowflake-only; `ysg up` runs the task's MERGE "
        "over data/salesforce/sample_responses.json instead")
ALERT = ("alerts and e-mail are Snowflake-only; `ysg up` evaluates the alert's condition view instead "
         "(the app's Spend guardrails page shows it)")


BILLING_OPS_APP_COMMENT = "Billing Ops: cost overview, anomalies, churn risk, spend guardrails, billing agent"


class HookInputs:
    """What every environment's hooks read from the repository (the knowledge documents, the app's
    files), read once per synthesis rather than once per environment."""

    def __init__(self):
        self.documents = documents_json()
        self.app_files_sha256 = app_files_digest()


def declarations(config: EnvironmentConfig, inputs: HookInputs) -> list[HookDeclaration]:
    """Every hook of an environment, as declarations (plain Python: no construct, no jsii)."""
    names = config.names
    roles = names.roles
    hooks_config = config.hooks
    db = {"database": config.database.name}
    agent = {"agent_database": hooks_config.agent_database, "agent_schema": hooks_config.agent_schema,
             "agent_name": names.agent}
    declared: list[HookDeclaration] = []

    def hook(name: str, params: dict, depends_on: tuple[str, ...] = (), reason: str = "",
             role: str | None = None, creates: tuple[str, ...] = (), writes: tuple[Write, ...] = ()) -> None:
        # The name is also the file: "analytics.dim_customer" is sql/analytics/dim_customer.sql.
        declared.append(HookDeclaration(name=name, params=params, depends_on=depends_on, snowflake_only=bool(reason),
                                        reason=reason, role=role, creates=creates, writes=writes))

    def in_db(schema: str, *objects: str) -> tuple[str, ...]:
        """Objects of the environment's database, named in full as the hooks' statements name them."""
        return tuple(naming.qualified(config.database.name, schema, o) for o in objects)

    stg, raw, analytics, knowledge = (naming.STG_SCHEMA, naming.RAW_SCHEMA, naming.ANALYTICS_SCHEMA,
                                      naming.KNOWLEDGE_SCHEMA)
    (salesforce_accounts,) = in_db(raw, "SALESFORCE_ACCOUNTS")
    churn_predictions, churn_metrics = in_db(analytics, "CHURN_PREDICTIONS", "CHURN_MODEL_METRICS")

    hook("stg.pii_masking_policy",
         {**db, "admin_role": roles.admin, "engineer_role": roles.engineer, "ingest_role": roles.ingest},
         reason=MASKING, creates=in_db(stg, "SFE_PII_MASK"),
         writes=(Write(salesforce_accounts, (SET_MASKING_POLICY,),
                       "attaches the PII mask to the billing e-mail and phone columns"),))
    anomaly = {"anomaly_factor": hooks_config.anomaly_factor}
    hook("stg.v_usage_enriched", {**db, **anomaly}, creates=in_db(stg, "V_USAGE_ENRICHED"))
    hook("analytics.dim_customer", db, creates=in_db(analytics, "DIM_CUSTOMER"))
    hook("analytics.fct_account_costs", {**db, **anomaly}, depends_on=("stg.v_usage_enriched", "analytics.dim_customer"),
         creates=in_db(analytics, "FCT_ACCOUNT_COSTS"))
    hook("analytics.dt_account_billing", {**db, **anomaly, "warehouse": names.warehouse},
         creates=in_db(analytics, "DT_ACCOUNT_BILLING"))
    hook("analytics.v_churn_features", db, creates=in_db(analytics, "V_CHURN_FEATURES"))
    hook("analytics.v_churn_labels", db, depends_on=("analytics.v_churn_features",),
         creates=in_db(analytics, "V_CHURN_LABELS"))
    churn_views = ("analytics.v_churn_features", "analytics.v_churn_labels")
    hook("analytics.v_churn_training", db, depends_on=churn_views, creates=in_db(analytics, "V_CHURN_TRAINING"))
    hook("analytics.v_churn_holdout", db, depends_on=churn_views, creates=in_db(analytics, "V_CHURN_HOLDOUT"))
    hook("analytics.v_churn_scoring", db, depends_on=("analytics.v_churn_features",),
         creates=in_db(analytics, "V_CHURN_SCORING"))
    hook("analytics.churn_predictions", db, creates=(churn_predictions,))
    hook("analytics.churn_model_metrics", db, creates=(churn_metrics,))
    hook("analytics.sfe_churn_classifier",
         {**db, "training_view": naming.qualified(config.database.name, naming.ANALYTICS_SCHEMA,
                                                  "V_CHURN_TRAINING")},
         depends_on=("analytics.v_churn_training", "analytics.v_churn_holdout", "analytics.v_churn_scoring",
                     "analytics.churn_predictions", "analytics.churn_model_metrics"), reason=ML,
         creates=in_db(analytics, "SFE_CHURN_CLASSIFIER", "CHURN_HOLDOUT_OUTCOMES", "CHURN_HOLDOUT_SUMMARY"),
         writes=(Write(churn_predictions, (DELETE_ALL, INSERT), "replaces every score with the new model's"),
                 Write(churn_metrics, (DELETE_ALL, INSERT), "replaces the metrics with the new model's held-out ones")))
    hook("raw.sfe_salesforce_sync_task",
         {**db, "warehouse": names.warehouse, "schedule": hooks_config.salesforce_sync_schedule}, reason=TASK,
         creates=in_db(raw, "SFE_SALESFORCE_SYNC_TASK"),
         writes=(Write(salesforce_accounts, (MERGE,), "the task merges Salesforce's accounts in, on its schedule"),))
    monitors = config.resource_monitors
    hook("analytics.v_anomaly_alert_condition", {**db, **anomaly}, depends_on=("analytics.dt_account_billing",),
         creates=in_db(analytics, "V_ANOMALY_ALERT_CONDITION"))
    hook("analytics.v_credit_alert_condition",
         {**db, "warehouse_name": names.warehouse, "monitor_name": names.warehouse_monitor,
          "credit_quota": monitors.warehouse_credit_quota, "notify_at_percent": json.dumps(monitors.notify_at_percent)},
         creates=in_db(analytics, "V_CREDIT_ALERT_CONDITION"))
    alerts = {**db, "warehouse": names.warehouse, "schedule": config.alerts.schedule,
              "integration": names.alerts_email_integration,
              "recipients": ",".join(config.alerts.email_recipients)}
    hook("analytics.sfe_anomaly_alert",
         {**alerts, "subject": f"[Billing Intelligence {config.name}] New anomalous account-months"},
         depends_on=("analytics.v_anomaly_alert_condition",), reason=ALERT, creates=in_db(analytics, "SFE_ANOMALY_ALERT"))
    hook("analytics.sfe_credit_alert",
         {**alerts, "subject": f"[Billing Intelligence {config.name}] Warehouse credits crossed a monitor threshold"},
         depends_on=("analytics.v_credit_alert_condition",), reason=ALERT, creates=in_db(analytics, "SFE_CREDIT_ALERT"))
    hook("analytics.sv_account_billing",
         {**db, "analytics_schema": naming.qualified(config.database.name, naming.ANALYTICS_SCHEMA)},
         depends_on=("analytics.dt_account_billing",), reason=SEMANTIC_VIEW, creates=in_db(analytics, "SV_ACCOUNT_BILLING"))
    hook("knowledge.billing_kb", {**db, "documents": inputs.documents},
         writes=(Write(*in_db(knowledge, "BILLING_KB"), (MERGE, DELETE),
                       "loads the policy documents of data/knowledge/ and removes those no longer there"),))
    hook("knowledge.sfe_billing_search",
         {**db, "warehouse": names.warehouse, "search_target_lag": hooks_config.search_target_lag},
         depends_on=("knowledge.billing_kb",), reason=CORTEX_SEARCH, creates=in_db(knowledge, "SFE_BILLING_SEARCH"))
    hook("intelligence.sfe_billing_agent", {**db, **agent, "warehouse": names.warehouse},
         depends_on=("analytics.sv_account_billing", "knowledge.sfe_billing_search"), reason=AGENT,
         # The agents database and schema are the administrator's (bootstrap/); the hook creates the agent.
         creates=(naming.qualified(hooks_config.agent_database, hooks_config.agent_schema, names.agent),))
    # USAGE on the search service and SELECT on the semantic view come from the schemas' future grants
    # (Terraform): in a managed access schema their owner could not grant them.
    hook("grants.sfe_billing_agent", {**agent, "intelligence_role": roles.intelligence, "analyst_role": roles.analyst,
                                      "streamlit_role": roles.streamlit},
         depends_on=("intelligence.sfe_billing_agent",), reason=GRANTS)
    hook("app.stage_streamlit_files", {**db, "app_files_sha256": inputs.app_files_sha256},
         writes=(Write(*in_db(analytics, naming.BILLING_OPS_APP_STAGE), (PUT,), "stages the app's files for Streamlit"),))
    hook("app.sfe_billing_ops_app",
         {**db, "warehouse": names.warehouse, "main_file": naming.BILLING_OPS_APP_MAIN_FILE,
          "title": naming.BILLING_OPS_APP_TITLE, "comment": BILLING_OPS_APP_COMMENT,
          "source": "@" + naming.qualified(config.database.name, naming.ANALYTICS_SCHEMA, naming.BILLING_OPS_APP_STAGE)},
         depends_on=("app.stage_streamlit_files",), reason=STREAMLIT, role=roles.streamlit,
         creates=in_db(analytics, naming.BILLING_OPS_APP))
    return declared


def app_files() -> list[str]:
    """The Billing Ops app's files, as staged for Streamlit in Snowflake (repository-relative)."""
    app = REPO_ROOT / "app"
    return sorted(str(p.relative_to(REPO_ROOT)) for p in app.rglob("*")
                  if p.is_file() and p.suffix in (".py", ".yml") and "__pycache__" not in p.parts)


def app_files_digest() -> str:
    digest = hashlib.sha256()
    for name in app_files():
        digest.update(name.encode() + b"\x00" + (REPO_ROOT / name).read_bytes() + b"\x00")
    return f"sha256:{digest.hexdigest()}"


def hook_manifest(config: EnvironmentConfig, inputs: HookInputs | None = None) -> Manifest:
    """The environment's hooks.json, from its declarations: the hooks that run there, rendered and in
    dependency order, with the role and warehouse the runner pins (the environment's pipeline role and
    billing warehouse). Synthesis writes it; `ysg hooks apply` derives it again (without jsii) and applies
    a manifest only if it is this one."""
    names = config.names
    return manifest_of(declarations(config, inputs or HookInputs()), environment=config.name, stack=names.stack,
                       target=config.target, role=names.roles.pipeline, warehouse=names.warehouse)
