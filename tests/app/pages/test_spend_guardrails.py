"""The spend guardrails page (app/pages/3_Spend_guardrails.py): locally, the configured quotas."""
from __future__ import annotations

from app_fixtures import BILLING_ROWS, CREDIT_ROWS, app_test

PAGE = "pages/3_Spend_guardrails.py"


def test_shows_the_local_environments_configured_quotas(use_emulator, configs):
    use_emulator("full")
    at = app_test(PAGE).run()
    local = configs["local"]
    table = at.table[0].value
    # local attaches no account monitor, so only the warehouse's exists (and is shown)
    assert dict(zip(table.index, table["credit_quota"])) == {
        local.names.warehouse_monitor: local.resource_monitors.warehouse_credit_quota}


def test_says_usage_is_not_visible_on_the_emulator(use_emulator):
    use_emulator("empty")
    at = app_test(PAGE).run()
    assert "usage not visible on the emulator" in at.caption[0].value


def test_shows_what_each_alert_condition_finds(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    credit, anomalies = (frame.value for frame in at.dataframe)
    assert (list(credit["THRESHOLD_PERCENT"]), sorted(anomalies["ACCOUNT_ID"])) == (
        [row[3] for row in CREDIT_ROWS], sorted(r[0] for r in BILLING_ROWS if r[9] == "ANOMALY"))


def test_no_crossed_threshold_says_so(use_emulator):
    use_emulator("empty")
    at = app_test(PAGE).run()
    assert [s.value for s in at.success][:1] == [
        "No threshold crossed this month or last. (The emulator runs no warehouse, so it meters no credits.)"]
