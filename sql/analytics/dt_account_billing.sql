-- SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING: the dynamic table agents and dashboards read, at most 15
-- minutes behind the landing tables. Deterministic on purpose (no CURRENT_TIMESTAMP or the like),
-- so it can refresh incrementally. Name and segment are the account's current segment row.
CREATE OR REPLACE DYNAMIC TABLE {{ identifier:database }}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING
  TARGET_LAG = '15 minutes'
  WAREHOUSE = {{ identifier:warehouse }}
  REFRESH_MODE = INCREMENTAL
  COMMENT = 'Monthly billing per account: voice + data + sms = total'
AS
SELECT
    'CUST-' || TO_VARCHAR(e.account_id) AS customer_key,
    e.account_id,
    s.customer_name,
    COALESCE(s.segment_name, 'Unassigned') AS segment_name,
    DATE_TRUNC('MONTH', e.usage_ts)::DATE AS billing_month,
    SUM(IFF(e.service_type = 'voice', e.total_cost, 0))::NUMBER(18,4) AS voice_cost,
    SUM(IFF(e.service_type = 'data', e.total_cost, 0))::NUMBER(18,4) AS data_cost,
    SUM(IFF(e.service_type = 'sms', e.total_cost, 0))::NUMBER(18,4) AS sms_cost,
    SUM(IFF(e.service_type = 'voice', e.total_cost, 0))::NUMBER(18,4)
      + SUM(IFF(e.service_type = 'data', e.total_cost, 0))::NUMBER(18,4)
      + SUM(IFF(e.service_type = 'sms', e.total_cost, 0))::NUMBER(18,4) AS total_cost,
    ROUND(AVG(e.anomaly_score), 4)::NUMBER(10,4) AS avg_anomaly_score,
    IFF(MAX(IFF(e.anomaly_flag = 'ANOMALY', 1, 0)) = 1, 'ANOMALY', 'NORMAL') AS latest_alert,
    MAX(e.usage_ts) AS latest_usage_ts
FROM {{ identifier:database }}.SFE_STG_TELECOM.V_USAGE_ENRICHED AS e
LEFT JOIN {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS AS s
    ON s.account_id = e.account_id
   AND s.effective_end IS NULL
GROUP BY e.account_id, s.customer_name, COALESCE(s.segment_name, 'Unassigned'),
         DATE_TRUNC('MONTH', e.usage_ts)::DATE;
