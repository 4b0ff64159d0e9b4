"""A question box for SFE_BILLING_AGENT, the Snowflake Intelligence agent (Snowflake only)."""
from __future__ import annotations

import streamlit as st

import billing_data as data
from page_support import database

st.title("Ask the billing agent")
db = database()
if not db.in_snowflake:
    st.warning("The billing agent (SFE_BILLING_AGENT) is not available when the app runs locally: "
               "it runs only in Snowflake. Your question is not sent anywhere.")
question = st.text_area("Question", placeholder="Which Enterprise accounts cost most last month?",
                        key="question")
if st.button("Ask", disabled=not db.in_snowflake, key="ask") and question.strip():
    with st.spinner("Asking SFE_BILLING_AGENT"):
        st.markdown(data.ask_agent(db, question.strip()))
