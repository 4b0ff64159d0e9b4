"""report.py: the plan of two git histories (see conftest.py), rendered as one Markdown document."""
from __future__ import annotations

import datetime as dt

import pytest

from ysg.plan.allowances import Allowance
from ysg.plan.report import MARKER, build, render
from ysg.plan.terraform import TerraformResult

TODAY = dt.date(2026, 11, 22)


def changes(histories, env: str, action: str) -> dict[str, object]:
    return {c.path: c for c in histories.plan.environments[env].resources.by_action(action)}


def test_the_base_code_ran_in_its_worktree_and_its_resource_is_removed(histories):
    # Only the base's code has legacy-format: the installed package's code would not produce it.
    assert "billing-dev/legacy-format/format" in changes(histories, "dev", "delete")


def test_a_resource_only_the_head_code_builds_is_added(histories):
    added = changes(histories, "dev", "create")["billing-dev/events-format/format"]
    assert ("name", "SFE_EVENTS_FORMAT") in {(a.path, a.after) for a in added.attributes}


def test_a_changed_attribute_is_shown_with_both_values(histories):
    (warehouse,) = histories.plan.environments["staging"].resources.by_action("update")
    assert [(a.path, a.before, a.after) for a in warehouse.attributes] == [
        ("warehouse_size", "XSMALL", "MEDIUM")]


def test_a_changed_construct_id_is_a_destructive_replacement(histories):
    stage = changes(histories, "staging", "replace")["billing-staging/landing-stage/stage"]
    assert (stage.destructive, stage.address.rsplit("_", 1)[0], stage.new_address.rsplit("_", 1)[0],
            stage.reason.startswith("construct id changed")) == (
        True, "snowflake_stage.raw-stage", "snowflake_stage.landing-stage", True)


def test_a_renamed_database_is_changed_in_place_as_the_provider_does(histories):
    # pkg/resources/database.go at v2.11.0: `name` has no ForceNew, the provider renames in place.
    database = changes(histories, "prod", "update")["billing-prod/database/database"]
    assert ([(a.path, a.forces_replacement) for a in database.attributes], database.renamed) == ([("name", False)], True)


def test_a_changed_hook_carries_a_unified_diff_of_its_sql(histories):
    (hook,) = histories.plan.environments["prod"].hooks
    assert (hook.action, "-SELECT ACCOUNT_ID, BYTES_USED\n" in hook.diff,
            "+SELECT ACCOUNT_ID, BYTES_USED, EVENT_TS\n" in hook.diff) == ("changed", True, True)


def test_prod_destruction_without_an_allowance_fails_the_plan_and_says_why(histories):
    plan = histories.plan
    refused = {(g.kind, g.change.path) for g in plan.guard.refused}
    expected = {("database", "billing-prod/database/database"), ("stage", "billing-prod/landing-stage/stage"),
                ("schema", "billing-prod/schema-sfe_raw_billing/schema"),
                ("landing table", "billing-prod/table-usage_metrics/table")}
    assert (plan.exit_code, expected <= refused, f"**The plan fails**: {len(refused)} destructive change(s) in prod"
            in render(plan)) == (1, True, True)


def test_objects_in_a_schema_of_a_renamed_database_are_replaced_with_it(histories):
    table = changes(histories, "prod", "replace")["billing-prod/table-usage_metrics/table"]
    assert table.reason == ("database refers to snowflake_schema.schema-sfe_raw_billing_schema_90A8AE17, "
                            "which is replaced: forces a replacement")


def test_staging_destruction_is_shown_but_not_guarded(histories):
    assert all(g.environment == "prod" for g in histories.plan.guard.refused)


def rebuild(histories, allowances, **kwargs):
    plan = histories.plan
    head_dirs = {env: histories.workdir / "head" / "stacks" / f"billing-{env}" for env in plan.environments}
    base_dirs = {env: histories.workdir / "base" / "stacks" / f"billing-{env}" for env in plan.environments}
    return build(plan.base_ref, plan.base_sha, plan.head, base_dirs, head_dirs, histories.repo, allowances,
                 today=TODAY, **kwargs)


