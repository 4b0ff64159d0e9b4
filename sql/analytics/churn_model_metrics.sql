-- SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS: the classifier's evaluation metrics, per class and global.
CREATE TABLE IF NOT EXISTS {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS (
    metric_name VARCHAR NOT NULL,
    metric_value FLOAT,
    class_label VARCHAR,
    evaluated_at TIMESTAMP_NTZ
)
COMMENT = 'Evaluation metrics of SFE_CHURN_CLASSIFIER';
