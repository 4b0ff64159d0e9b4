"""CKV_SNOW_13: every warehouse suspends itself within 60 seconds of going idle."""
from ysg_policies.model import Resource, Rule, Stack, as_int, failed, passed

MAXIMUM_SECONDS = 60


def check(warehouse: Resource, stack: Stack):
    seconds = as_int(warehouse.get("auto_suspend"))
    if seconds is None:
        return failed("auto_suspend is not set (Snowflake defaults to 600 seconds)")
    if seconds <= 0:
        return failed(f"auto_suspend is {seconds}: the warehouse never suspends")
    if seconds > MAXIMUM_SECONDS:
        return failed(f"auto_suspend is {seconds} seconds, above {MAXIMUM_SECONDS}")
    return passed()


RULE = Rule(
    id="CKV_SNOW_13", name="Warehouses auto-suspend within 60 seconds", control="platform guardrail",
    rationale="Idle warehouses burn credits by the second; the billing workload is spiky, so 60 seconds "
              "loses little cache and saves most of the idle spend.",
    resource_types=("snowflake_warehouse",), check=check)
