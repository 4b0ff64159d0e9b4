-- SFE_ANALYTICS_COSTS.SV_ACCOUNT_BILLING: the semantic view Cortex Analyst answers from, over
-- DT_ACCOUNT_BILLING, with dimensions, facts, metrics and verified queries. Created from a semantic
-- model (the documented path for verified queries); the procedure replaces an existing view and
-- copies its grants, like CREATE OR REPLACE SEMANTIC VIEW ... COPY GRANTS.
CALL SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML(
  {{ literal:analytics_schema }},
  $$
name: SV_ACCOUNT_BILLING
description: Monthly telecom billing per account (voice, data, sms), with anomaly alerts.
tables:
  - name: account_billing
    description: One row per account and billing month.
    base_table:
      database: {{ identifier:database }}
      schema: SFE_ANALYTICS_COSTS
      table: DT_ACCOUNT_BILLING
    primary_key:
      columns: [account_id, billing_month]
    dimensions:
      - name: customer_key
        expr: customer_key
        data_type: VARCHAR
      - name: account_id
        expr: account_id
        data_type: NUMBER
      - name: customer_name
        synonyms: [customer, account name]
        expr: customer_name
        data_type: VARCHAR
      - name: segment_name
        synonyms: [segment]
        description: Enterprise, Commercial, SMB or Unassigned.
        expr: segment_name
        data_type: VARCHAR
      - name: latest_alert
        description: >-
          ANOMALY when the month's total exceeds the anomaly factor (1.4 by default) times baseline_cost,
          the average total of the account's up to three billing months before it; NORMAL otherwise,
          and for an account's first month.
        expr: latest_alert
        data_type: VARCHAR
    time_dimensions:
      - name: billing_month
        description: First day of the billing month.
        expr: billing_month
        data_type: DATE
      - name: latest_usage_ts
        expr: latest_usage_ts
        data_type: TIMESTAMP_NTZ
    facts:
      - name: voice_cost
        expr: voice_cost
        data_type: NUMBER
      - name: data_cost
        expr: data_cost
        data_type: NUMBER
      - name: sms_cost
        expr: sms_cost
        data_type: NUMBER
      - name: total_cost
        description: voice_cost + data_cost + sms_cost.
        expr: total_cost
        data_type: NUMBER
      - name: baseline_cost
        description: Average total of the account's up to three billing months before this one (earlier months only).
        expr: baseline_cost
        data_type: NUMBER
      - name: anomaly_score
        description: total_cost / baseline_cost; empty for an account's first month.
        expr: anomaly_score
        data_type: NUMBER
    metrics:
      - name: total_billed
        synonyms: [revenue, total cost, billing]
        expr: SUM(total_cost)
      - name: voice_billed
        expr: SUM(voice_cost)
      - name: data_billed
        expr: SUM(data_cost)
      - name: sms_billed
        expr: SUM(sms_cost)
      - name: billed_accounts
        expr: COUNT(DISTINCT account_id)
      - name: anomalous_account_months
        expr: COUNT_IF(latest_alert = 'ANOMALY')
verified_queries:
  - name: top_accounts_latest_month
    question: Which five accounts cost the most in the latest billing month?
    sql: >-
      SELECT customer_name, total_cost FROM __account_billing
      WHERE billing_month = (SELECT MAX(billing_month) FROM __account_billing)
      ORDER BY total_cost DESC LIMIT 5
    use_as_onboarding_question: true
    verified_by: platform-team
    verified_at: 1763683200
  - name: cost_by_segment_per_month
    question: What is the total billed cost per segment for each month?
    sql: >-
      SELECT billing_month, segment_name, SUM(total_cost) AS total_billed FROM __account_billing
      GROUP BY billing_month, segment_name ORDER BY billing_month, segment_name
    use_as_onboarding_question: true
    verified_by: platform-team
    verified_at: 1763683200
  - name: anomalous_accounts_latest_month
    question: Which accounts had a cost anomaly in the latest billing month?
    sql: >-
      SELECT customer_name, total_cost, baseline_cost, anomaly_score FROM __account_billing
      WHERE latest_alert = 'ANOMALY'
        AND billing_month = (SELECT MAX(billing_month) FROM __account_billing)
      ORDER BY anomaly_score DESC
    use_as_onboarding_question: false
    verified_by: platform-team
    verified_at: 1763683200
  $$
);
