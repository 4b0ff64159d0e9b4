"""A SERVICE-type user that authenticates with an RSA key pair, inside the network policy."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs._validate import pem_body
from ysg_constructs.network_policy import BillingNetworkPolicy
from ysg_constructs.role import FunctionalRole
from ysg_core.naming import identifier


def public_key_body(pem: str) -> str:
    return pem_body(pem, "PUBLIC KEY")


@dataclass(frozen=True)
class ServiceUserProps:
    name: str
    rsa_public_key_pem: str
    comment: str
    # Defaults to no second key; set one while rotating keys.
    rsa_public_key_2_pem: str | None = None


class BillingServiceUser(Construct):
    def __init__(self, scope: Construct, id: str, role: FunctionalRole, warehouse_name: str,
                 network_policy: BillingNetworkPolicy, props: ServiceUserProps):
        super().__init__(scope, id)
        identifier(props.name, what="service user name")
        self._user = b.ServiceUser(
            self, "user", name=props.name, comment=props.comment,
            rsa_public_key=public_key_body(props.rsa_public_key_pem),
            rsa_public_key2=public_key_body(props.rsa_public_key_2_pem) if props.rsa_public_key_2_pem else None,
            default_role=role.role_reference, default_warehouse=warehouse_name,
            default_secondary_roles_option="NONE", network_policy=network_policy.policy_reference)
        role.grant_to_user(id, self._user.name)
        self._name = props.name

    @property
    def user_name(self) -> str:
        return self._name
