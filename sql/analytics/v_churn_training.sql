-- SFE_ANALYTICS_COSTS.V_CHURN_TRAINING: the classifier's training input (SFE_CHURN_CLASSIFIER in
-- Snowflake, the local stand-in on the emulator): the features of every labelled snapshot of the
-- accounts NOT held out, and the label; no account id or date, so neither can become a feature.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_TRAINING
  COMMENT = 'Churn features and label of the training accounts, for SFE_CHURN_CLASSIFIER'
AS
SELECT
    f.* EXCLUDE (account_id, cutoff_date),
    l.churn_label
FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES AS f
JOIN {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_LABELS AS l
    ON l.account_id = f.account_id
   AND l.cutoff_date = f.cutoff_date
WHERE NOT l.held_out;
