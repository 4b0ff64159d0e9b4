"""The allowlist limit judges the union of all ranges, and the environment model and CKV_SNOW_16 apply the
same rule (ysg_core.network_allowlist): every case below goes through both."""
from __future__ import annotations

import pytest
from edits import edit

from ysg_core.config import ConfigError, load_environment
from ysg_policies.model import Result, Stack
from ysg_policies.rules import all_rules

# (case, waf_egress, kafka_rest_proxy_egress, corporate, refused)
CASES = [
    ("two halves of the internet", ["203.0.113.0/28"], ["198.51.100.16/29"], ["0.0.0.0/1", "128.0.0.0/1"], True),
    ("four /2s", ["203.0.113.0/28"], ["198.51.100.16/29"],
     ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"], True),
    ("three /17s, each small enough", ["203.0.113.0/28"], ["198.51.100.16/29"],
     ["10.0.0.0/17", "10.0.128.0/17", "10.1.0.0/17"], True),
    ("a /17 in each list", ["10.0.0.0/17"], ["10.0.128.0/17"], ["10.1.0.0/17"], True),
    ("one address past a /16", ["203.0.113.0/28"], ["198.51.100.16/29"], ["198.18.0.0/16", "198.20.0.1/32"], True),
    # Negative controls: overlaps are counted once, and a /16 exactly is the limit.
    ("a /16 exactly, overlapping itself", ["198.18.0.0/28"], ["198.18.1.0/29"],
     ["198.18.0.0/16", "198.18.0.0/17", "198.18.128.0/17"], False),
    ("the shipped ranges", ["203.0.113.0/28"], ["198.51.100.16/29"], ["192.0.2.0/26"], False),
]


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


@pytest.mark.parametrize("case,waf,kafka,corporate,refused", CASES, ids=[c[0] for c in CASES])
def test_the_environment_model_judges_the_union(env_dir, case, waf, kafka, corporate, refused):
    path = edit(env_dir / "prod.yaml", "network:\n  attach_to_account: true",
                f"network:\n  attach_to_account: true\n  waf_egress: {_flow(waf)}\n"
                f"  kafka_rest_proxy_egress: {_flow(kafka)}\n  corporate: {_flow(corporate)}")
    if not refused:
        assert load_environment(path).network.corporate == corporate
        return
    with pytest.raises(ConfigError) as raised:
        load_environment(path)
    problems = raised.value.problems
    assert problems and all(p.startswith(f"{path}: network") and "more than a /16" in p for p in problems), problems


def _stack(rules: dict[str, list[str]], allowed_ip_list: list[str] | None = None) -> Stack:
    policy = {"name": "P", "allowed_network_rule_list": [f"${{snowflake_network_rule.{r}.fully_qualified_name}}"
                                                         for r in rules]}
    if allowed_ip_list is not None:
        policy["allowed_ip_list"] = allowed_ip_list
    return Stack.from_document({
        "//": {"metadata": {"stackName": "billing-prod"}},
        "resource": {
            "snowflake_network_rule": {name: {"name": name.upper(), "type": "IPV4", "mode": "INGRESS",
                                              "value_list": values} for name, values in rules.items()},
            "snowflake_network_policy": {"policy": policy}}})


def _findings(stack: Stack) -> dict[str, Result]:
    rule = all_rules()["CKV_SNOW_16"]
    return {r.address: rule.check(r, stack).result for r in stack.resources if rule.applies_to(r)}


@pytest.mark.parametrize("case,waf,kafka,corporate,refused", CASES, ids=[c[0] for c in CASES])
def test_ckv_snow_16_judges_what_the_policy_admits_with_all_its_rules(case, waf, kafka, corporate, refused):
    stack = _stack({"waf": waf, "kafka": kafka, "corporate": corporate})
    assert (_findings(stack)["snowflake_network_policy.policy"] is Result.FAILED) is refused


def test_ckv_snow_16_fails_a_rule_that_alone_admits_too_much_and_the_policy_that_allows_it():
    stack = _stack({"waf": ["203.0.113.0/28"], "corporate": ["0.0.0.0/1", "128.0.0.0/1"]})
    assert _findings(stack) == {"snowflake_network_rule.waf": Result.PASSED,
                                "snowflake_network_rule.corporate": Result.FAILED,
                                "snowflake_network_policy.policy": Result.FAILED}


@pytest.mark.parametrize("allowed", [["::/1", "8000::/1"], ["2001:db8::/47", "2001:db8:2::/48"],
                                     ["0.0.0.0/1", "128.0.0.0/1"]],
                         ids=["IPv6 halves", "IPv6 past a /48", "IPv4 halves in the policy's own list"])
def test_ckv_snow_16_judges_a_policys_own_ip_list_ipv6_included(allowed):
    stack = _stack({"waf": ["203.0.113.0/28"]}, allowed_ip_list=allowed)
    assert _findings(stack)["snowflake_network_policy.policy"] is Result.FAILED


def test_ckv_snow_16_passes_an_ipv6_site_and_fails_what_it_cannot_read():
    assert _findings(_stack({"waf": ["203.0.113.0/28"]}, allowed_ip_list=["2001:db8::/48"]))[
        "snowflake_network_policy.policy"] is Result.PASSED
    assert _findings(_stack({"waf": ["203.0.113.0/28", "*"]}))["snowflake_network_rule.waf"] is Result.FAILED


def test_the_rule_imports_the_limit_from_the_core_not_a_copy():
    import ysg_core.network_allowlist
    from ysg_policies.rules import snow_16_no_open_network

    assert snow_16_no_open_network.too_open is ysg_core.network_allowlist.too_open
