-- SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP: the Billing Ops Streamlit app, created by the role it runs as.
-- A Streamlit app runs with its owner's rights and "runs with the role of the user who originally
-- created the app" (https://docs.snowflake.com/en/developer-guide/streamlit/owners-rights); ownership of
-- an app cannot be transferred (GRANT OWNERSHIP names no STREAMLIT), so this hook runs as the app role.
-- FROM copies the files the staging hook put on the stage, so the app is replaced whenever they change
-- (this hook depends on that one); USAGE for viewers is a future grant Terraform made, applied anew.
-- https://docs.snowflake.com/en/sql-reference/sql/create-streamlit
CREATE OR REPLACE STREAMLIT {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP
  FROM {{ literal:source }}
  MAIN_FILE = {{ literal:main_file }}
  QUERY_WAREHOUSE = {{ identifier:warehouse }}
  TITLE = {{ literal:title }}
  COMMENT = {{ literal:comment }};
