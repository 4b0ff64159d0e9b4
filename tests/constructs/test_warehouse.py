import pytest

from ysg_constructs.resource_monitor import ResourceMonitorProps
from ysg_constructs.warehouse import BillingWarehouse, BillingWarehouseProps
from ysg_constructs.role import FunctionalRole, FunctionalRoleProps

from tfdoc import only, resources


def _props(**overrides):
    return BillingWarehouseProps(name="SFE_BILLING_WH_T", monitor=ResourceMonitorProps(name="WH_MON_T", credit_quota=10),
                                 **overrides)


def test_defaults_are_the_platform_promises(synth_stack):
    doc = synth_stack(lambda s: BillingWarehouse(s, "wh", _props()))
    warehouse = only(doc, "snowflake_warehouse")
    assert {k: warehouse[k] for k in ("warehouse_size", "auto_suspend", "auto_resume", "initially_suspended",
                                      "statement_timeout_in_seconds")} == {
        "warehouse_size": "XSMALL", "auto_suspend": 60, "auto_resume": "true", "initially_suspended": True,
        "statement_timeout_in_seconds": 3600}


def test_the_warehouse_is_attached_to_its_own_monitor_by_reference(synth_stack):
    doc = synth_stack(lambda s: BillingWarehouse(s, "wh", _props()))
    (monitor_id,) = resources(doc, "snowflake_resource_monitor")
    assert only(doc, "snowflake_warehouse")["resource_monitor"] == f"${{snowflake_resource_monitor.{monitor_id}.name}}"


@pytest.mark.parametrize("field,value,message", [
    ("size", "HUGE", "size 'HUGE' is not one of"),
    ("auto_suspend_seconds", 0, "0 never suspends"),
    ("statement_timeout_seconds", 0, "statement_timeout_seconds must be at least 1"),
    ("name", "sfe wh", "not a valid Snowflake identifier"),
])
def test_invalid_props_are_refused_when_built(synth_stack, field, value, message):
    props = _props() if field == "name" else _props(**{field: value})
    if field == "name":
        props = BillingWarehouseProps(name=value, monitor=props.monitor)
    with pytest.raises(ValueError, match=message):
        synth_stack(lambda s: BillingWarehouse(s, "wh", props))


def test_grant_usage_grants_operate_only_when_asked(synth_stack):
    def build(stack):
        warehouse = BillingWarehouse(stack, "wh", _props())
        warehouse.grant_usage(FunctionalRole(stack, "reader", FunctionalRoleProps(name="R_T", comment="r")))
        warehouse.grant_usage(FunctionalRole(stack, "operator", FunctionalRoleProps(name="O_T", comment="o")),
                              operate=True)
    grants = resources(synth_stack(build), "snowflake_grant_privileges_to_account_role")
    privileges = sorted(tuple(g["privileges"]) for g in grants.values())
    assert privileges == [("USAGE", "MONITOR"), ("USAGE", "MONITOR", "OPERATE")]
