-- Who may ask Cortex Analyst over SV_ACCOUNT_BILLING: the agent's role, analysts and the app.
-- (Tables, views and dynamic tables are covered by the schemas' future grants in Terraform.)
GRANT SELECT ON SEMANTIC VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.SV_ACCOUNT_BILLING
  TO ROLE {{ identifier:intelligence_role }};

GRANT SELECT ON SEMANTIC VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.SV_ACCOUNT_BILLING
  TO ROLE {{ identifier:analyst_role }};

GRANT SELECT ON SEMANTIC VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.SV_ACCOUNT_BILLING
  TO ROLE {{ identifier:streamlit_role }};
