-- SFE_ANALYTICS_COSTS.V_CHURN_HOLDOUT: the labelled snapshots of the held-out accounts, on which the
-- classifier is evaluated after training on V_CHURN_TRAINING (which never holds these accounts).
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_HOLDOUT
  COMMENT = 'Churn features and label of the held-out accounts, for evaluation only'
AS
SELECT
    f.*,
    l.churn_label
FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES AS f
JOIN {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_LABELS AS l
    ON l.account_id = f.account_id
   AND l.cutoff_date = f.cutoff_date
WHERE l.held_out;
