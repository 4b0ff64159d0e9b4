-- SFE_STG_TELECOM.V_USAGE_ENRICHED: one row per usage event, joined to the segment in force on the
-- day of the event and to its cost allocations. It carries no PII (SALESFORCE_ACCOUNTS is not read).
-- An event may have several cost buckets: they are aggregated per event before any join, so an
-- event's cost is never counted twice. anomaly_score compares the event's cost with the account's
-- average event cost over the three calendar months before the event's month (earlier data only).
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_STG_TELECOM.V_USAGE_ENRICHED
  COMMENT = 'Usage events with segment, cost allocation and anomaly score; no PII'
AS
WITH allocation_totals AS (
    SELECT usage_id, SUM(bucket_amount) AS bucket_amount
    FROM {{ identifier:database }}.SFE_RAW_BILLING.COST_ALLOCATIONS
    GROUP BY usage_id
),
largest_bucket AS (
    SELECT usage_id, cost_bucket
    FROM {{ identifier:database }}.SFE_RAW_BILLING.COST_ALLOCATIONS
    QUALIFY ROW_NUMBER() OVER (PARTITION BY usage_id ORDER BY bucket_amount DESC NULLS LAST, cost_bucket) = 1
),
account_months AS (
    SELECT account_id,
           DATE_TRUNC('MONTH', usage_ts)::DATE AS usage_month,
           SUM(cost_amount) AS month_cost,
           COUNT(cost_amount) AS month_events
    FROM {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS
    GROUP BY account_id, DATE_TRUNC('MONTH', usage_ts)::DATE
),
event_baselines AS (
    SELECT m.account_id,
           m.usage_month,
           SUM(p.month_cost) / NULLIF(SUM(p.month_events), 0) AS baseline_event_cost
    FROM account_months AS m
    JOIN account_months AS p
      ON p.account_id = m.account_id
     AND p.usage_month >= DATEADD(month, -3, m.usage_month)
     AND p.usage_month < m.usage_month
    GROUP BY m.account_id, m.usage_month
),
scored AS (
    SELECT u.*,
           ROUND(u.cost_amount / NULLIF(b.baseline_event_cost, 0), 4)::NUMBER(10,4) AS anomaly_score
    FROM {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS AS u
    LEFT JOIN event_baselines AS b
      ON b.account_id = u.account_id
     AND b.usage_month = DATE_TRUNC('MONTH', u.usage_ts)::DATE
)
SELECT
    u.usage_id,
    u.account_id,
    u.usage_ts,
    u.minutes_used,
    u.data_mb,
    u.sms_count,
    u.service_type,
    u.cost_amount AS total_cost,
    u.region_code,
    COALESCE(s.segment_name, 'Unassigned') AS segment_name,
    s.lifecycle_status,
    lb.cost_bucket,
    a.bucket_amount,
    u.anomaly_score,
    IFF(u.anomaly_score > {{ number:anomaly_factor }}, 'ANOMALY', 'NORMAL') AS anomaly_flag
FROM scored AS u
LEFT JOIN {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS AS s
    ON s.account_id = u.account_id
   AND u.usage_ts::DATE >= s.effective_start
   AND (s.effective_end IS NULL OR u.usage_ts::DATE < s.effective_end)
LEFT JOIN allocation_totals AS a
    ON a.usage_id = u.usage_id
LEFT JOIN largest_bucket AS lb
    ON lb.usage_id = u.usage_id;
