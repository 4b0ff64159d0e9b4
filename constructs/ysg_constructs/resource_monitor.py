"""A credit resource monitor: notify at thresholds, suspend at 100 %, suspend immediately above it.

No FREQUENCY or START_TIMESTAMP is set, on purpose. Snowflake's CREATE RESOURCE MONITOR requires a start
timestamp with any frequency, and a start date in the configuration either lies in the past one day
(refused) or depends on the day of synthesis; left out, Snowflake keeps the "legacy behavior, whereby the
credit quota resets at the beginning of each calendar month" and monitoring starts immediately
(https://docs.snowflake.com/en/sql-reference/sql/create-resource-monitor, FREQUENCY and START_TIMESTAMP,
"Default: No value"). The provider enforces the pair too: `frequency` is RequiredWith `start_timestamp`
(pkg/resources/resource_monitor.go:47 at v2.11.0).

Only an account administrator can create a monitor ("Only users with the ACCOUNTADMIN role can create a
resource monitor, but an account administrator can grant privileges to other roles to allow other users to
view and modify resource monitors", https://docs.snowflake.com/en/user-guide/resource-monitors), and the
account's monitor is assigned by ALTER ACCOUNT, an administrator's setting (sql-reference/sql/alter-account).
So with `adopt`, the monitor is the one an administrator created (bootstrap/), imported by its id
(`'"<resource_monitor_name>"'`, docs/resources/resource_monitor.md, Import), kept as configured through
the MODIFY privilege the administrator grants, and never destroyed by Terraform (prevent_destroy: the
deploy role does not own it, so a destroy or a replacement would fail half-way through an apply).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.role import FunctionalRole
from ysg_core.naming import identifier


@dataclass(frozen=True)
class ResourceMonitorProps:
    name: str
    credit_quota: int
    # Defaults to notifying at 75 % and 90 % of the quota.
    notify_at_percent: tuple[int, ...] = (75, 90)
    # Defaults to cutting running queries off at 110 % of the quota.
    suspend_immediately_at_percent: int = 110
    # Defaults to nobody by name (account administrators who enabled notifications still hear of it).
    # Users named here must exist in the account with a verified e-mail address: "Each user listed must
    # have a verified email address" (CREATE RESOURCE MONITOR, NOTIFY_USERS). This stack creates no
    # people, so only name users your identity provider created and who verified their address.
    notify_users: tuple[str, ...] = field(default_factory=tuple)
    # Defaults to a monitor Terraform creates; True adopts the one an administrator created (see above).
    adopt: bool = False


class BillingResourceMonitor(Construct):
    SUSPEND_AT_PERCENT = 100

    def __init__(self, scope: Construct, id: str, props: ResourceMonitorProps):
        super().__init__(scope, id)
        identifier(props.name, what="resource monitor name")
        if props.credit_quota < 1:
            raise ValueError(f"resource monitor {props.name}: credit_quota must be at least 1, got {props.credit_quota}")
        if not props.notify_at_percent or any(not 0 < p <= 100 for p in props.notify_at_percent):
            raise ValueError(f"resource monitor {props.name}: notify_at_percent must be percentages in (0, 100], "
                             f"got {list(props.notify_at_percent)}")
        if props.suspend_immediately_at_percent <= self.SUSPEND_AT_PERCENT:
            raise ValueError(f"resource monitor {props.name}: suspend_immediately_at_percent must exceed "
                             f"{self.SUSPEND_AT_PERCENT}, got {props.suspend_immediately_at_percent}")
        for user in props.notify_users:
            identifier(user, what="notified user")
        self._name = props.name
        self._monitor = b.ResourceMonitor(
            self, "monitor",
            name=props.name,
            credit_quota=props.credit_quota,
            notify_triggers=list(props.notify_at_percent),
            suspend_trigger=self.SUSPEND_AT_PERCENT,
            suspend_immediate_trigger=props.suspend_immediately_at_percent,
            notify_users=list(props.notify_users) or None,
            lifecycle=b.TerraformResourceLifecycle(prevent_destroy=True) if props.adopt else None,
        )
        if props.adopt:
            self._monitor.import_from(f'"{props.name}"')
        self._reference = self._monitor.name

    def grant_monitor(self, role: "FunctionalRole") -> None:
        """MONITOR: see the monitor's quota and the credits used (SHOW RESOURCE MONITORS)."""
        b.GrantPrivilegesToAccountRole(
            self, f"monitor-{role.key}", account_role_name=role.role_reference, privileges=["MONITOR"],
            on_account_object=b.GrantPrivilegesToAccountRoleOnAccountObject(
                object_type="RESOURCE MONITOR", object_name=self._reference))

    @property
    def monitor_name(self) -> str:
        return self._name

    @property
    def monitor_reference(self) -> str:
        return self._reference
