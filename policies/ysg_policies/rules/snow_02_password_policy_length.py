"""CKV_SNOW_2: password policies require at least 14 characters."""
from ysg_policies.model import Resource, Rule, Stack, as_int, failed, passed

MINIMUM = 14


def check(policy: Resource, stack: Stack):
    length = as_int(policy.get("min_length"))
    if length is None:  # the provider default is 8
        return failed(f"min_length is not set (Snowflake defaults to 8); set it to {MINIMUM} or more")
    if length < MINIMUM:
        return failed(f"min_length is {length}, below {MINIMUM}")
    return passed()


RULE = Rule(
    id="CKV_SNOW_2", name="Password policy minimum length is 14 or more", control="CIS 1.5",
    rationale="Short passwords fall to guessing; CIS asks for 14 characters for any account that keeps one.",
    resource_types=("snowflake_password_policy",), check=check)
