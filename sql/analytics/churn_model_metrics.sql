-- SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS: the churn model's evaluation on the held-out accounts
-- (V_CHURN_HOLDOUT): precision, recall, f1, accuracy and auc of the CHURNED class, and the size of
-- the held-out set, with the model that was evaluated. The ALTERs bring a table created with an
-- earlier shape (per-class rows in class_label) to this one, in place.
CREATE TABLE IF NOT EXISTS {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS (
    metric_name VARCHAR NOT NULL,
    metric_value FLOAT,
    evaluated_at TIMESTAMP_NTZ,
    model VARCHAR
)
COMMENT = 'Held-out evaluation of the churn model';

ALTER TABLE {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS ADD COLUMN IF NOT EXISTS model VARCHAR;

ALTER TABLE {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS DROP COLUMN IF EXISTS class_label;
