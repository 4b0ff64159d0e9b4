-- SFE_SHARED_KNOWLEDGE.SFE_BILLING_SEARCH: Cortex Search over the billing policy documents, filterable
-- by document type and region. The target lag comes from configuration (hooks.search_target_lag,
-- one hour by default: a one-minute lag keeps the warehouse awake all day).
CREATE OR REPLACE CORTEX SEARCH SERVICE {{ identifier:database }}.SFE_SHARED_KNOWLEDGE.SFE_BILLING_SEARCH
  ON doc_body
  ATTRIBUTES doc_type, region_code
  WAREHOUSE = {{ identifier:warehouse }}
  TARGET_LAG = {{ literal:search_target_lag }}
  EMBEDDING_MODEL = 'snowflake-arctic-embed-m-v1.5'
  COMMENT = 'Billing policies, guardrails, FAQs and compliance notes'
AS (
    SELECT doc_id, doc_type, doc_title, doc_body, region_code, last_reviewed
    FROM {{ identifier:database }}.SFE_SHARED_KNOWLEDGE.BILLING_KB
);
