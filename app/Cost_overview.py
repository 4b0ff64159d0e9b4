"""Billing Ops: cost overview by segment and month, from DT_ACCOUNT_BILLING (the app's first page)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import billing_data as data
from page_support import database, money, month, numeric, require_table, usd

st.set_page_config(page_title="Billing Ops", layout="wide")
st.title("Cost overview")
db = database()
require_table(db, data.DT_ACCOUNT_BILLING, "the post-apply hooks create it (`ysg up`).")

span = data.month_range(db)
if span is None:
    st.info("No billing data yet: DT_ACCOUNT_BILLING has no rows.")
    st.stop()
months = [m.date() for m in pd.date_range(span[0], span[1], freq="MS")] or [span[0]]
segment = st.selectbox("Segment", [data.ALL_SEGMENTS, *data.segments(db)], key="segment")
first, last = st.select_slider("Billing months", options=months, value=(months[0], months[-1]),
                               format_func=lambda m: m.strftime("%Y-%m"), key="months")

costs = data.cost_by_segment_month(db, segment, first, last)
if costs.empty:
    st.warning("No costs match this filter: try another segment or months.")
    st.stop()
costs = numeric(costs, ["VOICE_COST", "DATA_COST", "SMS_COST", "TOTAL_COST"])

left, right = st.columns(2)
left.metric("Total cost", money(costs["TOTAL_COST"].sum()))
right.metric("Billing months", costs["BILLING_MONTH"].nunique())

chart = costs.pivot_table(index="BILLING_MONTH", columns="SEGMENT_NAME", values="TOTAL_COST", aggfunc="sum")
chart.index = [pd.Timestamp(m).strftime("%Y-%m") for m in chart.index]
st.subheader(f"Total cost by month and segment ({data.CURRENCY})")
st.bar_chart(chart)

st.subheader(f"Cost by segment ({data.CURRENCY})")
by_segment = costs.groupby("SEGMENT_NAME", as_index=False)[["VOICE_COST", "DATA_COST", "SMS_COST",
                                                           "TOTAL_COST"]].sum()
st.table(pd.DataFrame({
    "Segment": by_segment["SEGMENT_NAME"],
    "Voice": by_segment["VOICE_COST"].map(money),
    "Data": by_segment["DATA_COST"].map(money),
    "SMS": by_segment["SMS_COST"].map(money),
    "Total": by_segment["TOTAL_COST"].map(money),
}).set_index("Segment"))

st.subheader("Cost by segment and month")
st.dataframe(costs, hide_index=True, column_config={
    "SEGMENT_NAME": st.column_config.TextColumn("Segment"),
    "BILLING_MONTH": month(),
    "ACCOUNTS": st.column_config.NumberColumn("Accounts", format="%d"),
    "VOICE_COST": usd("Voice"), "DATA_COST": usd("Data"), "SMS_COST": usd("SMS"), "TOTAL_COST": usd("Total"),
})
