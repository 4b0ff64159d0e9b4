-- SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS: one row per account and billing month. total_cost is the
-- sum of all events; other_cost holds service types outside voice, data and sms (none today), so
-- voice + data + sms + other = total. The month-level anomaly rule of the data contract: the
-- baseline is the average total of the account's up to three billing months before this one (earlier
-- months only, so a month's label never changes when later data lands); ANOMALY when the month's
-- total exceeds anomaly_factor times it. A first month has no baseline, no score and is NORMAL.
-- DT_ACCOUNT_BILLING applies the same rule; the tests hold the two to the same answers.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS
  COMMENT = 'Monthly cost facts per account, split by service type, with the month-level anomaly label'
AS
WITH monthly AS (
    SELECT
        d.customer_key,
        e.account_id,
        DATE_TRUNC('MONTH', e.usage_ts)::DATE AS billing_month,
        SUM(IFF(e.service_type = 'voice', e.total_cost, 0))::NUMBER(18,4) AS voice_cost,
        SUM(IFF(e.service_type = 'data', e.total_cost, 0))::NUMBER(18,4) AS data_cost,
        SUM(IFF(e.service_type = 'sms', e.total_cost, 0))::NUMBER(18,4) AS sms_cost,
        SUM(IFF(COALESCE(e.service_type, '') IN ('voice', 'data', 'sms'), 0, e.total_cost))::NUMBER(18,4) AS other_cost,
        SUM(e.total_cost)::NUMBER(18,4) AS total_cost
    FROM {{ identifier:database }}.SFE_STG_TELECOM.V_USAGE_ENRICHED AS e
    JOIN {{ identifier:database }}.SFE_ANALYTICS_COSTS.DIM_CUSTOMER AS d
        ON d.account_id = e.account_id
    GROUP BY d.customer_key, e.account_id, DATE_TRUNC('MONTH', e.usage_ts)::DATE
),
earlier AS (
    SELECT m.*,
           LAG(total_cost, 1) OVER (PARTITION BY account_id ORDER BY billing_month) AS previous_1,
           LAG(total_cost, 2) OVER (PARTITION BY account_id ORDER BY billing_month) AS previous_2,
           LAG(total_cost, 3) OVER (PARTITION BY account_id ORDER BY billing_month) AS previous_3
    FROM monthly AS m
),
baselined AS (
    SELECT e.*,
           (COALESCE(previous_1, 0) + COALESCE(previous_2, 0) + COALESCE(previous_3, 0))
             / NULLIF(IFF(previous_1 IS NULL, 0, 1) + IFF(previous_2 IS NULL, 0, 1) + IFF(previous_3 IS NULL, 0, 1), 0)
             AS baseline
    FROM earlier AS e
)
SELECT
    customer_key,
    account_id,
    billing_month,
    voice_cost,
    data_cost,
    sms_cost,
    other_cost,
    total_cost,
    ROUND(baseline, 4)::NUMBER(18,4) AS baseline_cost,
    ROUND(total_cost / NULLIF(baseline, 0), 4)::NUMBER(10,4) AS anomaly_score,
    IFF(ROUND(total_cost / NULLIF(baseline, 0), 4) > {{ number:anomaly_factor }}, 'ANOMALY', 'NORMAL') AS alert_label
FROM baselined;
