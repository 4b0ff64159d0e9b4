-- SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING: the dynamic table agents and dashboards read, at most 15
-- minutes behind the landing tables. Name and segment are the account's current segment row.
-- latest_alert is the data contract's month-level rule (as FCT_ACCOUNT_COSTS): the month's total
-- against baseline_cost, the average total of the account's up to three billing months before it.
--
-- REFRESH_MODE = INCREMENTAL, chosen construct by construct from "Supported queries for dynamic
-- tables" (https://docs.snowflake.com/en/user-guide/dynamic-tables-supported-queries) and "Optimize
-- queries for incremental refresh" (https://docs.snowflake.com/en/user-guide/dynamic-tables-performance-optimize.html):
-- WITH ("Supported when the CTE subquery uses only incrementally supported features"), deterministic
-- built-in functions in SELECT (no CURRENT_TIMESTAMP or the like), GROUP BY and OUTER JOIN, and
-- window functions ("OVER (window functions)" is listed among the operators incremental refresh
-- processes, with performance that "depends on data locality"). The baseline uses LAG, plain
-- window functions partitioned by account, not a sliding frame; it reads USAGE_METRICS directly
-- rather than V_USAGE_ENRICHED, whose event-level self-join this table does not need.
-- The cost: when any event of an account changes, the account's whole partition of months is
-- recomputed (about a dozen rows a year per account), and each changed (account, month) group is
-- re-aggregated from its events. Should Snowflake refuse a construct for incremental refresh, CREATE
-- fails with a compilation error naming it ("Dynamic table refresh modes",
-- https://docs.snowflake.com/user-guide/dynamic-tables/refresh-modes): the deploy stops loudly
-- instead of silently paying for full refreshes, as AUTO would.
CREATE OR REPLACE DYNAMIC TABLE {{ identifier:database }}.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING
  TARGET_LAG = '15 minutes'
  WAREHOUSE = {{ identifier:warehouse }}
  REFRESH_MODE = INCREMENTAL
  COMMENT = 'Monthly billing per account: voice + data + sms = total, with the month-level anomaly alert'
AS
WITH monthly AS (
    SELECT
        u.account_id,
        DATE_TRUNC('MONTH', u.usage_ts)::DATE AS billing_month,
        SUM(IFF(u.service_type = 'voice', u.cost_amount, 0))::NUMBER(18,4) AS voice_cost,
        SUM(IFF(u.service_type = 'data', u.cost_amount, 0))::NUMBER(18,4) AS data_cost,
        SUM(IFF(u.service_type = 'sms', u.cost_amount, 0))::NUMBER(18,4) AS sms_cost,
        MAX(u.usage_ts) AS latest_usage_ts
    FROM {{ identifier:database }}.SFE_RAW_BILLING.USAGE_METRICS AS u
    GROUP BY u.account_id, DATE_TRUNC('MONTH', u.usage_ts)::DATE
),
earlier AS (
    SELECT m.*,
           (m.voice_cost + m.data_cost + m.sms_cost)::NUMBER(18,4) AS total_cost,
           LAG(m.voice_cost + m.data_cost + m.sms_cost, 1) OVER (PARTITION BY m.account_id ORDER BY m.billing_month) AS previous_1,
           LAG(m.voice_cost + m.data_cost + m.sms_cost, 2) OVER (PARTITION BY m.account_id ORDER BY m.billing_month) AS previous_2,
           LAG(m.voice_cost + m.data_cost + m.sms_cost, 3) OVER (PARTITION BY m.account_id ORDER BY m.billing_month) AS previous_3
    FROM monthly AS m
),
baselined AS (
    SELECT e.*,
           (COALESCE(e.previous_1, 0) + COALESCE(e.previous_2, 0) + COALESCE(e.previous_3, 0))
             / NULLIF(IFF(e.previous_1 IS NULL, 0, 1) + IFF(e.previous_2 IS NULL, 0, 1)
                      + IFF(e.previous_3 IS NULL, 0, 1), 0) AS baseline
    FROM earlier AS e
)
SELECT
    'CUST-' || TO_VARCHAR(b.account_id) AS customer_key,
    b.account_id,
    s.customer_name,
    COALESCE(s.segment_name, 'Unassigned') AS segment_name,
    b.billing_month,
    b.voice_cost,
    b.data_cost,
    b.sms_cost,
    b.total_cost,
    ROUND(b.baseline, 4)::NUMBER(18,4) AS baseline_cost,
    ROUND(b.total_cost / NULLIF(b.baseline, 0), 4)::NUMBER(10,4) AS anomaly_score,
    IFF(ROUND(b.total_cost / NULLIF(b.baseline, 0), 4) > {{ number:anomaly_factor }}, 'ANOMALY', 'NORMAL') AS latest_alert,
    b.latest_usage_ts
FROM baselined AS b
LEFT JOIN {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS AS s
    ON s.account_id = b.account_id
   AND s.effective_end IS NULL;
