"""cli/ysg/up.py: the README's first command brings `local` up on the emulator, and a second run does nothing."""
from __future__ import annotations

import pytest

from ysg.up import bring_up, format_report
from ysg_hooks.manifest import load_manifest


@pytest.fixture(scope="module")
def two_runs(synthesized, tmp_path_factory):
    emulator = tmp_path_factory.mktemp("emulator")
    first = bring_up(emulator, stack_dirs=synthesized)
    second = bring_up(emulator, stack_dirs=synthesized)
    return synthesized, first, second


def test_the_first_run_creates_loads_and_applies(two_runs):
    synthesized, first, _ = two_runs
    manifest = load_manifest(synthesized["local"])
    assert first.failure is None
    # The hook runner's ledger and lock come from the stack too, before the hooks run, as on a deployed
    # environment: the runner takes its lock on them instead of creating its own.
    assert {c for c in first.created if c.startswith(("schema", "table"))} == {
        f"schema SNOWFLAKE_EXAMPLE_LOCAL.{s}" for s in
        ("SFE_RAW_BILLING", "SFE_STG_TELECOM", "SFE_ANALYTICS_COSTS", "SFE_SHARED_KNOWLEDGE", "SFE_PLATFORM_OPS")} | {
        f"table SNOWFLAKE_EXAMPLE_LOCAL.{t}" for t in
        ("SFE_RAW_BILLING.USAGE_METRICS", "SFE_RAW_BILLING.CUSTOMER_SEGMENTS", "SFE_RAW_BILLING.COST_ALLOCATIONS",
         "SFE_RAW_BILLING.SALESFORCE_ACCOUNTS", "SFE_SHARED_KNOWLEDGE.BILLING_KB",
         "SFE_PLATFORM_OPS.HOOK_LEDGER", "SFE_PLATFORM_OPS.HOOK_LOCK")} | {
        "table SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY (stand-in, empty: the emulator meters no credits)"}
    assert all(first.loaded.values()) and set(first.loaded) == {
        "USAGE_METRICS", "CUSTOMER_SEGMENTS", "COST_ALLOCATIONS", "SALESFORCE_ACCOUNTS"}
    # Every hook the emulator can run was applied; every other one was skipped with its reason.
    assert set(first.hooks_applied) == {h.name for h in manifest.hooks if not h.snowflake_only}
    assert first.hooks_skipped == {h.name: h.reason for h in manifest.hooks if h.snowflake_only}


def test_the_summary_answers_from_the_dynamic_table(two_runs):
    _, first, _ = two_runs
    assert first.rows["SFE_RAW_BILLING.USAGE_METRICS"] == first.loaded["USAGE_METRICS"]
    assert first.rows["SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING"] == first.rows["SFE_ANALYTICS_COSTS.FCT_ACCOUNT_COSTS"] > 0
    totals = [row[4] for row in first.top_accounts]
    assert len(first.top_accounts) == 5 and totals == sorted(totals, reverse=True)
    assert len({row[3] for row in first.top_accounts}) == 1   # all from the latest month
    assert "top 5 accounts by cost" in format_report(first)


def test_the_second_run_does_nothing_and_says_so(two_runs):
    _, first, second = two_runs
    assert (second.did_nothing, second.hooks_applied, sum(second.loaded.values())) == (True, [], 0)
    assert second.rows == first.rows and second.top_accounts == first.top_accounts
    assert "local is up to date: nothing to create" in format_report(second)
    assert not first.did_nothing
    # The sync ran again on the same answer and changed nothing; the stand-in did not train again.
    assert ((second.salesforce_sync.inserted, second.salesforce_sync.updated), second.churn_trained,
            second.churn_metrics) == ((0, 0), False, first.churn_metrics)


def test_the_local_stand_ins_run_and_say_so(two_runs):
    _, first, _ = two_runs
    text = format_report(first)
    assert ((first.salesforce_sync.inserted, first.salesforce_sync.updated) == (2, 2), first.churn_trained,
            first.churn_model, set(first.churn_metrics) >= {"precision", "recall", "f1", "auc"},
            first.rows["SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS"] > 0, first.alert_conditions["SFE_CREDIT_ALERT"],
            first.alert_conditions["SFE_ANOMALY_ALERT"] > 0, "churn model (local stand-in, trained now)" in text) == (
        True, True, "local stand-in", True, True, 0, True, True)
