-- SFE_ANALYTICS_COSTS.V_CREDIT_ALERT_CONDITION: the rows SFE_CREDIT_ALERT looks at, as a plain query
-- (the emulator evaluates it at every `ysg up` over an empty stand-in of the metering history, since
-- it meters no credits; the app's Spend guardrails page shows it): for the environment's warehouse,
-- each of its monitor's notify thresholds the month-to-date credits crossed this month or last, the
-- hour that crossed it (crossed_at) and the credits used by then. Quota and thresholds are the ones
-- Terraform gives the warehouse's monitor, from the same environment file.
-- WAREHOUSE_METERING_HISTORY holds "the hourly credit usage for a single warehouse (or all the
-- warehouses in your account)"; CREDITS_USED_COMPUTE is used because its latency is up to 3 hours, the
-- cloud-services column's longer (https://docs.snowflake.com/sql-reference/account-usage/warehouse_metering_history).
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CREDIT_ALERT_CONDITION
  COMMENT = 'Warehouse credit thresholds crossed this month or last: the condition of SFE_CREDIT_ALERT'
AS
WITH thresholds AS (
    SELECT f.value::NUMBER AS threshold_percent
    FROM TABLE(FLATTEN(input => PARSE_JSON({{ literal:notify_at_percent }}))) AS f
),
hourly AS (
    SELECT start_time,
           end_time,
           DATE_TRUNC('MONTH', start_time)::DATE AS quota_month,
           SUM(credits_used_compute) OVER (PARTITION BY DATE_TRUNC('MONTH', start_time)
                                           ORDER BY start_time ROWS UNBOUNDED PRECEDING) AS month_to_date
    FROM SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY
    WHERE warehouse_name = {{ literal:warehouse_name }}
      AND start_time >= DATEADD(month, -1, DATE_TRUNC('MONTH', CURRENT_TIMESTAMP()))
)
SELECT {{ literal:warehouse_name }} AS warehouse_name,
       {{ literal:monitor_name }} AS monitor_name,
       h.quota_month,
       t.threshold_percent,
       {{ number:credit_quota }} AS credit_quota,
       MIN(h.month_to_date) AS credits_used,
       MIN(h.end_time) AS crossed_at
FROM hourly AS h
JOIN thresholds AS t
  ON h.month_to_date >= {{ number:credit_quota }} * t.threshold_percent / 100
GROUP BY h.quota_month, t.threshold_percent;
