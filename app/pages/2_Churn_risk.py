"""Churn risk: the classifier's predictions per account, when the classifier has run."""
from __future__ import annotations

import streamlit as st

import billing_data as data
from page_support import database, numeric

st.title("Churn risk")
db = database()
if not data.table_exists(db, data.CHURN_PREDICTIONS):
    st.info("No churn predictions in this environment: SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS does not "
            "exist. The classifier (SFE_CHURN_CLASSIFIER) runs only in Snowflake.")
    st.stop()

min_probability = st.slider("Minimum churn probability", min_value=0.0, max_value=1.0, value=0.0,
                            step=0.05, key="min_probability")
predictions = data.churn_predictions(db, min_probability=min_probability)
if predictions.empty:
    if min_probability == 0.0:
        st.info("The classifier has not scored any account yet.")
    else:
        st.warning("No account has a churn probability at or above this threshold.")
else:
    predictions = numeric(predictions, ["CHURN_PROBABILITY"])
    st.metric("Accounts predicted to churn", int(predictions["PREDICTED_CHURN"].astype(bool).sum()))
    st.dataframe(predictions, hide_index=True)

if data.table_exists(db, data.CHURN_MODEL_METRICS):
    st.subheader("Model evaluation")
    st.dataframe(data.churn_model_metrics(db), hide_index=True)
