-- SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER: trains on V_CHURN_TRAINING (features + label), then
-- scores every account from V_CHURN_FEATURES (no label; the extra ACCOUNT_ID key is ignored by
-- PREDICT) and saves predictions and evaluation metrics to tables.
CREATE OR REPLACE SNOWFLAKE.ML.CLASSIFICATION {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER(
    INPUT_DATA => SYSTEM$REFERENCE('VIEW', {{ literal:training_view }}),
    TARGET_COLNAME => 'CHURN_LABEL',
    CONFIG_OBJECT => {'evaluate': TRUE, 'on_error': 'skip'}
)
COMMENT = 'Churn classifier over monthly usage features';

INSERT OVERWRITE INTO {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS
    (account_id, churn_probability, predicted_churn, scored_at)
SELECT
    p.account_id,
    p.prediction['probability']['CHURNED']::FLOAT,
    p.prediction['class']::VARCHAR = 'CHURNED',
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
FROM (
    SELECT f.account_id,
           {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER!PREDICT(INPUT_DATA => OBJECT_CONSTRUCT(f.*)) AS prediction
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_FEATURES AS f
) AS p;

INSERT OVERWRITE INTO {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS
    (metric_name, metric_value, class_label, evaluated_at)
SELECT m.error_metric, m.metric_value, m.class, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
FROM TABLE({{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER!SHOW_EVALUATION_METRICS()) AS m
UNION ALL
SELECT g.average_type || '_' || g.error_metric, g.metric_value, NULL, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ
FROM TABLE({{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER!SHOW_GLOBAL_EVALUATION_METRICS()) AS g;
