"""stacks/ysg_stacks/data_hooks.py and the hook manifest synthesis writes beside each cdk.tf.json."""
from ysg_core.sqlcheck import check_statement
from ysg_hooks.manifest import load_manifest
from ysg_stacks.data_hooks import app_files

# How each statement of each hook is checked, in statement order: "sqlglot" parsed it into a typed
# expression; "grammar" means sqlglot sees only a generic Command, so the statement matched the
# documented grammar of its head, with balanced quoting and its embedded SQL/YAML/JSON parsed
# (core/ysg_core/sqlcheck.py, GRAMMARS). The same in every environment.
EXPECTED_CHECKS = {
    # CREATE TABLE IF NOT EXISTS, then the ALTERs that bring an older table to the contract's shape.
    "analytics.churn_model_metrics": ["sqlglot"] * 3,
    "analytics.churn_predictions": ["sqlglot"] * 2,
    "analytics.dim_customer": ["sqlglot"],
    "analytics.v_churn_features": ["sqlglot"],
    "analytics.v_churn_labels": ["sqlglot"],
    "analytics.v_churn_holdout": ["sqlglot"],
    "analytics.v_churn_scoring": ["sqlglot"],
    "analytics.v_anomaly_alert_condition": ["sqlglot"],
    "analytics.v_credit_alert_condition": ["sqlglot"],
    "raw.sfe_salesforce_sync_task": ["grammar: CREATE TASK", "grammar: ALTER TASK RESUME"],
    "analytics.sfe_anomaly_alert": ["grammar: CREATE ALERT", "grammar: ALTER ALERT RESUME"],
    "analytics.sfe_credit_alert": ["grammar: CREATE ALERT", "grammar: ALTER ALERT RESUME"],
    "knowledge.billing_kb": ["sqlglot", "sqlglot"],
    "stg.pii_masking_policy": ["grammar: CREATE MASKING POLICY", "grammar: ALTER MASKING POLICY SET BODY",
                               "grammar: ALTER TABLE MODIFY COLUMN SET MASKING POLICY",
                               "grammar: ALTER TABLE MODIFY COLUMN SET MASKING POLICY"],
    "stg.v_usage_enriched": ["sqlglot"],
    "analytics.dt_account_billing": ["sqlglot"],
    "analytics.fct_account_costs": ["sqlglot"],
    "analytics.v_churn_training": ["sqlglot"],
    "knowledge.sfe_billing_search": ["grammar: CREATE CORTEX SEARCH SERVICE"],
    # CREATE, then predictions (DELETE, INSERT), the held-out outcomes and summary, metrics (DELETE, INSERT).
    "analytics.sfe_churn_classifier": ["grammar: CREATE SNOWFLAKE.ML.CLASSIFICATION"] + ["sqlglot"] * 6,
    "analytics.sv_account_billing": ["grammar: CALL SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML"],
    # The agents location is the administrator's (bootstrap/); USAGE on the search service and SELECT on
    # the semantic view come from the schemas' future grants, so only the agent's own grants remain.
    "intelligence.sfe_billing_agent": ["grammar: CREATE AGENT"],
    "grants.sfe_billing_agent": ["grammar: GRANT <privileges> ON <AI object>"] * 3,
    # The app files' digest, then one PUT per file.
    "app.stage_streamlit_files": ["sqlglot"] * (1 + len(app_files())),
    "app.sfe_billing_ops_app": ["grammar: CREATE STREAMLIT"],
}
SNOWFLAKE_ONLY = {"stg.pii_masking_policy", "knowledge.sfe_billing_search", "analytics.sfe_churn_classifier",
                  "analytics.sv_account_billing", "intelligence.sfe_billing_agent",
                  "grants.sfe_billing_agent", "app.sfe_billing_ops_app",
                  "raw.sfe_salesforce_sync_task", "analytics.sfe_anomaly_alert", "analytics.sfe_credit_alert"}


def _level(statement: str) -> str:
    check = check_statement(statement)
    return "sqlglot" if check.level == "sqlglot" else f"grammar: {check.grammar}"


