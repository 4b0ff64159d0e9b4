"""Suppressions read from resource metadata: one rule, one resource, a reason of ten characters or more."""
from __future__ import annotations

from ysg_policies.model import Resource
from ysg_policies.rules import all_rules
from ysg_policies.suppressions import valid_reason, of_resource


def _warehouse(suppressions: dict) -> Resource:
    return Resource("snowflake_warehouse", "wh", {"//": {"ysg_suppressions": suppressions}, "auto_suspend": 600})


def test_a_reasoned_suppression_is_valid():
    resource = _warehouse({"CKV_SNOW_13": "nightly batch keeps its cache warm"})
    assert valid_reason(resource, "CKV_SNOW_13", all_rules()) == "nightly batch keeps its cache warm"


def test_a_short_reason_is_a_problem():
    [suppression] = of_resource(_warehouse({"CKV_SNOW_13": "because"}))
    assert "without a reason" in suppression.problem(all_rules())


def test_an_unknown_rule_is_a_problem():
    [suppression] = of_resource(_warehouse({"CKV_SNOW_999": "a perfectly good reason"}))
    assert "not a rule of the pack" in suppression.problem(all_rules())


def test_a_suppression_covers_only_its_own_rule():
    assert valid_reason(_warehouse({"CKV_SNOW_13": "nightly batch keeps its cache warm"}), "CKV_SNOW_14",
                        all_rules()) is None
