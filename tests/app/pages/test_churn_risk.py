"""The churn risk page (app/pages/2_Churn_risk.py) against emulator fixture data."""
from __future__ import annotations

from app_fixtures import CHURN_MODEL, CHURN_ROWS, app_test

PAGE = "pages/2_Churn_risk.py"


def test_predictions_are_listed_most_likely_first(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    expected = [a for a, _, _ in sorted(CHURN_ROWS, key=lambda r: -r[1])]
    assert list(at.dataframe[0].value["ACCOUNT_ID"]) == expected


def test_threshold_that_matches_nothing_says_so(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    at.slider(key="min_probability").set_value(0.95).run()
    assert [w.value for w in at.warning] == ["No account has a churn probability at or above this threshold."]


def test_empty_predictions_say_nothing_is_scored(use_emulator):
    use_emulator("empty")
    at = app_test(PAGE).run()
    assert [i.value for i in at.info] == ["The churn model has not scored any account yet."]


def test_without_the_classifier_table_a_plain_message(use_emulator):
    use_emulator("bare")
    at = app_test(PAGE).run()
    assert "CHURN_PREDICTIONS does not exist" in at.info[0].value


def test_the_local_stand_in_is_named_as_such_wherever_it_shows(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    assert ("local stand-in" in at.warning[0].value, set(at.dataframe[0].value["MODEL"]),
            set(at.dataframe[1].value["MODEL"])) == (True, {CHURN_MODEL}, {CHURN_MODEL})