def test_every_hook_renders_for_every_environment_and_every_statement_is_checked(synthesized):
    checked = {env: {hook.name: [_level(s) for s in hook.statements] for hook in load_manifest(d).hooks}
               for env, d in synthesized.items()}
    assert checked == {env: EXPECTED_CHECKS for env in synthesized}


def test_the_manifest_is_in_dependency_order_with_the_emulator_gaps_marked(synthesized):
    manifest = load_manifest(synthesized["local"])
    assert ((manifest.target, manifest.stack), {h.name for h in manifest.hooks if h.snowflake_only},
            all(h.reason for h in manifest.hooks if h.snowflake_only)) == (
        ("emulator", "billing-local"), SNOWFLAKE_ONLY, True)


def test_names_come_from_the_environment(synthesized):
    dev = load_manifest(synthesized["dev"]).by_name()
    prod = load_manifest(synthesized["prod"]).by_name()
    assert (dev["grants.sfe_billing_agent"].statements[1],
            prod["grants.sfe_billing_agent"].statements[1]) == (
        "GRANT USAGE ON AGENT SNOWFLAKE_INTELLIGENCE.AGENTS.SFE_BILLING_AGENT_DEV\n  TO ROLE BILLING_ANALYST_ROLE_DEV",
        "GRANT USAGE ON AGENT SNOWFLAKE_INTELLIGENCE.AGENTS.SFE_BILLING_AGENT\n  TO ROLE BILLING_ANALYST_ROLE")


def test_search_target_lag_and_dynamic_table_lag_are_rendered(synthesized):
    hooks = load_manifest(synthesized["staging"]).by_name()
    search, = hooks["knowledge.sfe_billing_search"].statements
    dt, = hooks["analytics.dt_account_billing"].statements
    assert ("TARGET_LAG = '1 hour'" in search, "TARGET_LAG = '15 minutes'" in dt,
            "WAREHOUSE = SFE_BILLING_WH_STAGING" in dt, "REFRESH_MODE = INCREMENTAL" in dt,
            "CURRENT_TIMESTAMP" in dt.upper(), "CURRENT_DATE" in dt.upper()) == (True, True, True, True, False, False)


def test_the_sync_task_and_the_alerts_run_on_the_environments_warehouse_and_schedule(synthesized, configs):
    found, expected = {}, {}
    for env, directory in synthesized.items():
        hooks = load_manifest(directory).by_name()
        config = configs[env]
        for name in ("raw.sfe_salesforce_sync_task", "analytics.sfe_anomaly_alert", "analytics.sfe_credit_alert"):
            create = hooks[name].statements[0]
            found[(env, name)] = (f"WAREHOUSE = {config.names.warehouse}\n" in create,
                                  "SCHEDULE = 'USING CRON" in create, hooks[name].statements[1].endswith("RESUME"))
            expected[(env, name)] = (True, True, True)
    assert found == expected


def test_the_alerts_write_to_the_environments_recipients_through_its_integration(synthesized, configs):
    prod = load_manifest(synthesized["prod"]).by_name()["analytics.sfe_credit_alert"].statements[0]
    dev = load_manifest(synthesized["dev"]).by_name()["analytics.sfe_anomaly_alert"].statements[0]
    assert ("'SFE_BILLING_ALERTS_EMAIL'" in prod, "'" + ",".join(configs["prod"].alerts.email_recipients) + "'" in prod,
            "'SFE_BILLING_ALERTS_EMAIL_DEV'" in dev) == (True, True, True)


def test_the_credit_alert_condition_carries_the_monitors_quota_and_thresholds(synthesized, configs):
    statement, = load_manifest(synthesized["staging"]).by_name()["analytics.v_credit_alert_condition"].statements
    monitors = configs["staging"].resource_monitors
    assert (f"PARSE_JSON('{monitors.notify_at_percent}')" in statement,
            f"{monitors.warehouse_credit_quota} * t.threshold_percent / 100" in statement,
            "'SFE_BILLING_WH_STAGING'" in statement) == (True, True, True)
