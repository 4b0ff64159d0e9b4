"""CKV_SNOW_8: production sets a network policy on the account."""
import re

from ysg_policies.model import NOT_APPLICABLE, Resource, Rule, Stack, as_bool, failed, passed, unwrap

ALTER_ACCOUNT = re.compile(r"^\s*ALTER\s+ACCOUNT\s+SET\s+NETWORK_POLICY\s*=", re.I)


def check(provider: Resource, stack: Stack):
    if not stack.is_production:
        return NOT_APPLICABLE
    for attachment in stack.of_type("snowflake_network_policy_attachment"):
        policy = stack.resolve(unwrap(attachment.get("network_policy_name")))
        if as_bool(attachment.get("set_for_account")) and policy and policy.type == "snowflake_network_policy":
            return passed(f"{attachment.address} attaches {policy.address} to the account")
    for parameter in stack.of_type("snowflake_account_parameter"):
        if str(parameter.get("key", "")).upper() == "NETWORK_POLICY" and parameter.get("value"):
            return passed(f"{parameter.address} sets NETWORK_POLICY")
    for statement in stack.of_type("snowflake_execute"):
        if ALTER_ACCOUNT.match(str(statement.get("execute", ""))):
            return passed(f"{statement.address} sets NETWORK_POLICY")
    return failed("no network policy of this stack is attached to the account")


RULE = Rule(
    id="CKV_SNOW_8", name="Production has an account-level network policy", control="CIS 3.1",
    rationale="Without an account network policy, any address on the internet can attempt to log in; the "
              "policy must be one this stack manages, found through the attachment's reference.",
    resource_types=("provider.snowflake",), check=check)
