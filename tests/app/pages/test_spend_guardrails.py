"""The spend guardrails page (app/pages/3_Spend_guardrails.py): locally, the configured quotas."""
from __future__ import annotations

from app_fixtures import app_test

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
