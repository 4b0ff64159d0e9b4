-- Puts the Billing Ops app's files on its stage (post-apply; the stage and the STREAMLIT object are
-- Terraform's). Paths are relative to the repository root: the hook runner makes them absolute when it
-- runs (wherever it was started; `cdktf deploy` starts it in the stack's folder), so hooks.json holds no
-- path of any machine, and synthesis refuses an absolute path or one leaving the root. One PUT per
-- file: PUT with a wildcard would also pick up caches and editor files. Keep in step with app/
-- (tests/sql/app/test_stage_streamlit_files.py fails when a file of the app is missing here).
-- The digest of the app's files: it changes the hook's checksum whenever a file does, so the
-- runner stages the app again (the PUTs alone read the same whatever the files hold).
SELECT {{ literal:app_files_sha256 }} AS app_files_sha256;
PUT 'file://app/Cost_overview.py' @{{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE;
PUT 'file://app/billing_data.py' @{{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE;
PUT 'file://app/page_support.py' @{{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE;
PUT 'file://app/environment.yml' @{{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE;
PUT 'file://app/pages/1_Anomalies.py' @{{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE/pages/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE;
PUT 'file://app/pages/2_Churn_risk.py' @{{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE/pages/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE;
PUT 'file://app/pages/3_Spend_guardrails.py' @{{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE/pages/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE;
PUT 'file://app/pages/4_Ask_the_agent.py' @{{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE/pages/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE;
