import pytest

from ysg_constructs.network_policy import BillingNetworkPolicy, NetworkPolicyProps

from tfdoc import only, resources


def _policy(raw_schema, **overrides):
    def build(stack):
        props = {"name": "NP_T", "allowlists": {"WAF_T": ("203.0.113.0/28",), "EMPTY_T": ()}, **overrides}
        BillingNetworkPolicy(stack, "np", raw_schema(stack), NetworkPolicyProps(**props))
    return build


def test_ipv4_ingress_rules_referenced_by_the_policy(synth_stack, raw_schema):
    doc = synth_stack(_policy(raw_schema))
    (rule_id, rule), = resources(doc, "snowflake_network_rule").items()   # the empty allowlist makes no rule
    assert (rule["type"], rule["mode"], rule["value_list"]) == ("IPV4", "INGRESS", ["203.0.113.0/28"])
    assert only(doc, "snowflake_network_policy")["allowed_network_rule_list"] == [
        f"${{snowflake_network_rule.{rule_id}.fully_qualified_name}}"]
    assert resources(doc, "snowflake_network_policy_attachment") == {}


def test_attached_to_the_account_only_when_asked(synth_stack, raw_schema):
    doc = synth_stack(_policy(raw_schema, attach_to_account=True))
    assert only(doc, "snowflake_network_policy_attachment")["set_for_account"] is True


@pytest.mark.parametrize("allowlists,message", [
    ({"ALL_T": ("0.0.0.0/0",)}, "admits every address"),
    ({"A_T": (), "B_T": ()}, "would lock everyone out"),
    ({"bad name": ("10.0.0.0/8",)}, "not a valid Snowflake identifier"),
])
def test_open_or_empty_allowlists_are_refused(synth_stack, raw_schema, allowlists, message):
    with pytest.raises(ValueError, match=message):
        synth_stack(_policy(raw_schema, allowlists=allowlists))
