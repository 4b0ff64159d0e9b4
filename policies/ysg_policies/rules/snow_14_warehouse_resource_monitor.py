"""CKV_SNOW_14: every warehouse is governed by a resource monitor of this stack that can suspend it.

Checked across the graph: the warehouse's `resource_monitor` must be a Terraform reference that resolves
to a snowflake_resource_monitor in the same stack, and that monitor must carry a suspend trigger. A
literal name is refused, since nothing proves such a monitor exists or what it does.
"""
from ysg_policies.model import Resource, Rule, Stack, failed, passed, unwrap


def check(warehouse: Resource, stack: Stack):
    value = unwrap(warehouse.get("resource_monitor"))
    if not value:
        return failed("no resource_monitor")
    monitor = stack.resolve(value)
    if monitor is None or monitor.type != "snowflake_resource_monitor":
        return failed(f"resource_monitor {value!r} does not reference a snowflake_resource_monitor of this stack")
    if monitor.get("suspend_trigger") is None and monitor.get("suspend_immediate_trigger") is None:
        return failed(f"its monitor {monitor.address} never suspends the warehouse")
    return passed(f"governed by {monitor.address}")


RULE = Rule(
    id="CKV_SNOW_14", name="Warehouses have a resource monitor in the stack", control="platform guardrail",
    rationale="A credit quota is the only hard stop on a runaway query or a forgotten loop; the monitor "
              "must exist in the same deployment so it cannot be missing when the warehouse is created.",
    resource_types=("snowflake_warehouse",), check=check)
