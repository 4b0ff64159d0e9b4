"""Churn risk: each account's probability of churning within three months, and the model's held-out evaluation."""
from __future__ import annotations

import streamlit as st

import billing_data as data
from page_support import database, numeric

st.title("Churn risk")
db = database()
if not data.table_exists(db, data.CHURN_PREDICTIONS):
    st.info("No churn predictions in this environment: SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS does not "
            "exist yet. The post-apply hooks create it (`ysg up`).")
    st.stop()

min_probability = st.slider("Minimum churn probability", min_value=0.0, max_value=1.0, value=0.0,
                            step=0.05, key="min_probability")
predictions = data.churn_predictions(db, min_probability=min_probability)
if predictions.empty:
    if min_probability == 0.0:
        st.info("The churn model has not scored any account yet.")
    else:
        st.warning("No account has a churn probability at or above this threshold.")
else:
    models = sorted({str(m) for m in predictions["MODEL"].dropna()})
    if data.LOCAL_STANDIN_MODEL in models:
        st.warning("Scored by the **local stand-in** (gradient-boosted trees from scikit-learn, trained on the "
                   "same training view), not by SNOWFLAKE.ML.CLASSIFICATION, which runs only in Snowflake.")
    st.caption("Probability that the account churns within three months, from its usage up to the latest "
               "complete month. Accounts that have already churned are not scored.")
    predictions = numeric(predictions, ["CHURN_PROBABILITY"])
    st.metric("Accounts predicted to churn", int(predictions["PREDICTED_CHURN"].astype(bool).sum()))
    st.dataframe(
        predictions, hide_index=True,
        column_config={
            "ACCOUNT_ID": st.column_config.NumberColumn("Account", format="%d"),
            "CUSTOMER_NAME": st.column_config.TextColumn("Customer"),
            "SEGMENT_NAME": st.column_config.TextColumn("Segment"),
            "CHURN_PROBABILITY": st.column_config.ProgressColumn("Churn probability", format="percent",
                                                                 min_value=0.0, max_value=1.0),
            "PREDICTED_CHURN": st.column_config.CheckboxColumn("Predicted to churn"),
            "SCORED_AT": st.column_config.DatetimeColumn("Scored at", format="YYYY-MM-DD HH:mm"),
            "MODEL": st.column_config.TextColumn("Model"),
        })

if data.table_exists(db, data.CHURN_MODEL_METRICS):
    st.subheader("Model evaluation on held-out accounts")
    st.caption("Precision, recall and F1 of the 'churns within three months' class, on accounts the model "
               "never trained on.")
    st.dataframe(
        data.churn_model_metrics(db), hide_index=True,
        column_config={
            "METRIC_NAME": st.column_config.TextColumn("Metric"),
            "METRIC_VALUE": st.column_config.NumberColumn("Value", format="%.2f"),
            "EVALUATED_AT": st.column_config.DatetimeColumn("Evaluated at", format="YYYY-MM-DD HH:mm"),
            "MODEL": st.column_config.TextColumn("Model"),
        })
