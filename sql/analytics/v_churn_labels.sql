-- SFE_ANALYTICS_COSTS.V_CHURN_LABELS: what happened after each observation date of
-- V_CHURN_FEATURES, for the snapshots a model may learn from or be judged on. The label says whether
-- the account churned (its segment history turned `Churned`, effective that day) within the three
-- months after the cutoff. Only cutoffs whose three months are over count (at least three months
-- before the latest cutoff), and an account already churned at the cutoff is left out. Accounts whose
-- id ends in 0, 1 or 2 (about 30 %) are held out: never trained on, only evaluated.
CREATE OR REPLACE VIEW {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_LABELS
  COMMENT = 'Churn label within three months of each observation date, and the held-out split'
AS
WITH churned AS (
    SELECT account_id, MIN(effective_start) AS churned_on
    FROM {{ identifier:database }}.SFE_RAW_BILLING.CUSTOMER_SEGMENTS
    WHERE lifecycle_status = 'Churned'
    GROUP BY account_id
),
latest AS (
    SELECT MAX(cutoff_date) AS scoring_cutoff
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES
)
SELECT
    f.account_id,
    f.cutoff_date,
    IFF(c.churned_on IS NOT NULL AND c.churned_on <= DATEADD(month, 3, f.cutoff_date), 'CHURNED', 'RETAINED')
        AS churn_label,
    MOD(f.account_id, 10) < 3 AS held_out
FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES AS f
CROSS JOIN latest AS l
LEFT JOIN churned AS c
    ON c.account_id = f.account_id
WHERE f.cutoff_date <= DATEADD(month, -3, l.scoring_cutoff)
  AND (c.churned_on IS NULL OR c.churned_on > f.cutoff_date);
