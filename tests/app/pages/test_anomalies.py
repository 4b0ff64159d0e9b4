"""The anomalies page (app/pages/1_Anomalies.py) against emulator fixture data."""
from __future__ import annotations

from app_fixtures import BILLING_ROWS, app_test

PAGE = "pages/1_Anomalies.py"


def test_lists_every_flagged_account_month_with_its_scores(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    shown = at.dataframe[0].value
    flagged = sorted((r[0], r[3]) for r in BILLING_ROWS if r[8] == "ANOMALY")
    assert sorted(zip(shown["ACCOUNT_ID"], shown["BILLING_MONTH"].map(lambda m: m.date()
                                                                       if hasattr(m, "date") else m))) == flagged


def test_scores_come_from_both_tables(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    shown = at.dataframe[0].value
    assert list(zip(shown["AVG_ANOMALY_SCORE"], shown["MONTH_ANOMALY_SCORE"].astype(float))) == [(2.1, 2.1),
                                                                                                  (1.6, 1.6)]


def test_minimum_score_filters(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    at.slider(key="min_score").set_value(2.0).run()
    assert list(at.dataframe[0].value["CUSTOMER_NAME"]) == ["Birch Logistics"]


def test_a_name_that_matches_nothing_says_so(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    at.text_input(key="name_contains").input("Nobody Inc").run()
    assert [w.value for w in at.warning] == ["No flagged account matches this filter."]


def test_empty_data_says_nothing_is_flagged(use_emulator):
    use_emulator("empty")
    at = app_test(PAGE).run()
    assert [i.value for i in at.info] == ["No account or month is flagged as an anomaly."]
