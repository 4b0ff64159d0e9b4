"""The question box (app/pages/4_Ask_the_agent.py): locally it says plainly the agent is not there."""
from __future__ import annotations

from app_fixtures import app_test

PAGE = "pages/4_Ask_the_agent.py"


def test_locally_the_agent_is_plainly_not_available(use_emulator):
    use_emulator("full")
    at = app_test(PAGE).run()
    assert "is not available when the app runs locally" in at.warning[0].value


def test_locally_the_ask_button_is_disabled(use_emulator):
    use_emulator("empty")
    at = app_test(PAGE).run()
    assert at.button(key="ask").disabled
