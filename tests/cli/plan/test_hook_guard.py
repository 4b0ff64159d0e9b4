"""hook_guard.py: the prod guard covers hooks as it covers resources. An added or changed hook whose
statements delete rows, truncate, overwrite or replace a table, or drop something, fails the plan in prod
without a reviewed allowance (`hook.<name>`)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from ysg.plan.allowances import Allowance
from ysg.plan.hook_guard import guard_hooks
from ysg.plan.hooks import diff_hooks
from ysg.plan.report import build, render
from ysg_hooks.manifest import Manifest, RenderedHook, ordered, write_manifest

TODAY = dt.date(2026, 11, 22)
VIEW = "CREATE OR REPLACE VIEW DB.S.V AS SELECT 1 AS X"


def stack(path, environment="prod", **hooks):
    path.mkdir(parents=True)
    rendered = ordered([RenderedHook(name.replace("__", "."), f"sql/{name}.sql", (), False, "", tuple(statements))
                        for name, statements in hooks.items()])
    write_manifest(path, Manifest(environment, f"billing-{environment}", "snowflake", rendered))
    (path / "cdk.tf.json").write_text(json.dumps({"resource": {}}))
    return path


def allowance(name: str, action: str = "destroy", environment: str = "prod") -> Allowance:
    return Allowance(environment=environment, address=f"hook.{name}", action=action,
                     reason="the churn scores are rebuilt by the same hook", expires=TODAY)


@pytest.mark.parametrize("statement, action", [
    ("DELETE FROM DB.S.CHURN_PREDICTIONS", "destroy"),
    ("delete from db.s.kb where doc_id = 3", "destroy"),
    ("TRUNCATE TABLE DB.RAW.USAGE_METRICS", "destroy"),
    ("DROP VIEW DB.S.V", "destroy"),
    ("ALTER TABLE DB.S.METRICS DROP COLUMN CLASS_LABEL", "destroy"),
    ("CREATE OR REPLACE TABLE DB.S.SCORES (X INT)", "replace"),
    ("EXECUTE IMMEDIATE $$ SELECT 1 $$", "destroy"),       # unreadable: counted, never passed
])
def test_a_changed_prod_hook_that_destroys_data_is_refused_without_an_allowance(tmp_path, statement, action):
    before = stack(tmp_path / "a", analytics__h=[VIEW])
    after = stack(tmp_path / "b", analytics__h=[VIEW, statement])
    result = guard_hooks({"prod": diff_hooks(before, after)}, [], TODAY)
    assert [(g.address, g.action, g.statements[0].split(" ")[:2]) for g in result.refused] == [
        ("hook.analytics.h", action, ["statement", "2"] if not statement.startswith("EXECUTE") else ["statement", "2:"])]


def test_replacing_a_view_or_a_temporary_table_destroys_no_data(tmp_path):
    """The negative control: derived objects are rebuilt from their definition."""
    before = stack(tmp_path / "a", analytics__h=["CREATE OR REPLACE VIEW DB.S.V AS SELECT 0 AS X"])
    after = stack(tmp_path / "b", analytics__h=[VIEW, "CREATE OR REPLACE TEMPORARY TABLE DB.S.T AS SELECT 1 AS X"])
    assert guard_hooks({"prod": diff_hooks(before, after)}, [], TODAY).ok


def test_an_allowance_for_the_hook_and_action_lets_it_through(tmp_path):
    before = stack(tmp_path / "a", analytics__h=[VIEW])
    after = stack(tmp_path / "b", analytics__h=[VIEW, "DELETE FROM DB.S.T"])
    changes = {"prod": diff_hooks(before, after)}
    wrong_action = guard_hooks(changes, [allowance("analytics.h", "replace")], TODAY)
    right = guard_hooks(changes, [allowance("analytics.h")], TODAY)
    assert (wrong_action.ok, right.ok, [g.allowance.address for g in right.allowed]) == (
        False, True, ["hook.analytics.h"])


def test_only_prod_is_guarded_and_a_removed_hook_destroys_nothing(tmp_path):
    before = stack(tmp_path / "a", analytics__gone=["DELETE FROM DB.S.T"])
    after = stack(tmp_path / "b", analytics__new=["DELETE FROM DB.S.T"])
    changes = diff_hooks(before, after)
    assert (guard_hooks({"staging": changes}, [], TODAY).ok,
            [g.change.name for g in guard_hooks({"prod": changes}, [], TODAY).refused]) == (True, ["analytics.new"])


def test_the_plan_fails_and_says_what_to_allow(tmp_path):
    base = {"prod": stack(tmp_path / "base" / "billing-prod", knowledge__kb=[VIEW])}
    head = {"prod": stack(tmp_path / "head" / "billing-prod",
                          knowledge__kb=[VIEW, "DELETE FROM DB.K.BILLING_KB WHERE DOC_ID = 3"])}
    refused = build("main", "0" * 40, "head", base, head, tmp_path, [], today=TODAY)
    allowed = build("main", "0" * 40, "head", base, head, tmp_path, [allowance("knowledge.kb")], today=TODAY)
    text = render(refused)
    assert (refused.exit_code, allowed.exit_code, allowed.guard.unused) == (1, 0, [])
    assert ("- **REFUSED**: hook `knowledge.kb` (sql/knowledge__kb.sql) in prod destroys data: statement 2 deletes "
            "from table DB.K.BILLING_KB." in text and "address: hook.knowledge.kb, action: destroy" in text)


def test_an_allowance_may_name_a_hook():
    assert Allowance(environment="prod", address="hook.knowledge.billing_kb", action="destroy",
                     reason="documents retired this quarter", expires=TODAY).address == "hook.knowledge.billing_kb"
