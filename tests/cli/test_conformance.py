"""cli/ysg/conformance.py: the synthesized stacks against the provider's facts and the bindings' documentation."""
from __future__ import annotations

import copy
import json

import pytest

from ysg.conformance import DOCUMENTED_VALUES_FILE, check_stack, check_stack_dir


@pytest.fixture(scope="module")
def documented(synthesized) -> dict:
    return json.loads((synthesized["prod"] / DOCUMENTED_VALUES_FILE).read_text())


@pytest.fixture(scope="module")
def findings(synthesized) -> list:
    return [f for d in synthesized.values() for f in check_stack_dir(d)]


def test_the_four_stacks_conform(findings):
    assert [str(f) for f in findings] == []


def _prod_findings(prod: dict, documented: dict) -> set[str]:
    return {str(f) for f in check_stack("billing-prod", prod, documented)}


def test_negative_controls_findings_1_and_2_as_they_were(stacks, documented):
    broken = copy.deepcopy(stacks["prod"])
    integrations = broken["resource"]["snowflake_api_integration"]
    [salesforce] = [k for k, v in integrations.items() if v["name"] == "SFE_SALESFORCE_API_INTEGRATION"]
    integrations[salesforce]["api_provider"] = "git_https_api"
    # What the stack held before finding 2 was fixed: the app's ownership granted to its role.
    broken["resource"].setdefault("snowflake_grant_ownership", {})["negative_control"] = {
        "account_role_name": "SFE_STREAMLIT_ROLE", "outbound_privileges": "COPY",
        "on": {"object_type": "STREAMLIT", "object_name": '"SNOWFLAKE_EXAMPLE"."SFE_ANALYTICS_COSTS"."SFE_BILLING_OPS_APP"'}}
    new = sorted(_prod_findings(broken, documented) - _prod_findings(stacks["prod"], documented))
    assert [(line.count("\n"), line.split(": ", 1)[0], line.split("; allowed: ")[1].split(",")[0]) for line in new] == [
        (0, f"billing-prod snowflake_api_integration.{salesforce}", "aws_api_gateway"),
        (0, "billing-prod snowflake_grant_ownership.negative_control", "AGGREGATION POLICY"),
        (0, "billing-prod snowflake_grant_ownership.negative_control", "AGGREGATION POLICY")]
    assert ['api_provider = "git_https_api" is not allowed by the provider' in new[0],
            'on.object_type = "STREAMLIT" is not allowed by the provider' in new[1],
            'on.object_type = "STREAMLIT" is not among the values the provider bindings document' in new[2]] == [True] * 3


def _with(stacks, rtype: str, edit) -> dict:
    document = copy.deepcopy(stacks["prod"])
    name = sorted(document["resource"][rtype])[0]
    edit(document["resource"][rtype][name])
    return document


@pytest.mark.parametrize("rtype, edit, expected", [
    ("snowflake_warehouse", lambda w: w.update(auto_suspend_seconds=60),
     "auto_suspend_seconds = 60 is not an attribute of the provider's schema of snowflake_warehouse at v2.11.0"),
    ("snowflake_database", lambda d: d.update(fully_qualified_name="X"),
     'fully_qualified_name = "X" is computed by the provider and cannot be set'),
    ("snowflake_database", lambda d: d.update(data_retention_time_in_days=91),
     "data_retention_time_in_days = 91 is outside the provider's range 0..90"),
    ("snowflake_warehouse", lambda w: w.update(warehouse_size="HUGE"),
     'warehouse_size = "HUGE" is not allowed by the provider (case-insensitive); allowed: 2X-LARGE'),
    ("snowflake_warehouse", lambda w: w.pop("name"), "name is required by the provider and not set"),
])
def test_each_kind_of_finding(stacks, documented, rtype, edit, expected):
    new = _prod_findings(_with(stacks, rtype, edit), documented) - _prod_findings(stacks["prod"], documented)
    assert len([f for f in new if expected in f]) == 1


@pytest.mark.parametrize("rtype, edit", [
    ("snowflake_warehouse", lambda w: w.update(warehouse_size="x-small")),          # case-insensitive
    ("snowflake_warehouse", lambda w: w.update(warehouse_size="${var.size}")),      # known only at apply
    ("snowflake_database", lambda d: d.update(data_retention_time_in_days="90")),   # Terraform converts it
])
def test_values_the_provider_accepts_are_not_findings(stacks, documented, rtype, edit):
    assert _prod_findings(_with(stacks, rtype, edit), documented) == _prod_findings(stacks["prod"], documented)


def test_the_bindings_documentation_is_a_check_of_its_own(stacks, documented):
    narrowed = copy.deepcopy(documented)
    narrowed["resources"]["snowflake_warehouse"]["warehouse_size"] = {"values": ["XSMALL"], "case_insensitive": True}
    [finding] = _prod_findings(stacks["prod"], narrowed) - _prod_findings(stacks["prod"], documented)
    assert finding.endswith("is not among the values the provider bindings document; allowed: XSMALL "
                            f"({DOCUMENTED_VALUES_FILE}, from the bindings' docstrings)")


def test_a_stack_without_documented_values_is_a_finding(stacks):
    assert any(str(f).startswith(f"billing-prod {DOCUMENTED_VALUES_FILE}: resource is missing")
               for f in check_stack("billing-prod", stacks["prod"], None))


def test_a_resource_type_the_provider_does_not_have_is_a_finding(stacks, documented):
    document = copy.deepcopy(stacks["prod"])
    document["resource"]["snowflake_streamlit_app"] = {"x": {"name": "A"}}
    assert "billing-prod snowflake_streamlit_app.x: resource has no provider facts" in "\n".join(
        str(f) for f in check_stack("billing-prod", document, documented))