def allowances_for(histories, expires=dt.date(2026, 12, 31)) -> list[Allowance]:
    return [Allowance(environment="prod", address=g.change.address, action=g.action,
                      reason="reviewed by the platform team in this pull request", expires=expires)
            for g in histories.plan.guard.refused]


def test_prod_destruction_with_reviewed_allowances_passes(histories):
    plan = rebuild(histories, allowances_for(histories))
    assert (plan.exit_code, len(plan.guard.allowed)) == (0, len(histories.plan.guard.refused))


def test_expired_allowances_do_not_count(histories):
    plan = rebuild(histories, allowances_for(histories, expires=dt.date(2026, 11, 21)))
    assert (plan.exit_code, len(plan.guard.expired)) == (1, len(histories.plan.guard.refused))


def test_the_policy_scan_summary_is_plugged_in(histories):
    plan = rebuild(histories, [], scan=lambda dirs: f"fake scan of {', '.join(sorted(dirs))}: 0 failed")
    assert "fake scan of dev, local, prod, staging: 0 failed" in render(plan)


def test_a_terraform_diff_is_appended_and_a_failed_one_fails_the_plan(histories):
    fake = lambda env, repo: TerraformResult(env, ran=True, output="Plan: 0 to add", returncode=3,
                                            reason="cdktf diff exited 3")
    plan = rebuild(histories, allowances_for(histories), terraform_envs=("staging",), terraform_diff=fake)
    text = render(plan)
    assert (plan.exit_code, "## Terraform plan (`cdktf diff billing-staging`)" in text,
            "Plan: 0 to add" in text) == (1, True, True)


def test_a_terraform_diff_that_could_not_run_says_why(histories):
    fake = lambda env, repo: TerraformResult(env, ran=False, reason="Terraform is not installed")
    plan = rebuild(histories, [], terraform_envs=("prod",), terraform_diff=fake)
    assert "Not run: Terraform is not installed." in render(plan)


def test_the_document_starts_with_the_comment_marker_and_has_one_section_per_environment(histories):
    text = render(histories.plan)
    assert (text.splitlines()[0], [line for line in text.splitlines() if line in
            ("## dev", "## local", "## prod", "## staging")]) == (MARKER, ["## dev", "## local", "## prod", "## staging"])


@pytest.mark.parametrize("secret", ["BEGIN PRIVATE KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"])
def test_no_key_body_reaches_the_document(histories, secret):
    # The head adds nothing secret, but every created attribute and key passes through show().
    assert secret not in render(histories.plan)


def test_a_change_of_preview_features_is_listed(stacks):
    from ysg.plan.allowances import GuardResult
    from ysg.plan.diff import diff_stacks
    from ysg.plan.report import EnvironmentPlan, Plan

    plan = Plan("main", "0" * 40, "head", {"x": EnvironmentPlan("x", diff_stacks(stacks["dev"], stacks["prod"]))},
                GuardResult(), "scan")
    assert "- enabled: `snowflake_network_policy_attachment_resource`" in render(plan).splitlines()


def test_a_prod_stack_that_still_holds_example_values_fails_the_plan_naming_them(histories, synthesized):
    """Finding 4 of issue 11: the plan's prod section refuses what Terraform would refuse to plan."""
    plan = histories.plan
    base_dirs = {env: histories.workdir / "base" / "stacks" / f"billing-{env}" for env in plan.environments}
    shipped = build(plan.base_ref, plan.base_sha, plan.head, base_dirs, dict(synthesized), histories.repo, [],
                    today=TODAY)
    text = render(shipped)
    assert histories.plan.examples == {"prod": []} and shipped.exit_code == 1
    assert "**prod is not deployable**: it still holds 11 example value(s)" in text
    assert "- environments/_defaults.yaml: network.waf_egress[0]: 203.0.113.0/28 is a documentation range" in text
