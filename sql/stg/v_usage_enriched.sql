-- SFE_STG_TELECOM.V_USAGE_ENRICHED: one row per usage event, joined to the segment in force on the
-- day of the event and to its cost allocation. It carries no PII (SALESFORCE_ACCOUNTS is not read).
-- anomaly_score compares an event's cost with the account's average event cost.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_STG_TELECOM.V_USAGE_ENRICHED
  COMMENT = 'Usage events with segment, cost allocation and anomaly score; no PII'
AS
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
    a.cost_bucket,
    a.bucket_amount,
    ROUND(DIV0(u.cost_amount, AVG(u.cost_amount) OVER (PARTITION BY u.account_id)), 4)::NUMBER(10,4) AS anomaly_score,
    IFF(u.cost_amount > {{ number:anomaly_factor }} * AVG(u.cost_amount) OVER (PARTITION BY u.account_id),
        'ANOMALY', 'NORMAL') AS anomaly_flag
FROM {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS AS u
LEFT JOIN {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS AS s
    ON s.account_id = u.account_id
   AND u.usage_ts::DATE >= s.effective_start
   AND (s.effective_end IS NULL OR u.usage_ts::DATE < s.effective_end)
LEFT JOIN {{ identifier:database }}.SFE_RAW_BILLING.COST_ALLOCATIONS AS a
    ON a.usage_id = u.usage_id;
