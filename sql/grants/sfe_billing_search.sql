-- Who may query SFE_BILLING_SEARCH: the intelligence role (the agent) and analysts.
GRANT USAGE ON CORTEX SEARCH SERVICE {{ identifier:database }}.SFE_SHARED_KNOWLEDGE.SFE_BILLING_SEARCH
  TO ROLE {{ identifier:intelligence_role }};

GRANT USAGE ON CORTEX SEARCH SERVICE {{ identifier:database }}.SFE_SHARED_KNOWLEDGE.SFE_BILLING_SEARCH
  TO ROLE {{ identifier:analyst_role }};
