"""The e-mail notification integration the cost alerts send through, limited to the environment's recipients."""
from __future__ import annotations

import re
from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.role import FunctionalRole
from ysg_core.naming import identifier

_EMAIL = re.compile(r"^[^@\s,;'\"]+@[^@\s,;'\"]+\.[A-Za-z]{2,63}$")


@dataclass(frozen=True)
class AlertEmailIntegrationProps:
    name: str
    # Verified e-mail addresses of users in the account: SYSTEM$SEND_EMAIL sends to no one else.
    allowed_recipients: tuple[str, ...]
    # Defaults to a comment naming the alerts that use it.
    comment: str = "Cost alerts of Billing Intelligence (SFE_CREDIT_ALERT, SFE_ANOMALY_ALERT)"


class AlertEmailIntegration(Construct):
    def __init__(self, scope: Construct, id: str, props: AlertEmailIntegrationProps):
        super().__init__(scope, id)
        identifier(props.name, what="e-mail notification integration name")
        if not props.allowed_recipients:
            raise ValueError(f"e-mail notification integration {props.name}: allowed_recipients is empty; "
                             "alerts would have no one to write to")
        bad = [r for r in props.allowed_recipients if not _EMAIL.fullmatch(r)]
        if bad:
            raise ValueError(f"e-mail notification integration {props.name}: {', '.join(map(repr, bad))} "
                             "is not an e-mail address")
        # snowflake_email_notification_integration: name (ForceNew), enabled, allowed_recipients (set),
        # comment (provider v2.11.0 pkg/resources/email_notification_integration.go:22-45).
        self._integration = b.EmailNotificationIntegration(
            self, "integration", name=props.name, enabled=True,
            allowed_recipients=list(props.allowed_recipients), comment=props.comment)
        self._reference = self._integration.name
        self._name = props.name
        self._recipients = tuple(props.allowed_recipients)

    def grant_usage(self, role: FunctionalRole) -> None:
        """USAGE: what an alert's owner needs to send through it with SYSTEM$SEND_EMAIL."""
        b.GrantPrivilegesToAccountRole(
            self, f"usage-{role.key}", account_role_name=role.role_reference, privileges=["USAGE"],
            on_account_object=b.GrantPrivilegesToAccountRoleOnAccountObject(
                object_type="INTEGRATION", object_name=self._reference))

    @property
    def integration_name(self) -> str:
        return self._name

    @property
    def recipients(self) -> tuple[str, ...]:
        return self._recipients
