-- Who may talk to SFE_BILLING_AGENT: the intelligence role and analysts, who also need the Cortex
-- user database role and usage on the agent's location.
GRANT DATABASE ROLE SNOWFLAKE.CORTEX_USER TO ROLE {{ identifier:intelligence_role }};

GRANT DATABASE ROLE SNOWFLAKE.CORTEX_USER TO ROLE {{ identifier:analyst_role }};

GRANT USAGE ON DATABASE {{ identifier:agent_database }} TO ROLE {{ identifier:intelligence_role }};

GRANT USAGE ON DATABASE {{ identifier:agent_database }} TO ROLE {{ identifier:analyst_role }};

GRANT USAGE ON SCHEMA {{ identifier:agent_database }}.{{ identifier:agent_schema }}
  TO ROLE {{ identifier:intelligence_role }};

GRANT USAGE ON SCHEMA {{ identifier:agent_database }}.{{ identifier:agent_schema }}
  TO ROLE {{ identifier:analyst_role }};

GRANT USAGE ON AGENT {{ identifier:agent_database }}.{{ identifier:agent_schema }}.{{ identifier:agent_name }}
  TO ROLE {{ identifier:intelligence_role }};

GRANT USAGE ON AGENT {{ identifier:agent_database }}.{{ identifier:agent_schema }}.{{ identifier:agent_name }}
  TO ROLE {{ identifier:analyst_role }};
