"""Spend guardrails: resource monitor quotas and credits used, and what the two cost alerts' conditions find."""
from __future__ import annotations

import streamlit as st

import billing_data as data
from page_support import database, month, numeric, usd

st.title("Spend guardrails")
db = database()
monitors, usage_visible = data.resource_monitors(db)
st.subheader("Resource monitors")
if not usage_visible:
    st.caption("Credits used: usage not visible on the emulator. These are the environment's "
               "configured quotas (ysg_core.config).")
if monitors.empty:
    st.info("No resource monitor is visible to this app's role.")
else:
    st.table(monitors.set_index("name"))

st.subheader("Cost alerts")
where = ("evaluated now, on Snowflake" if db.in_snowflake else
         "evaluated on the emulator, as `ysg up` does: the alerts themselves, and their e-mails, run only in Snowflake")
st.caption(f"Each alert's condition is a plain query ({where}). An alert e-mails the environment's recipients "
           "about the rows that are new since it last ran.")

st.markdown("**SFE_CREDIT_ALERT**: the billing warehouse's credits against its monitor's quota, at the notify "
            "thresholds.")
if not data.table_exists(db, data.CREDIT_ALERT_CONDITION):
    st.info(f"{data.CREDIT_ALERT_CONDITION} does not exist in this environment yet: the post-apply hooks create it.")
else:
    crossed = data.credit_alert_condition(db)
    if crossed.empty:
        st.success("No threshold crossed this month or last."
                   + ("" if db.in_snowflake else " (The emulator runs no warehouse, so it meters no credits.)"))
    else:
        st.dataframe(crossed, hide_index=True, column_config={
            "WAREHOUSE_NAME": "Warehouse", "MONITOR_NAME": "Monitor", "QUOTA_MONTH": month("Month"),
            "THRESHOLD_PERCENT": st.column_config.NumberColumn("Threshold", format="%d%%"),
            "CREDIT_QUOTA": st.column_config.NumberColumn("Quota (credits)", format="%.2f"),
            "CREDITS_USED": st.column_config.NumberColumn("Credits used", format="%.2f"),
            "CROSSED_AT": st.column_config.DatetimeColumn("Crossed at", format="YYYY-MM-DD HH:mm")})

st.markdown("**SFE_ANOMALY_ALERT**: account-months that became anomalous (month total over the anomaly factor "
            "times the baseline of up to three earlier months).")
if not data.table_exists(db, data.ANOMALY_ALERT_CONDITION):
    st.info(f"{data.ANOMALY_ALERT_CONDITION} does not exist in this environment yet: the post-apply hooks create it.")
else:
    found = data.anomaly_alert_condition(db)
    if found.empty:
        st.success("No anomalous account-month.")
    else:
        found = numeric(found, ["TOTAL_COST", "BASELINE_COST", "ANOMALY_SCORE"])
        st.metric("Anomalous account-months the alert reports", len(found))
        st.dataframe(found, hide_index=True, column_config={
            "ACCOUNT_ID": st.column_config.NumberColumn("Account", format="%d"),
            "CUSTOMER_NAME": "Customer", "BILLING_MONTH": month(),
            "TOTAL_COST": usd("Month total"), "BASELINE_COST": usd("Baseline"),
            "ANOMALY_SCORE": st.column_config.NumberColumn("Month ÷ baseline", format="%.2f×"),
            "FLAGGED_AT": st.column_config.DatetimeColumn("Flagged at", format="YYYY-MM-DD HH:mm")})
