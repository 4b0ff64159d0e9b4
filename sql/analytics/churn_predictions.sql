-- SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS: the classifier's latest score per account (the Streamlit
-- app reads it). Created here so it exists, empty, where the classifier cannot run (the emulator).
CREATE TABLE IF NOT EXISTS {{ identifier:database }}.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS (
    account_id NUMBER(38,0) NOT NULL,
    churn_probability FLOAT,
    predicted_churn BOOLEAN,
    scored_at TIMESTAMP_NTZ
)
COMMENT = 'Churn probability per account from SFE_CHURN_CLASSIFIER';
