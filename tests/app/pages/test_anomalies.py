"""The anomalies page (app/pages/1_Anomalies.py): the month-level flag, each month beside its baseline."""
from __future__ import annotations

from app_fixtures import BILLING_ROWS, app_test

PAGE = "pages/1_Anomalies.py"
FLAGGED = [r for r in BILLING_ROWS if r[9] == "ANOMALY"]


def _month(value):
    return value.date() if hasattr(value, "date") else value


def test_lists_every_flagged_account_month(use_emulator):
    use_emulator("full")
    shown = app_test(PAGE).run().dataframe[0].value
    assert sorted(zip(shown["ACCOUNT_ID"], shown["BILLING_MONTH"].map(_month))) == sorted((r[0], r[3]) for r in FLAGGED)


def test_each_month_shows_its_total_beside_its_baseline_highest_score_first(use_emulator):
    use_emulator("full")
    shown = app_test(PAGE).run().dataframe[0].value
    expected = sorted(((round(r[4] + r[5] + r[6], 2), r[7], r[8]) for r in FLAGGED), key=lambda t: -t[2])
    assert list(zip(shown["TOTAL_COST"], shown["BASELINE_COST"], shown["ANOMALY_SCORE"])) == expected


def test_columns_have_human_titles_and_amounts_a_currency(use_emulator):
    use_emulator("full")
    config = app_test(PAGE).run().dataframe[0].proto.columns
    assert ("Month total (USD)" in config, "Baseline (USD)" in config, "TOTAL_COST" in config) == (True, True, True)


def test_minimum_score_filters(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    at.slider(key="min_score").set_value(2.0).run()
    assert list(at.dataframe[0].value["CUSTOMER_NAME"]) == ["Birch Logistics"]


def test_a_name_that_matches_nothing_says_so(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    at.text_input(key="name_contains").input("Nobody Inc").run()
    assert [w.value for w in at.warning] == ["No flagged account-month matches this filter."]


def test_empty_data_says_nothing_is_flagged(use_emulator):
    use_emulator("empty")
    at = app_test(PAGE).run()
    assert [i.value for i in at.info] == ["No account-month is flagged as an anomaly."]
