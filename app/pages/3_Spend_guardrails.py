"""Spend guardrails: resource monitor quotas, and the credits used where Snowflake shows them."""
from __future__ import annotations

import streamlit as st

import billing_data as data
from page_support import database

st.title("Spend guardrails")
db = database()
monitors, usage_visible = data.resource_monitors(db)
if not usage_visible:
    st.caption("Credits used: usage not visible on the emulator. These are the environment's "
               "configured quotas (ysg.config).")
if monitors.empty:
    st.info("No resource monitor is visible to this app's role.")
else:
    st.table(monitors.set_index("name"))
