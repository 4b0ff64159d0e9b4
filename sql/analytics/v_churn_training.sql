-- SFE_ANALYTICS_COSTS.V_CHURN_TRAINING: the classifier's training input, the features without the
-- account id plus the label from the account's current segment row (CHURNED or RETAINED).
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_TRAINING
  COMMENT = 'Churn features joined to their label, for SFE_CHURN_CLASSIFIER training'
AS
SELECT
    f.* EXCLUDE (account_id),
    IFF(s.lifecycle_status = 'Churned', 'CHURNED', 'RETAINED') AS churn_label
FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES AS f
JOIN {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS AS s
    ON s.account_id = f.account_id
   AND s.effective_end IS NULL;
