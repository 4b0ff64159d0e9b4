-- SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER: trains on V_CHURN_TRAINING (features before each cutoff,
-- label from the three months after it, held-out accounts excluded), evaluates on V_CHURN_HOLDOUT
-- (accounts it never saw), and scores V_CHURN_SCORING (accounts not churned, as of the latest
-- complete month). The emulator runs a local stand-in on the same views instead (cli/ysg/churn_standin.py).
--
-- !PREDICT is given every column of a scoring row, ACCOUNT_ID (and, for the held-out rows,
-- CUTOFF_DATE and CHURN_LABEL) included: "The feature names in the object must match the names and
-- types specified at training time. Missing or extraneous features are ignored."
-- (https://docs.snowflake.com/en/sql-reference/classes/classification/methods/predict, INPUT_DATA).
-- 'evaluate': FALSE: the evaluation that counts is the held-out one below, so the extra model
-- CREATE would train for its own metrics ("If TRUE, then additional model is trained for
-- evaluation", CONFIG_OBJECT, https://docs.snowflake.com/en/sql-reference/classes/classification/commands/create-classification)
-- is not paid for. The predicted class is the one "with the highest probability" (PREDICT, Output).
CREATE OR REPLACE SNOWFLAKE.ML.CLASSIFICATION {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER(
    INPUT_DATA => SYSTEM$REFERENCE('VIEW', {{ literal:training_view }}),
    TARGET_COLNAME => 'CHURN_LABEL',
    CONFIG_OBJECT => {'evaluate': FALSE, 'on_error': 'skip'}
)
COMMENT = 'Churn within three months, from usage before the observation date';

DELETE FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS;

INSERT INTO {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS
    (account_id, churn_probability, predicted_churn, scored_at, model)
SELECT
    p.account_id,
    p.prediction['probability']['CHURNED']::FLOAT,
    p.prediction['class']::VARCHAR = 'CHURNED',
    CURRENT_TIMESTAMP()::TIMESTAMP_NTZ,
    'SNOWFLAKE.ML.CLASSIFICATION'
FROM (
    SELECT s.account_id,
           {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER!PREDICT(INPUT_DATA => OBJECT_CONSTRUCT(s.*)) AS prediction
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_SCORING AS s
) AS p;

-- The held-out evaluation: each held-out snapshot's outcome, then one summary row (confusion counts,
-- and AUC as the Mann-Whitney statistic over average ranks), then one metric per row. Temporary
-- tables: they live only in this hook's session.
CREATE OR REPLACE TEMPORARY TABLE {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_OUTCOMES AS
SELECT actual,
       prediction['probability']['CHURNED']::FLOAT AS probability,
       prediction['class']::VARCHAR = 'CHURNED' AS predicted
FROM (
    SELECT h.churn_label = 'CHURNED' AS actual,
           {{ identifier:database }}.SFE_ANALYTICS_COSTS.SFE_CHURN_CLASSIFIER!PREDICT(INPUT_DATA => OBJECT_CONSTRUCT(h.*)) AS prediction
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.V_CHURN_HOLDOUT AS h
) AS scored;

CREATE OR REPLACE TEMPORARY TABLE {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_SUMMARY AS
SELECT COUNT_IF(actual AND predicted) AS tp,
       COUNT_IF(NOT actual AND predicted) AS fp,
       COUNT_IF(actual AND NOT predicted) AS fn,
       COUNT_IF(NOT actual AND NOT predicted) AS tn,
       (SUM(IFF(actual, average_rank, 0)) - COUNT_IF(actual) * (COUNT_IF(actual) + 1) / 2)
         / NULLIF(COUNT_IF(actual) * COUNT_IF(NOT actual), 0) AS auc
FROM (
    SELECT actual, predicted,
           RANK() OVER (ORDER BY probability) + (COUNT(*) OVER (PARTITION BY probability) - 1) / 2 AS average_rank
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_OUTCOMES
) AS ranked;

DELETE FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS;

INSERT INTO {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_MODEL_METRICS
    (metric_name, metric_value, evaluated_at, model)
SELECT m.metric_name, m.metric_value::FLOAT, CURRENT_TIMESTAMP()::TIMESTAMP_NTZ, 'SNOWFLAKE.ML.CLASSIFICATION'
FROM (
    SELECT 'precision' AS metric_name, tp / NULLIF(tp + fp, 0) AS metric_value
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_SUMMARY
    UNION ALL
    SELECT 'recall', tp / NULLIF(tp + fn, 0) FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_SUMMARY
    UNION ALL
    SELECT 'f1', 2 * tp / NULLIF(2 * tp + fp + fn, 0) FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_SUMMARY
    UNION ALL
    SELECT 'accuracy', (tp + tn) / NULLIF(tp + fp + fn + tn, 0)
    FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_SUMMARY
    UNION ALL
    SELECT 'auc', auc FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_SUMMARY
    UNION ALL
    SELECT 'holdout_snapshots', tp + fp + fn + tn FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_SUMMARY
    UNION ALL
    SELECT 'holdout_churned', tp + fn FROM {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_HOLDOUT_SUMMARY
) AS m;
