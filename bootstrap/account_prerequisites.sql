-- Account-level prerequisites of one environment: what its Terraform and its hooks cannot create or
-- grant themselves. An administrator reviews and runs this once per environment, BEFORE the first
-- `cdktf deploy billing-<env>`, with the roles named in each USE ROLE, and again whenever a value it
-- renders changes (quotas, warehouse): every statement converges (IF NOT EXISTS, then ALTER ... SET;
-- a repeated GRANT is a no-op). Synthesis renders it for each environment into
-- cdktf.out/stacks/billing-<env>/bootstrap.sql; `ysg access <env>` reads that file and labels what it
-- provides "bootstrap (admin, once)".
--
-- Who does what (README, "Ownership and roles"):
--   {{ identifier:deploy_role }} is the only role Terraform runs as (the provider's `role`); it owns
--       what Terraform creates. {{ identifier:deploy_user }} logs in for `cdktf deploy` and, through it,
--       for the post-apply hooks, which it runs as the pipeline and app roles (the stack grants them to it).
--   The warehouse and its resource monitor are created HERE, because "Only users with the ACCOUNTADMIN
--       role can create a resource monitor, but an account administrator can grant privileges to other
--       roles to allow other users to view and modify resource monitors"
--       (docs.snowflake.com/en/user-guide/resource-monitors) and the account's monitor is assigned by
--       ALTER ACCOUNT, which "Allows account administrators (that is, users with the ACCOUNTADMIN role)
--       to modify parameters and other settings at the account level. For example, the account
--       administrator can set the resource monitor" (docs.snowflake.com/en/sql-reference/sql/alter-account).
--       The warehouse is created already assigned to its monitor, then handed to the deploy role;
--       Terraform adopts both (import blocks in imports.tf.json) and keeps their settings as configured:
--       the warehouse as its owner, the monitors with MODIFY granted below.
--   Bridge roles: the environment's functional roles (SFE_PIPELINE_ROLE, ...) are Terraform's and do not
--       exist yet when this runs, so nothing here can be granted to them. Instead this file creates
--       bridge roles, gives them what only an administrator may give, and hands their ownership to the
--       deploy role; the stack grants them to the functional roles (snowflake_grant_account_role),
--       which the owner of a role may do (GRANT ROLE: "OWNERSHIP | Role | Role that is granted to a user
--       or another role", docs.snowflake.com/en/sql-reference/sql/grant-role).
--         {{ identifier:agent_author_role }}: USAGE on the agents database and schema, CREATE AGENT there
--             -> the pipeline role, which creates the agent.
--         {{ identifier:agent_user_role }}: SNOWFLAKE.CORTEX_USER, USAGE on the agents database and schema
--             -> the intelligence, analyst and app roles, which talk to the agent.
--         {{ identifier:usage_reader_role }}: SNOWFLAKE.USAGE_VIEWER, which "provides visibility into
--             historical usage information" (docs.snowflake.com/en/sql-reference/snowflake-db-roles)
--             -> the pipeline role, whose credit alert reads ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY.
--       SNOWFLAKE.* database roles are granted with ACCOUNTADMIN (sql-reference/sql/grant-database-role).

-- The Snowflake Intelligence agents location, shared by every environment of the account and owned by
-- SYSADMIN (not by any environment, so no environment's deploy can drop it). Not a managed access
-- schema: each environment's pipeline role owns its agent and grants USAGE on it.
USE ROLE SYSADMIN;

CREATE DATABASE IF NOT EXISTS {{ identifier:agent_database }}
  COMMENT = 'Snowflake Intelligence agents of every environment (account-level, owned by SYSADMIN)';

CREATE SCHEMA IF NOT EXISTS {{ identifier:agent_database }}.{{ identifier:agent_schema }};

-- The environment's deploy role and user, and the bridge roles the deploy role will own.
USE ROLE USERADMIN;

CREATE ROLE IF NOT EXISTS {{ identifier:deploy_role }}
  COMMENT = 'Runs cdktf deploy for this environment; owns what Terraform creates';

GRANT ROLE {{ identifier:deploy_role }} TO ROLE SYSADMIN;

CREATE USER IF NOT EXISTS {{ identifier:deploy_user }}
  TYPE = SERVICE
  DEFAULT_ROLE = {{ identifier:deploy_role }}
  DEFAULT_WAREHOUSE = {{ identifier:warehouse }}
  DEFAULT_SECONDARY_ROLES = ()
  COMMENT = 'cdktf deploy and its post-apply hooks; key-pair authentication (README, First deploy)';

-- No secondary roles, also for a user that existed before: "Authorization to perform any SQL action other
-- than creating objects can be provided by secondary roles" (sql-reference/sql/use-role), and a user whose
-- DEFAULT_SECONDARY_ROLES is unset gets ('ALL') (release-notes/bcr-bundles/2024_08/bcr-1692). With them,
-- a hook pinned to the pipeline role would also act with the deploy role's and the app role's privileges.
ALTER USER {{ identifier:deploy_user }} SET DEFAULT_SECONDARY_ROLES = ();

GRANT ROLE {{ identifier:deploy_role }} TO USER {{ identifier:deploy_user }};

CREATE ROLE IF NOT EXISTS {{ identifier:agent_author_role }}
  COMMENT = 'Creates this environment''s agent in the shared agents schema';

CREATE ROLE IF NOT EXISTS {{ identifier:agent_user_role }}
  COMMENT = 'Talks to this environment''s agent: Cortex and the agents location';

CREATE ROLE IF NOT EXISTS {{ identifier:usage_reader_role }}
  COMMENT = 'Reads ACCOUNT_USAGE usage history for this environment''s credit alert';

-- Monitors and the warehouse: an account administrator's.
USE ROLE ACCOUNTADMIN;

-- Suspends at the quota from the first moment; Terraform then adds the notify thresholds and users.
CREATE RESOURCE MONITOR IF NOT EXISTS {{ identifier:warehouse_monitor }}
  WITH CREDIT_QUOTA = {{ number:warehouse_credit_quota }}
  TRIGGERS ON 100 PERCENT DO SUSPEND ON {{ number:suspend_immediately_at_percent }} PERCENT DO SUSPEND_IMMEDIATE;

GRANT MONITOR, MODIFY ON RESOURCE MONITOR {{ identifier:warehouse_monitor }} TO ROLE {{ identifier:deploy_role }}
  WITH GRANT OPTION;

CREATE WAREHOUSE IF NOT EXISTS {{ identifier:warehouse }}
  WITH WAREHOUSE_SIZE = {{ identifier:warehouse_size }}
  AUTO_SUSPEND = {{ number:auto_suspend_seconds }}
  AUTO_RESUME = TRUE
  INITIALLY_SUSPENDED = TRUE
  RESOURCE_MONITOR = {{ identifier:warehouse_monitor }};

ALTER WAREHOUSE {{ identifier:warehouse }} SET RESOURCE_MONITOR = {{ identifier:warehouse_monitor }};

GRANT OWNERSHIP ON WAREHOUSE {{ identifier:warehouse }} TO ROLE {{ identifier:deploy_role }} COPY CURRENT GRANTS;

-- What the deploy role needs on the account: the account-level objects of the stack.
GRANT CREATE ROLE, CREATE DATABASE, CREATE INTEGRATION, CREATE USER, CREATE NETWORK POLICY
  ON ACCOUNT TO ROLE {{ identifier:deploy_role }};

-- Tags on the database and warehouse, and (prod) the account's network policy.
GRANT APPLY TAG, ATTACH POLICY ON ACCOUNT TO ROLE {{ identifier:deploy_role }};

-- The stack grants these to the pipeline role (the PII masking hook; resuming the Salesforce sync task
-- and the cost alerts). A global privilege is granted onward only by a holder WITH GRANT OPTION or a
-- role with MANAGE GRANTS.
GRANT APPLY MASKING POLICY, EXECUTE TASK, EXECUTE ALERT ON ACCOUNT TO ROLE {{ identifier:deploy_role }}
  WITH GRANT OPTION;

-- The agent's author and users, and the usage reader.
GRANT USAGE ON DATABASE {{ identifier:agent_database }} TO ROLE {{ identifier:agent_author_role }};

GRANT USAGE ON SCHEMA {{ identifier:agent_database }}.{{ identifier:agent_schema }} TO ROLE {{ identifier:agent_author_role }};

GRANT CREATE AGENT ON SCHEMA {{ identifier:agent_database }}.{{ identifier:agent_schema }} TO ROLE {{ identifier:agent_author_role }};

GRANT USAGE ON DATABASE {{ identifier:agent_database }} TO ROLE {{ identifier:agent_user_role }};

GRANT USAGE ON SCHEMA {{ identifier:agent_database }}.{{ identifier:agent_schema }} TO ROLE {{ identifier:agent_user_role }};

GRANT DATABASE ROLE SNOWFLAKE.CORTEX_USER TO ROLE {{ identifier:agent_user_role }};

GRANT DATABASE ROLE SNOWFLAKE.USAGE_VIEWER TO ROLE {{ identifier:usage_reader_role }};

-- The deploy role owns the bridge roles, so the stack may grant them to the functional roles.
GRANT OWNERSHIP ON ROLE {{ identifier:agent_author_role }} TO ROLE {{ identifier:deploy_role }};

GRANT OWNERSHIP ON ROLE {{ identifier:agent_user_role }} TO ROLE {{ identifier:deploy_role }};

GRANT OWNERSHIP ON ROLE {{ identifier:usage_reader_role }} TO ROLE {{ identifier:deploy_role }};
