-- SFE_ANALYTICS_COSTS.V_CHURN_SCORING: what the classifier scores, the features as of the latest
-- complete month (the latest cutoff of V_CHURN_FEATURES) of the accounts not churned at that date.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_SCORING
  COMMENT = 'Churn features as of the latest complete month, accounts not churned only'
AS
WITH churned AS (
    SELECT account_id, MIN(effective_start) AS churned_on
    FROM {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS
    WHERE lifecycle_status = 'Churned'
    GROUP BY account_id
)
SELECT f.* EXCLUDE (cutoff_date)
FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES AS f
LEFT JOIN churned AS c
    ON c.account_id = f.account_id
WHERE f.cutoff_date = (SELECT MAX(cutoff_date) FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES)
  AND (c.churned_on IS NULL OR c.churned_on > f.cutoff_date);
