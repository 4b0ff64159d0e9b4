-- SFE_BILLING_AGENT: the Snowflake Intelligence agent, in its default location
-- (SNOWFLAKE_INTELLIGENCE.AGENTS unless configured). Two tools: Cortex Analyst over
-- SV_ACCOUNT_BILLING for numbers, Cortex Search over SFE_BILLING_SEARCH for policy text.
-- The location is account-level, so the agent name carries the environment suffix. An administrator
-- creates the location once (bootstrap/account_prerequisites.sql); the pipeline role creates the agent
-- there through the agent author bridge role (CREATE AGENT on the schema).
CREATE OR REPLACE AGENT {{ identifier:agent_database }}.{{ identifier:agent_schema }}.{{ identifier:agent_name }}
  COMMENT = 'Billing Intelligence: account costs and billing policies'
  PROFILE = '{"display_name": "Billing Intelligence", "color": "blue"}'
  FROM SPECIFICATION
  $$
instructions:
  orchestration: >-
    Use billing_analyst for questions about costs, usage, segments, months and anomalies.
    Use billing_policies for questions about billing policies, guardrails, FAQs and compliance.
  response: >-
    Answer briefly, state the billing month you used, and give amounts in the account currency
    with two decimals. Never reveal billing e-mail addresses or phone numbers.
  sample_questions:
    - question: Which five accounts cost the most in the latest billing month?
    - question: What is our policy on disputed charges in EMEA?
tools:
  - tool_spec:
      type: cortex_analyst_text_to_sql
      name: billing_analyst
      description: Monthly billing per account (voice, data, sms, total, anomaly alerts).
  - tool_spec:
      type: cortex_search
      name: billing_policies
      description: Billing policies, guardrails, FAQs and compliance notes by region.
tool_resources:
  billing_analyst:
    semantic_view: {{ identifier:database }}.SFE_ANALYTICS_COSTS.SV_ACCOUNT_BILLING
    execution_environment:
      type: warehouse
      warehouse: {{ identifier:warehouse }}
  billing_policies:
    name: {{ identifier:database }}.SFE_SHARED_KNOWLEDGE.SFE_BILLING_SEARCH
    max_results: 5
    title_column: doc_title
    id_column: doc_id
  $$;
