"""Accounts and billing months flagged as anomalies, with their scores."""
from __future__ import annotations

import streamlit as st

import billing_data as data
from page_support import database, numeric, require_table

st.title("Anomalies")
db = database()
require_table(db, data.DT_ACCOUNT_BILLING, "the post-apply hooks create it (`ysg up`).")
require_table(db, data.FCT_ACCOUNT_COSTS, "the post-apply hooks create it (`ysg up`).")

min_score = st.slider("Minimum anomaly score", min_value=0.0, max_value=5.0, value=0.0, step=0.1,
                      key="min_score")
name = st.text_input("Customer name contains", key="name_contains")

flagged = data.anomalies(db, min_score=min_score, name_contains=name.strip())
if flagged.empty:
    if min_score == 0.0 and not name.strip():
        st.info("No account or month is flagged as an anomaly.")
    else:
        st.warning("No flagged account matches this filter.")
    st.stop()

flagged = numeric(flagged, ["TOTAL_COST", "AVG_ANOMALY_SCORE"])
st.metric("Flagged account-months", len(flagged))
st.dataframe(flagged, hide_index=True)
