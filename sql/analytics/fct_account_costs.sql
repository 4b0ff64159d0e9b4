-- SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS: one row per account and billing month. total_cost is the
-- sum of all events; other_cost holds service types outside voice, data and sms (none today), so
-- voice + data + sms + other = total. alert_label is ANOMALY when any event of the month is one.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS
  COMMENT = 'Monthly cost facts per account, split by service type'
AS
SELECT
    d.customer_key,
    e.account_id,
    DATE_TRUNC('MONTH', e.usage_ts)::DATE AS billing_month,
    SUM(IFF(e.service_type = 'voice', e.total_cost, 0))::NUMBER(18,4) AS voice_cost,
    SUM(IFF(e.service_type = 'data', e.total_cost, 0))::NUMBER(18,4) AS data_cost,
    SUM(IFF(e.service_type = 'sms', e.total_cost, 0))::NUMBER(18,4) AS sms_cost,
    SUM(IFF(COALESCE(e.service_type, '') IN ('voice', 'data', 'sms'), 0, e.total_cost))::NUMBER(18,4) AS other_cost,
    SUM(e.total_cost)::NUMBER(18,4) AS total_cost,
    ROUND(AVG(e.anomaly_score), 4)::NUMBER(10,4) AS anomaly_score,
    IFF(MAX(IFF(e.anomaly_flag = 'ANOMALY', 1, 0)) = 1, 'ANOMALY', 'NORMAL') AS alert_label
FROM {{ identifier:database }}.SFE_STG_TELECOM.V_USAGE_ENRICHED AS e
JOIN {{ identifier:database }}.SFE_ANALYTICS_COSTS.DIM_CUSTOMER AS d
    ON d.account_id = e.account_id
GROUP BY d.customer_key, e.account_id, DATE_TRUNC('MONTH', e.usage_ts)::DATE;
