"""Account-months flagged as anomalies by the month-level rule, each beside the baseline it was measured against."""
from __future__ import annotations

import streamlit as st

import billing_data as data
from page_support import database, month, numeric, require_table, usd

st.title("Anomalies")
db = database()
require_table(db, data.DT_ACCOUNT_BILLING, "the post-apply hooks create it (`ysg up`).")
st.caption("A billing month is flagged when its total exceeds the anomaly factor (1.4 by default) times the "
           "account's baseline: the average total of its up to three billing months before it. Only earlier "
           "months count, so a month's flag never changes when later data lands; an account's first month "
           "has no baseline and is never flagged. Flagged months are held for review before invoicing.")

min_score = st.slider("Minimum month ÷ baseline", min_value=0.0, max_value=5.0, value=0.0, step=0.1,
                      key="min_score")
name = st.text_input("Customer name contains", key="name_contains")

flagged = data.anomalies(db, min_score=min_score, name_contains=name.strip())
if flagged.empty:
    if min_score == 0.0 and not name.strip():
        st.info("No account-month is flagged as an anomaly.")
    else:
        st.warning("No flagged account-month matches this filter.")
    st.stop()

flagged = numeric(flagged, ["TOTAL_COST", "BASELINE_COST", "ANOMALY_SCORE"])
st.metric("Flagged account-months", len(flagged))
st.dataframe(
    flagged, hide_index=True,
    column_order=["BILLING_MONTH", "ACCOUNT_ID", "CUSTOMER_NAME", "SEGMENT_NAME", "TOTAL_COST", "BASELINE_COST",
                  "ANOMALY_SCORE"],
    column_config={
        "BILLING_MONTH": month(),
        "ACCOUNT_ID": st.column_config.NumberColumn("Account", format="%d"),
        "CUSTOMER_NAME": st.column_config.TextColumn("Customer"),
        "SEGMENT_NAME": st.column_config.TextColumn("Segment"),
        "TOTAL_COST": usd("Month total"),
        "BASELINE_COST": usd("Baseline", help="Average total of the account's up to three previous billing months"),
        "ANOMALY_SCORE": st.column_config.NumberColumn("Month ÷ baseline", format="%.2f×"),
    })
