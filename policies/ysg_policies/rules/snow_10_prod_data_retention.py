"""CKV_SNOW_10: production keeps at least 7 days of Time Travel on databases, schemas and tables."""
import re

from ysg_policies.model import NOT_APPLICABLE, Resource, Rule, Stack, as_int, failed, passed

MINIMUM_DAYS = 7
KEYS = ("data_retention_time_in_days", "data_retention_days")
ACCOUNT_PARAMETER = "MIN_DATA_RETENTION_TIME_IN_DAYS"


def check(resource: Resource, stack: Stack):
    if not stack.is_production:
        return NOT_APPLICABLE
    if resource.type == "snowflake_account_parameter":
        if str(resource.get("key", "")).upper() != ACCOUNT_PARAMETER:
            return NOT_APPLICABLE
        days = as_int(resource.get("value"))
    elif resource.type == "snowflake_execute":
        match = re.search(rf"ALTER\s+ACCOUNT\s+SET\s+{ACCOUNT_PARAMETER}\s*=\s*(\d+)",
                          str(resource.get("execute", "")), re.I)
        if not match:
            return NOT_APPLICABLE
        days = int(match.group(1))
    else:
        values = [as_int(resource.get(k)) for k in KEYS if resource.get(k) is not None]
        if not values:
            # Schemas and tables inherit from their parent; a database must say it.
            if resource.type == "snowflake_database":
                return failed("data_retention_time_in_days is not set (Snowflake defaults to 1 day)")
            return passed("inherits its parent's retention")
        days = None if None in values else min(values)
    if days is None:
        return failed("retention is not a number")
    if days < MINIMUM_DAYS:
        return failed(f"retention is {days} days, below {MINIMUM_DAYS}")
    return passed(f"{days} days")


RULE = Rule(
    id="CKV_SNOW_10", name="Production data retention is 7 days or more", control="CIS 4.4",
    rationale="Time Travel is the undo button for a bad DELETE or a ransomware-style wipe; a week covers a "
              "weekend and the time to notice.",
    resource_types=("snowflake_database", "snowflake_schema", "snowflake_table", "snowflake_account_parameter",
                    "snowflake_execute"), check=check)
