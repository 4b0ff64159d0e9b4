"""The billing warehouse, always with a resource monitor of its own.

With `adopt`, both are objects an administrator created (bootstrap/: only an administrator can create a
monitor, and the warehouse is created already assigned to it, then owned by the deploy role) and
Terraform imports them by id (`'"<warehouse_name>"'`, docs/resources/warehouse.md at v2.11.0, Import)
and keeps them as configured. The provider suppresses a `resource_monitor` that differs only in quoting
or matches Snowflake's current value (pkg/resources/warehouse.go:92), so adopting changes nothing there.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.resource_monitor import BillingResourceMonitor, ResourceMonitorProps
from ysg_constructs.role import FunctionalRole
from ysg_core.naming import identifier

SIZES = ("XSMALL", "SMALL", "MEDIUM", "LARGE", "XLARGE", "XXLARGE", "XXXLARGE", "X4LARGE", "X5LARGE", "X6LARGE")


@dataclass(frozen=True)
class BillingWarehouseProps:
    name: str
    monitor: ResourceMonitorProps
    # Defaults to the smallest size: the billing workload is light and spiky.
    size: str = "XSMALL"
    # Defaults to suspending after 60 seconds idle.
    auto_suspend_seconds: int = 60
    # Defaults to cancelling any statement that runs longer than an hour.
    statement_timeout_seconds: int = 3600
    comment: str = "YouSoundGreat Billing Intelligence: ingestion, dynamic tables, Cortex training"
    # Defaults to objects Terraform creates; True adopts the administrator's warehouse and monitor.
    adopt: bool = False


class BillingWarehouse(Construct):
    def __init__(self, scope: Construct, id: str, props: BillingWarehouseProps):
        super().__init__(scope, id)
        identifier(props.name, what="warehouse name")
        if props.size not in SIZES:
            raise ValueError(f"warehouse {props.name}: size {props.size!r} is not one of {', '.join(SIZES)}")
        if props.auto_suspend_seconds < 1:
            raise ValueError(f"warehouse {props.name}: auto_suspend_seconds must be at least 1 "
                             f"(0 never suspends), got {props.auto_suspend_seconds}")
        if props.statement_timeout_seconds < 1:
            raise ValueError(f"warehouse {props.name}: statement_timeout_seconds must be at least 1, "
                             f"got {props.statement_timeout_seconds}")
        self._name = props.name
        self._monitor = BillingResourceMonitor(self, "monitor", dataclasses.replace(props.monitor, adopt=props.adopt))
        self._warehouse = b.Warehouse(
            self, "warehouse",
            name=props.name,
            warehouse_size=props.size,
            auto_suspend=props.auto_suspend_seconds,
            auto_resume="true",
            initially_suspended=True,
            statement_timeout_in_seconds=props.statement_timeout_seconds,
            resource_monitor=self._monitor.monitor_reference,
            comment=props.comment,
            lifecycle=b.TerraformResourceLifecycle(prevent_destroy=True) if props.adopt else None,
        )
        if props.adopt:
            # Destroyed, the deploy role could not create it again (it holds no CREATE WAREHOUSE).
            self._warehouse.import_from(f'"{props.name}"')
        self._reference = self._warehouse.name

    @property
    def warehouse_name(self) -> str:
        return self._name

    @property
    def warehouse_reference(self) -> str:
        return self._reference

    @property
    def monitor(self) -> BillingResourceMonitor:
        return self._monitor

    @property
    def monitor_name(self) -> str:
        return self._monitor.monitor_name

    def grant_usage(self, role: FunctionalRole, *, operate: bool = False) -> None:
        """USAGE (and MONITOR); with `operate`, also OPERATE, to resume and suspend it."""
        privileges = ["USAGE", "MONITOR"] + (["OPERATE"] if operate else [])
        b.GrantPrivilegesToAccountRole(
            self, f"grant-{role.key}",
            account_role_name=role.role_reference,
            privileges=privileges,
            on_account_object=b.GrantPrivilegesToAccountRoleOnAccountObject(
                object_type="WAREHOUSE", object_name=self._reference),
        )
