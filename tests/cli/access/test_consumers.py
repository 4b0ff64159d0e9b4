"""cli/ysg/access/consumers.py: what the app queries and calls is read from its own files."""
from __future__ import annotations

import ast

from ysg.access.consumers import APP_DIR, app_calls, app_constants


def test_every_query_the_data_layer_sends_is_found_with_the_function_sending_it():
    found = {call.function for call in app_calls() if call.file == "app/billing_data.py"}
    # Every function of the data layer with a .query(...) or .sql(...) call whose text is a constant.
    tree = ast.parse((APP_DIR / "billing_data.py").read_text(encoding="utf-8"))
    senders = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
               for n in ast.walk(f) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
               and n.func.attr in ("query", "sql") and n.args and isinstance(n.args[0], ast.Constant)}
    assert found == senders and {"segments", "anomalies", "ask_agent", "show_resource_monitors"} <= found


def test_the_agent_the_app_asks_is_named_by_the_app_s_own_constants():
    constants = app_constants()
    assert {"AGENT_LOCATION", "AGENT_BASE_NAME", "STREAMLIT_ROLE_BASE_NAME"} <= set(constants)


def test_a_query_added_to_the_app_is_checked(tmp_path):
    (tmp_path / "billing_data.py").write_text(
        'AGENT_LOCATION = "A.B"\n\ndef extra(db):\n    return db.query("SELECT * FROM SFE_ANALYTICS_COSTS.NEW")\n',
        encoding="utf-8")
    [call] = app_calls(tmp_path)
    assert (call.function, call.sql, call.line) == ("extra", "SELECT * FROM SFE_ANALYTICS_COSTS.NEW", 4)
