"""What every page of the Billing Ops app shares: the one database handle, and plain messages when
the data is not there yet."""
from __future__ import annotations

import os
from decimal import Decimal

import pandas as pd
import streamlit as st

import billing_data as data


@st.cache_resource(show_spinner=False)
def _database(emulator_dir: str, environment: str) -> data.Database:
    # Keyed on the emulator location so tests (and `ysg app --emulator-dir`) each get their own.
    return data.open_database()


def database() -> data.Database:
    """The app's database, or a plain message and a stopped page when there is none."""
    try:
        return _database(str(data.emulator_dir()), os.environ.get("YSG_APP_ENVIRONMENT", "local"))
    except data.DataUnavailable as exc:
        st.error(f"The Billing Ops app has no data to show: {exc}.")
        st.stop()


def require_table(db: data.Database, qualified: str, why: str) -> None:
    if not data.table_exists(db, qualified):
        st.info(f"{qualified} does not exist in this environment yet: {why}")
        st.stop()


def money(value) -> str:
    """An amount as the app shows every amount: US dollars, two decimals ($1,234.57)."""
    return f"${float(value):,.2f}"


def usd(title: str, help: str | None = None):
    """A column of amounts: its title says the currency, its cells show dollars with two decimals."""
    return st.column_config.NumberColumn(f"{title} ({data.CURRENCY})", format="dollar", help=help)


def month(title: str = "Billing month"):
    return st.column_config.DateColumn(title, format="MMM YYYY")


def numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Snowflake NUMBER columns arrive as Decimal; charts and formats want floats."""
    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].map(lambda v: float(v) if isinstance(v, Decimal) else v).astype(float)
    return frame
