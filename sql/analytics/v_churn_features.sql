-- SFE_ANALYTICS_COSTS.V_CHURN_FEATURES: per-account usage features for the churn classifier. It
-- reads only USAGE_METRICS, so it cannot contain the label (lifecycle_status) or anything derived
-- from it. Windows are anchored on the latest month with usage, not on today: reruns agree.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES
  COMMENT = 'Churn features per account; holds no label'
AS
WITH bounds AS (
    SELECT DATE_TRUNC('MONTH', MAX(usage_ts))::DATE AS last_month
    FROM {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS
),
monthly AS (
    SELECT account_id,
           DATE_TRUNC('MONTH', usage_ts)::DATE AS billing_month,
           SUM(cost_amount) AS month_cost,
           SUM(minutes_used) AS month_minutes,
           SUM(data_mb) AS month_data_mb,
           SUM(sms_count) AS month_sms,
           COUNT(*) AS month_events
    FROM {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS
    GROUP BY account_id, DATE_TRUNC('MONTH', usage_ts)::DATE
),
windows AS (
    SELECT m.account_id,
           COUNT(*) AS active_months,
           AVG(m.month_cost) AS avg_monthly_cost,
           SUM(IFF(m.billing_month > DATEADD(month, -3, b.last_month), m.month_cost, 0)) / 3 AS recent_3m_avg_cost,
           SUM(IFF(m.billing_month <= DATEADD(month, -3, b.last_month)
                   AND m.billing_month > DATEADD(month, -6, b.last_month), m.month_cost, 0)) / 3 AS prior_3m_avg_cost,
           DATEDIFF(month, MAX(m.billing_month), MAX(b.last_month)) AS months_since_last_usage,
           AVG(m.month_minutes) AS avg_monthly_minutes,
           AVG(m.month_data_mb) AS avg_monthly_data_mb,
           AVG(m.month_sms) AS avg_monthly_sms,
           AVG(m.month_events) AS avg_monthly_events
    FROM monthly AS m
    CROSS JOIN bounds AS b
    GROUP BY m.account_id
)
SELECT
    account_id,
    active_months,
    ROUND(avg_monthly_cost, 4) AS avg_monthly_cost,
    ROUND(recent_3m_avg_cost, 4) AS recent_3m_avg_cost,
    ROUND(prior_3m_avg_cost, 4) AS prior_3m_avg_cost,
    ROUND(DIV0(recent_3m_avg_cost, prior_3m_avg_cost), 4) AS cost_trend_ratio,
    months_since_last_usage,
    ROUND(avg_monthly_minutes, 2) AS avg_monthly_minutes,
    ROUND(avg_monthly_data_mb, 2) AS avg_monthly_data_mb,
    ROUND(avg_monthly_sms, 2) AS avg_monthly_sms,
    ROUND(avg_monthly_events, 2) AS avg_monthly_events
FROM windows;
