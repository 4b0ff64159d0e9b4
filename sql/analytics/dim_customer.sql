-- SFE_ANALYTICS_COSTS.DIM_CUSTOMER: one row per account known to any landing table. The customer
-- key is 'CUST-' || account_id (DT_ACCOUNT_BILLING builds the same key); geography is the
-- Salesforce billing country. PII columns of SALESFORCE_ACCOUNTS are not read.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.DIM_CUSTOMER
  COMMENT = 'Customer dimension: segment, lifecycle, geography, average monthly cost'
AS
WITH accounts AS (
    SELECT account_id FROM {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS
    UNION
    SELECT account_id FROM {{ identifier:database }}.SFE_RAW_BILLING.SALESFORCE_ACCOUNTS
    UNION
    SELECT account_id FROM {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS
),
current_segment AS (
    SELECT account_id, customer_name, segment_name, lifecycle_status
    FROM {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS
    QUALIFY ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY effective_start DESC NULLS LAST) = 1
),
latest_salesforce AS (
    SELECT account_id, account_name, billing_country
    FROM {{ identifier:database }}.SFE_RAW_BILLING.SALESFORCE_ACCOUNTS
    QUALIFY ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY synced_at DESC NULLS LAST) = 1
),
monthly AS (
    SELECT account_id,
           DATE_TRUNC('MONTH', usage_ts)::DATE AS billing_month,
           SUM(cost_amount)::NUMBER(18,4) AS month_cost,
           MAX(usage_ts) AS last_ts
    FROM {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS
    GROUP BY account_id, DATE_TRUNC('MONTH', usage_ts)::DATE
),
usage_summary AS (
    SELECT account_id,
           ROUND(AVG(month_cost), 2)::NUMBER(18,2) AS avg_monthly_cost,
           MAX(last_ts) AS last_active_ts
    FROM monthly
    GROUP BY account_id
)
SELECT
    'CUST-' || TO_VARCHAR(a.account_id) AS customer_key,
    a.account_id,
    COALESCE(cs.customer_name, sf.account_name) AS customer_name,
    COALESCE(cs.segment_name, 'Unassigned') AS segment_name,
    COALESCE(sf.billing_country, 'Unknown') AS geography,
    cs.lifecycle_status,
    COALESCE(us.avg_monthly_cost, 0) AS avg_monthly_cost,
    us.last_active_ts
FROM accounts AS a
LEFT JOIN current_segment AS cs ON cs.account_id = a.account_id
LEFT JOIN latest_salesforce AS sf ON sf.account_id = a.account_id
LEFT JOIN usage_summary AS us ON us.account_id = a.account_id;
