-- SFE_ANALYTICS_COSTS.V_ANOMALY_ALERT_CONDITION: the rows SFE_ANOMALY_ALERT looks at, as a plain query
-- (the emulator evaluates it at every `ysg up`, the app's Spend guardrails page shows it): every
-- account-month DT_ACCOUNT_BILLING flags ANOMALY, with flagged_at, the load time of the event that took
-- the month's loaded total over anomaly_factor times its baseline. The baseline comes from earlier
-- months only, so a month crosses once; the alert reports the months that crossed since it last ran.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_ANOMALY_ALERT_CONDITION
  COMMENT = 'Anomalous account-months and when each became one: the condition of SFE_ANOMALY_ALERT'
AS
WITH flagged AS (
    SELECT account_id, customer_name, segment_name, billing_month, total_cost, baseline_cost, anomaly_score
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING
    WHERE latest_alert = 'ANOMALY'
),
loaded AS (
    SELECT f.account_id,
           f.billing_month,
           f.baseline_cost,
           u.load_ts,
           SUM(u.cost_amount) OVER (PARTITION BY f.account_id, f.billing_month
                                    ORDER BY u.load_ts, u.usage_id ROWS UNBOUNDED PRECEDING) AS loaded_total
    FROM flagged AS f
    JOIN {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS AS u
      ON u.account_id = f.account_id
     AND DATE_TRUNC('MONTH', u.usage_ts)::DATE = f.billing_month
),
crossed AS (
    SELECT account_id,
           billing_month,
           -- The month's last load when rounding kept the running total a hair under the threshold.
           COALESCE(MIN(IFF(loaded_total > {{ number:anomaly_factor }} * baseline_cost, load_ts, NULL)),
                    MAX(load_ts)) AS flagged_at
    FROM loaded
    GROUP BY account_id, billing_month
)
SELECT f.account_id, f.customer_name, f.segment_name, f.billing_month, f.total_cost, f.baseline_cost,
       f.anomaly_score, c.flagged_at
FROM flagged AS f
JOIN crossed AS c
  ON c.account_id = f.account_id
 AND c.billing_month = f.billing_month;
