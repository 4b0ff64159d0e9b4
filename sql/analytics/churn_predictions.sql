-- SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS: the latest churn score per account not churned at scoring
-- time (the Streamlit app reads it), and which model gave it: SNOWFLAKE.ML.CLASSIFICATION in
-- Snowflake, the `local stand-in` on the emulator. Created here so it exists before either writes it;
-- the ALTERs bring a table created with an earlier shape to this one, in place.
CREATE TABLE IF NOT EXISTS {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS (
    account_id NUMBER(38,0) NOT NULL,
    churn_probability FLOAT,
    predicted_churn BOOLEAN,
    scored_at TIMESTAMP_NTZ,
    model VARCHAR
)
COMMENT = 'Churn probability per account, and the model that gave it';

ALTER TABLE {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS ADD COLUMN IF NOT EXISTS model VARCHAR;
