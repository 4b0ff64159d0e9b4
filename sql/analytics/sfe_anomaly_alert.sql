-- SFE_ANALYTICS_COSTS.SFE_ANOMALY_ALERT: e-mails the environment's recipients when account-months
-- became anomalous since the alert last ran (V_ANOMALY_ALERT_CONDITION.flagged_at in the window).
-- The window is the span between the last successful run and this one ("Specifying timestamps based
-- on alert schedules": SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME() and SCHEDULED_TIME(),
-- https://docs.snowflake.com/sql-reference/functions/last_successful_scheduled_time; NULL before the
-- first success, so every crossing counts then), moved back by DT_ACCOUNT_BILLING's 15-minute target
-- lag: a crossing is reported once, by the first run whose dynamic table can show it.
-- Grammar: https://docs.snowflake.com/sql-reference/sql/create-alert.html (created suspended, hence the
-- RESUME, https://docs.snowflake.com/en/sql-reference/sql/alter-alert); the e-mail:
-- SYSTEM$SEND_EMAIL(<integration>, <recipients>, <subject>, <body>)
-- (https://docs.snowflake.com/en/sql-reference/stored-procedures/system_send_email).
CREATE OR REPLACE ALERT {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_ANOMALY_ALERT
  SCHEDULE = {{ literal:schedule }}
  WAREHOUSE = {{ identifier:warehouse }}
  COMMENT = 'New anomalous account-months in DT_ACCOUNT_BILLING since the last run'
  IF (EXISTS (
    SELECT 1
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_ANOMALY_ALERT_CONDITION
    WHERE flagged_at > DATEADD(minute, -15, COALESCE(SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME(),
                                                      '1970-01-01'::TIMESTAMP_LTZ))
      AND flagged_at <= DATEADD(minute, -15, SNOWFLAKE.ALERT.SCHEDULED_TIME())
  ))
  THEN
    CALL SYSTEM$SEND_EMAIL(
      {{ literal:integration }},
      {{ literal:recipients }},
      {{ literal:subject }},
      'New anomalous account-months: a month''s total is over the anomaly factor times the average of the account''s up to three previous billing months. Flagged months are held for review before invoicing. See the Anomalies page of the Billing Ops app, or SFE_ANALYTICS_COSTS.V_ANOMALY_ALERT_CONDITION.');

ALTER ALERT {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_ANOMALY_ALERT RESUME;
