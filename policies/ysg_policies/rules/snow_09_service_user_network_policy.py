"""CKV_SNOW_9: every service user is bound to a network policy of this stack."""
from ysg_policies.model import Resource, Rule, Stack, failed, is_reference, passed, unwrap


def check(user: Resource, stack: Stack):
    value = unwrap(user.get("network_policy"))
    if not value:
        return failed("no network_policy: the service user can log in from anywhere")
    if is_reference(value):
        target = stack.resolve(value)
        if target is None or target.type != "snowflake_network_policy":
            return failed(f"network_policy {value} does not reference a snowflake_network_policy of this stack")
    return passed()


RULE = Rule(
    id="CKV_SNOW_9", name="Every service user has a network policy", control="CIS 3.2",
    rationale="Service credentials are long-lived; pinning each service user to the addresses its client "
              "runs from makes a stolen key useless elsewhere.",
    resource_types=("snowflake_service_user", "snowflake_legacy_service_user"), check=check)
