"""The cost overview page (app/Cost_overview.py) against emulator fixture data."""
from __future__ import annotations

from app_fixtures import BILLING_ROWS, app_test


def _expected_total(rows) -> str:
    return f"${sum(round(row[4] + row[5] + row[6], 2) for row in rows):,.2f}"


def test_total_cost_is_the_sum_of_dt_account_billing(use_emulator):
    use_emulator("full")
    at = app_test("Cost_overview.py").run()
    assert [m.value for m in at.metric if m.label == "Total cost"] == [_expected_total(BILLING_ROWS)]


def test_segment_filter_narrows_the_total(use_emulator):
    use_emulator("full")
    at = app_test("Cost_overview.py").run()
    at.selectbox(key="segment").select("Commercial").run()
    rows = [r for r in BILLING_ROWS if r[2] == "Commercial"]
    assert [m.value for m in at.metric if m.label == "Total cost"] == [_expected_total(rows)]


def test_a_filter_that_matches_nothing_says_so(use_emulator):
    use_emulator("full")
    at = app_test("Cost_overview.py").run()
    # SMB has costs only in January 2026.
    at.selectbox(key="segment").select("SMB")
    at.select_slider(key="months").set_range(BILLING_ROWS[1][3], BILLING_ROWS[2][3]).run()
    assert [w.value for w in at.warning] == ["No costs match this filter: try another segment or months."]


def test_empty_table_says_there_is_no_data(use_emulator):
    use_emulator("empty")
    at = app_test("Cost_overview.py").run()
    assert [i.value for i in at.info] == ["No billing data yet: DT_ACCOUNT_BILLING has no rows."]


def test_missing_table_names_it(use_emulator):
    use_emulator("bare")
    at = app_test("Cost_overview.py").run()
    assert "SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING does not exist" in at.info[0].value


def test_missing_emulator_database_says_to_run_ysg_up(monkeypatch, tmp_path):
    monkeypatch.setenv("YSG_EMULATOR_DIR", str(tmp_path))
    at = app_test("Cost_overview.py").run()
    assert "run `ysg up` first" in at.error[0].value
