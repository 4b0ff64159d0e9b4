-- Who may talk to the environment's agent: the intelligence role, analysts and the Billing Ops app
-- (its "Ask the agent" page runs the agent as the app's role). Run by the agent's owner, the pipeline
-- role: the agents schema is not a managed access schema (bootstrap/), so the owner of an object in it
-- grants on it ("each securable object has an owner that can grant access to other roles",
-- https://docs.snowflake.com/user-guide/security-access-control-overview). SNOWFLAKE.CORTEX_USER and USAGE
-- on the agents database and schema come through the agent user bridge role the stack grants these roles.
-- CREATE OR REPLACE AGENT drops these grants, so this hook re-runs whenever the agent's does.
GRANT USAGE ON AGENT {{ identifier:agent_database }}.{{ identifier:agent_schema }}.{{ identifier:agent_name }}
  TO ROLE {{ identifier:intelligence_role }};

GRANT USAGE ON AGENT {{ identifier:agent_database }}.{{ identifier:agent_schema }}.{{ identifier:agent_name }}
  TO ROLE {{ identifier:analyst_role }};

GRANT USAGE ON AGENT {{ identifier:agent_database }}.{{ identifier:agent_schema }}.{{ identifier:agent_name }}
  TO ROLE {{ identifier:streamlit_role }};
