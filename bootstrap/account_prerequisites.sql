-- Account-level prerequisites of one environment: what its Terraform and its hooks cannot create or
-- grant themselves. An administrator reviews and runs this once per environment, BEFORE the first
-- `cdktf deploy billing-<env>`, with the roles named in each USE ROLE. Synthesis renders it for each
-- environment into cdktf.out/stacks/billing-<env>/bootstrap.sql; `ysg access <env>` reads that file and
-- labels what it provides "bootstrap (admin, once)". Re-running it changes nothing (IF NOT EXISTS,
-- and a repeated GRANT is a no-op).
--
-- Why bridge roles: the environment's functional roles (SFE_PIPELINE_ROLE, ...) are Terraform's and do
-- not exist yet when this runs, so nothing here can be granted to them. Instead this file creates two
-- roles per environment, gives them what only an administrator may give, and hands their ownership to
-- the Terraform deploy role; the stack then grants them to the functional roles
-- (snowflake_grant_account_role), which the owner of a role may do (GRANT ROLE: "OWNERSHIP | Role |
-- Role that is granted to a user or another role", docs.snowflake.com/en/sql-reference/sql/grant-role).
--   {{ identifier:agent_author_role }}: USAGE on the agents database and schema and CREATE AGENT there
--       -> for the environment's pipeline role, which creates the agent.
--   {{ identifier:agent_user_role }}: SNOWFLAKE.CORTEX_USER and USAGE on the agents database and schema
--       -> for the intelligence, analyst and app roles, which talk to the agent.
--
-- What this file cannot hand over, and the stack must not expect the deploy role to do:
--   * Resource monitors: "Only users with the ACCOUNTADMIN role can create a resource monitor"
--     (docs.snowflake.com/en/user-guide/resource-monitors; CREATE RESOURCE MONITOR: "This command can
--     only be executed by account administrators"); no privilege delegates it. Prod also assigns the
--     account's monitor (ALTER ACCOUNT SET RESOURCE_MONITOR), an account setting the stored docs give no
--     delegable privilege for either. Terraform's monitor resources must run as ACCOUNTADMIN (a second
--     provider) or move to an administrator's step.
--   * SNOWFLAKE.* database roles: granted with ACCOUNTADMIN (sql-reference/sql/grant-database-role).
--   * Tasks and alerts, when their hooks arrive: the roles that resume them need EXECUTE TASK / EXECUTE
--     ALERT on the account, granted here (to the deploy role WITH GRANT OPTION, as APPLY MASKING POLICY).

-- The Snowflake Intelligence agents location, shared by every environment of the account and owned by
-- SYSADMIN (not by any environment, so no environment's deploy can drop it).
USE ROLE SYSADMIN;

CREATE DATABASE IF NOT EXISTS {{ identifier:agent_database }}
  COMMENT = 'Snowflake Intelligence agents of every environment (account-level, owned by SYSADMIN)';

CREATE SCHEMA IF NOT EXISTS {{ identifier:agent_database }}.{{ identifier:agent_schema }};

-- The environment's Terraform deploy role, and the bridge roles it will own.
USE ROLE USERADMIN;

CREATE ROLE IF NOT EXISTS {{ identifier:deploy_role }}
  COMMENT = 'Runs cdktf deploy for this environment; owns what Terraform creates';

GRANT ROLE {{ identifier:deploy_role }} TO ROLE SYSADMIN;

CREATE ROLE IF NOT EXISTS {{ identifier:agent_author_role }}
  COMMENT = 'Creates this environment''s agent in the shared agents schema';

CREATE ROLE IF NOT EXISTS {{ identifier:agent_user_role }}
  COMMENT = 'Talks to this environment''s agent: Cortex and the agents location';

-- What the deploy role needs on the account: the account-level objects of the stack.
USE ROLE ACCOUNTADMIN;

GRANT CREATE ROLE, CREATE DATABASE, CREATE WAREHOUSE, CREATE INTEGRATION, CREATE USER, CREATE NETWORK POLICY
  ON ACCOUNT TO ROLE {{ identifier:deploy_role }};

-- Tags on the database and warehouse, and (prod) the account's network policy.
GRANT APPLY TAG, ATTACH POLICY ON ACCOUNT TO ROLE {{ identifier:deploy_role }};

-- The stack grants APPLY MASKING POLICY to the pipeline role (the PII masking hook); a global privilege
-- is granted onward only by a holder WITH GRANT OPTION or a role with MANAGE GRANTS.
GRANT APPLY MASKING POLICY ON ACCOUNT TO ROLE {{ identifier:deploy_role }} WITH GRANT OPTION;

-- The agent's author and users.
GRANT USAGE ON DATABASE {{ identifier:agent_database }} TO ROLE {{ identifier:agent_author_role }};

GRANT USAGE ON SCHEMA {{ identifier:agent_database }}.{{ identifier:agent_schema }} TO ROLE {{ identifier:agent_author_role }};

GRANT CREATE AGENT ON SCHEMA {{ identifier:agent_database }}.{{ identifier:agent_schema }} TO ROLE {{ identifier:agent_author_role }};

GRANT USAGE ON DATABASE {{ identifier:agent_database }} TO ROLE {{ identifier:agent_user_role }};

GRANT USAGE ON SCHEMA {{ identifier:agent_database }}.{{ identifier:agent_schema }} TO ROLE {{ identifier:agent_user_role }};

GRANT DATABASE ROLE SNOWFLAKE.CORTEX_USER TO ROLE {{ identifier:agent_user_role }};

-- The deploy role owns the bridge roles, so the stack may grant them to the functional roles.
GRANT OWNERSHIP ON ROLE {{ identifier:agent_author_role }} TO ROLE {{ identifier:deploy_role }};

GRANT OWNERSHIP ON ROLE {{ identifier:agent_user_role }} TO ROLE {{ identifier:deploy_role }};
