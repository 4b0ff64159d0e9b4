-- SFE_ANALYTICS_COSTS.SFE_CREDIT_ALERT: e-mails the environment's recipients when the warehouse's
-- credit use crossed one of its monitor's notify thresholds since the alert last ran
-- (V_CREDIT_ALERT_CONDITION.crossed_at in the window). The window, as SFE_ANOMALY_ALERT's
-- (https://docs.snowflake.com/sql-reference/functions/last_successful_scheduled_time), is moved back by
-- the metering history's latency of up to 3 hours
-- (https://docs.snowflake.com/sql-reference/account-usage/warehouse_metering_history), so an hour is
-- judged once, when its credits are known. The resource monitor keeps notifying its own users and
-- suspending the warehouse; this alert adds the environment's e-mail recipients.
-- Grammar: https://docs.snowflake.com/sql-reference/sql/create-alert.html;
-- SYSTEM$SEND_EMAIL: https://docs.snowflake.com/en/sql-reference/stored-procedures/system_send_email.
CREATE OR REPLACE ALERT {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CREDIT_ALERT
  SCHEDULE = {{ literal:schedule }}
  WAREHOUSE = {{ identifier:warehouse }}
  COMMENT = 'Warehouse credits against the monitor quota, at its notify thresholds'
  IF (EXISTS (
    SELECT 1
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CREDIT_ALERT_CONDITION
    WHERE crossed_at > DATEADD(hour, -3, COALESCE(SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME(),
                                                   '1970-01-01'::TIMESTAMP_LTZ))
      AND crossed_at <= DATEADD(hour, -3, SNOWFLAKE.ALERT.SCHEDULED_TIME())
  ))
  THEN
    CALL SYSTEM$SEND_EMAIL(
      {{ literal:integration }},
      {{ literal:recipients }},
      {{ literal:subject }},
      'The billing warehouse crossed a notify threshold of its resource monitor''s credit quota. See the Spend guardrails page of the Billing Ops app, or SFE_ANALYTICS_COSTS.V_CREDIT_ALERT_CONDITION.');

ALTER ALERT {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CREDIT_ALERT RESUME;
