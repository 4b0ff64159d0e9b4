"""The environment's database, with its retention, and the schemas of the data contract inside it."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.role import FunctionalRole
from ysg_core.naming import identifier


@dataclass(frozen=True)
class BillingDatabaseProps:
    name: str
    data_retention_days: int
    comment: str = "YouSoundGreat Billing Intelligence"


class BillingDatabase(Construct):
    def __init__(self, scope: Construct, id: str, props: BillingDatabaseProps):
        super().__init__(scope, id)
        identifier(props.name, what="database name")
        if not 0 <= props.data_retention_days <= 90:
            raise ValueError(f"database {props.name}: data_retention_days must be 0 to 90, "
                             f"got {props.data_retention_days}")
        self._name = props.name
        self._retention = props.data_retention_days
        self._database = b.Database(
            self, "database",
            name=props.name,
            data_retention_time_in_days=props.data_retention_days,
            drop_public_schema_on_creation=True,
            comment=props.comment,
        )
        self._reference = self._database.name

    @property
    def database_name(self) -> str:
        return self._name

    @property
    def database_reference(self) -> str:
        return self._reference

    @property
    def data_retention_days(self) -> int:
        return self._retention

    def grant_usage(self, role: FunctionalRole) -> None:
        """USAGE on the database, which every role that reads or writes one of its schemas needs."""
        b.GrantPrivilegesToAccountRole(
            self, f"usage-{role.key}", account_role_name=role.role_reference, privileges=["USAGE"],
            on_account_object=b.GrantPrivilegesToAccountRoleOnAccountObject(
                object_type="DATABASE", object_name=self._reference))
