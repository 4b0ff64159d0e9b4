-- The account's resource monitor: only for the one environment that governs the account
-- (resource_monitors.attach_account_monitor), appended to its bootstrap.sql. An account has one
-- monitor at account level, assigned by ALTER ACCOUNT, an account administrator's setting
-- ("For example, the account administrator can set the resource monitor",
-- docs.snowflake.com/en/sql-reference/sql/alter-account). Terraform adopts the monitor (imports.tf.json)
-- and keeps its quota and thresholds as configured, with MODIFY granted here.
USE ROLE ACCOUNTADMIN;

CREATE RESOURCE MONITOR IF NOT EXISTS {{ identifier:account_monitor }}
  WITH CREDIT_QUOTA = {{ number:account_credit_quota }}
  TRIGGERS ON 100 PERCENT DO SUSPEND ON {{ number:suspend_immediately_at_percent }} PERCENT DO SUSPEND_IMMEDIATE;

GRANT MONITOR, MODIFY ON RESOURCE MONITOR {{ identifier:account_monitor }} TO ROLE {{ identifier:deploy_role }}
  WITH GRANT OPTION;

ALTER ACCOUNT SET RESOURCE_MONITOR = {{ identifier:account_monitor }};
