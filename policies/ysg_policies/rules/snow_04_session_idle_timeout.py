"""CKV_SNOW_4: session policies time idle sessions out within 15 minutes."""
from ysg_policies.model import Resource, Rule, Stack, as_int, failed, passed

MAXIMUM_MINUTES = 15
KEYS = ("session_idle_timeout_mins", "session_ui_idle_timeout_mins")


def check(policy: Resource, stack: Stack):
    for key in KEYS:
        minutes = as_int(policy.get(key))
        if minutes is None:
            return failed(f"{key} is not set (Snowflake defaults to 240 minutes)")
        if minutes > MAXIMUM_MINUTES:
            return failed(f"{key} is {minutes}, above {MAXIMUM_MINUTES}")
    return passed()


RULE = Rule(
    id="CKV_SNOW_4", name="Session policy idle timeout is 15 minutes or less", control="CIS 1.9",
    rationale="An unattended admin session is an open door; the policies this stack defines are the ones "
              "set on admin roles and users, so each must time out within 15 minutes.",
    resource_types=("snowflake_session_policy",), check=check)
