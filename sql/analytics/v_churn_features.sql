-- SFE_ANALYTICS_COSTS.V_CHURN_FEATURES: usage features per account as of an observation date
-- (cutoff_date, the first day of a month), computed from usage BEFORE the cutoff only, so a feature
-- can never see what happened after it. It reads only USAGE_METRICS: no label (lifecycle_status)
-- and nothing derived from it. One row per account and cutoff, for every cutoff from the second
-- month of data up to the latest complete month (the first day of the current month at most), so
-- the same view gives training snapshots (older cutoffs) and the scoring snapshot (the latest one).
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES
  COMMENT = 'Churn features per account and observation date, from usage before it only; holds no label'
AS
WITH monthly AS (
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
cutoffs AS (
    SELECT DISTINCT DATEADD(month, 1, billing_month)::DATE AS cutoff_date
    FROM monthly
    WHERE DATEADD(month, 1, billing_month) <= DATE_TRUNC('MONTH', CURRENT_DATE())
),
windows AS (
    SELECT m.account_id,
           c.cutoff_date,
           DATEDIFF(month, MIN(m.billing_month), c.cutoff_date) AS tenure_months,
           COUNT_IF(m.billing_month >= DATEADD(month, -6, c.cutoff_date)) AS active_months_6m,
           DATEDIFF(month, MAX(m.billing_month), c.cutoff_date) - 1 AS months_since_last_usage,
           SUM(IFF(m.billing_month = DATEADD(month, -1, c.cutoff_date), m.month_cost, 0)) AS last_month_cost,
           SUM(IFF(m.billing_month >= DATEADD(month, -3, c.cutoff_date), m.month_cost, 0)) / 3 AS recent_3m_avg_cost,
           SUM(IFF(m.billing_month >= DATEADD(month, -6, c.cutoff_date)
                   AND m.billing_month < DATEADD(month, -3, c.cutoff_date), m.month_cost, 0)) / 3 AS prior_3m_avg_cost,
           SUM(IFF(m.billing_month >= DATEADD(month, -3, c.cutoff_date), m.month_events, 0)) / 3 AS recent_3m_avg_events,
           SUM(IFF(m.billing_month >= DATEADD(month, -3, c.cutoff_date), m.month_minutes, 0)) / 3 AS recent_3m_avg_minutes,
           SUM(IFF(m.billing_month >= DATEADD(month, -3, c.cutoff_date), m.month_data_mb, 0)) / 3 AS recent_3m_avg_data_mb,
           SUM(IFF(m.billing_month >= DATEADD(month, -3, c.cutoff_date), m.month_sms, 0)) / 3 AS recent_3m_avg_sms
    FROM monthly AS m
    JOIN cutoffs AS c
      ON m.billing_month < c.cutoff_date
    GROUP BY m.account_id, c.cutoff_date
)
SELECT
    account_id,
    cutoff_date,
    tenure_months,
    active_months_6m,
    months_since_last_usage,
    ROUND(last_month_cost, 4) AS last_month_cost,
    ROUND(recent_3m_avg_cost, 4) AS recent_3m_avg_cost,
    ROUND(prior_3m_avg_cost, 4) AS prior_3m_avg_cost,
    ROUND(recent_3m_avg_cost / NULLIF(prior_3m_avg_cost, 0), 4) AS cost_trend_ratio,
    ROUND(last_month_cost / NULLIF(recent_3m_avg_cost, 0), 4) AS last_month_trend_ratio,
    ROUND(recent_3m_avg_events, 2) AS recent_3m_avg_events,
    ROUND(recent_3m_avg_minutes, 2) AS recent_3m_avg_minutes,
    ROUND(recent_3m_avg_data_mb, 2) AS recent_3m_avg_data_mb,
    ROUND(recent_3m_avg_sms, 2) AS recent_3m_avg_sms
FROM windows;
