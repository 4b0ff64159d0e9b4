import pytest

from ysg_constructs.resource_monitor import BillingResourceMonitor, ResourceMonitorProps

from tfdoc import only, resources


def test_notify_then_suspend_at_100_then_immediately_above(synth_stack):
    doc = synth_stack(lambda s: BillingResourceMonitor(s, "m", ResourceMonitorProps(
        name="M_T", credit_quota=50, notify_at_percent=(50, 80), notify_users=("ONCALL",))))
    monitor = only(doc, "snowflake_resource_monitor")
    assert (monitor["notify_triggers"], monitor["suspend_trigger"], monitor["suspend_immediate_trigger"],
            monitor["credit_quota"], monitor["notify_users"]) == ([50, 80], 100, 110, 50, ["ONCALL"])
    assert resources(doc, "snowflake_execute") == {}


def test_no_schedule_that_ties_the_configuration_to_a_date(synth_stack):
    """No frequency or start timestamp: Snowflake's calendar-month reset, starting immediately. A start
    date in the configuration is refused once it is past (finding 3 of issue 11)."""
    doc = synth_stack(lambda s: BillingResourceMonitor(s, "m", ResourceMonitorProps(name="M_T", credit_quota=5)))
    monitor = only(doc, "snowflake_resource_monitor")
    assert "frequency" not in monitor and "start_timestamp" not in monitor and "end_timestamp" not in monitor


def test_an_adopted_monitor_is_imported_by_its_quoted_name_and_never_destroyed(synth_stack):
    """Only an administrator creates monitors (bootstrap/); Terraform imports the one it made, with the id
    the provider documents ('"<resource_monitor_name>"', docs/resources/resource_monitor.md, Import)."""
    doc = synth_stack(lambda s: BillingResourceMonitor(s, "m", ResourceMonitorProps(
        name="M_T", credit_quota=5, adopt=True)))
    (rid,) = resources(doc, "snowflake_resource_monitor")
    assert doc["import"] == [{"to": f"snowflake_resource_monitor.{rid}", "id": '"M_T"'}]
    assert only(doc, "snowflake_resource_monitor")["lifecycle"] == {"prevent_destroy": True}
    assert resources(doc, "snowflake_execute") == {}   # no ALTER ACCOUNT: that is the administrator's


def test_a_monitor_terraform_creates_is_not_imported(synth_stack):
    doc = synth_stack(lambda s: BillingResourceMonitor(s, "m", ResourceMonitorProps(name="M_T", credit_quota=5)))
    assert "import" not in doc and "lifecycle" not in only(doc, "snowflake_resource_monitor")


@pytest.mark.parametrize("overrides,message", [
    ({"credit_quota": 0}, "credit_quota must be at least 1"),
    ({"suspend_immediately_at_percent": 100}, "must exceed 100"),
    ({"notify_at_percent": (0, 50)}, "notify_at_percent must be percentages"),
])
def test_invalid_props_are_refused(synth_stack, overrides, message):
    props = ResourceMonitorProps(**{"name": "M_T", "credit_quota": 5, **overrides})
    with pytest.raises(ValueError, match=message):
        synth_stack(lambda s: BillingResourceMonitor(s, "m", props))


def test_grant_monitor_lets_a_role_see_the_quota_and_credits_used(synth_stack):
    from ysg_constructs.role import FunctionalRole, FunctionalRoleProps

    def build(stack):
        monitor = BillingResourceMonitor(stack, "m", ResourceMonitorProps(name="M_T", credit_quota=5))
        monitor.grant_monitor(FunctionalRole(stack, "app", FunctionalRoleProps(name="APP_T", comment="a")))
    doc = synth_stack(build)
    (monitor_id,) = resources(doc, "snowflake_resource_monitor")
    grant = only(doc, "snowflake_grant_privileges_to_account_role")
    assert (grant["privileges"], grant["on_account_object"]) == (
        ["MONITOR"], {"object_type": "RESOURCE MONITOR", "object_name": f"${{snowflake_resource_monitor.{monitor_id}.name}}"})
