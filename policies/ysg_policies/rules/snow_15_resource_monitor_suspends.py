"""CKV_SNOW_15: every resource monitor suspends what it governs when the quota runs out."""
from ysg_policies.model import Resource, Rule, Stack, as_int, failed, passed

LIMIT_PERCENT = 100


def check(monitor: Resource, stack: Stack):
    triggers = [as_int(monitor.get(k)) for k in ("suspend_trigger", "suspend_immediate_trigger")
                if monitor.get(k) is not None]
    if not triggers:
        return failed("neither suspend_trigger nor suspend_immediate_trigger is set: the monitor only notifies")
    if as_int(monitor.get("credit_quota")) is None:
        return failed("no credit_quota: the triggers have nothing to count against")
    if min(t for t in triggers if t is not None) > 2 * LIMIT_PERCENT:
        return failed(f"the first suspend trigger is at {min(triggers)} %, past twice the quota")
    return passed()


RULE = Rule(
    id="CKV_SNOW_15", name="Resource monitors have a suspend trigger", control="platform guardrail",
    rationale="A monitor that only notifies is a report, not a guardrail: it must suspend the warehouse "
              "when the quota is spent.",
    resource_types=("snowflake_resource_monitor",), check=check)
