"""IPv4 allowlist network rules and the network policy built from them."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.schema import BillingSchema
from ysg_core.naming import identifier


@dataclass(frozen=True)
class NetworkPolicyProps:
    name: str
    # Rule name (unqualified, created in the given schema) -> IPv4 CIDR blocks it admits.
    allowlists: dict[str, tuple[str, ...]]
    # Defaults to leaving the account's network policy alone (only one environment may own it).
    attach_to_account: bool = False


class BillingNetworkPolicy(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, props: NetworkPolicyProps):
        super().__init__(scope, id)
        identifier(props.name, what="network policy name")
        if not any(props.allowlists.values()):
            raise ValueError(f"network policy {props.name}: no allowlist has any CIDR block; "
                             "the policy would lock everyone out")
        rules = []
        for rule_name, cidrs in props.allowlists.items():
            identifier(rule_name, what="network rule name")
            if not cidrs:
                continue
            for cidr in cidrs:
                network = ipaddress.IPv4Network(cidr, strict=True)
                if network.prefixlen == 0:
                    raise ValueError(f"network rule {rule_name}: {cidr} admits every address")
            rule = b.NetworkRule(self, f"rule-{rule_name.lower()}",
                                 database=schema.database_reference, schema=schema.schema_name_reference,
                                 name=rule_name, type="IPV4", mode="INGRESS", value_list=list(cidrs),
                                 comment=f"Ingress allowlist {rule_name}")
            rules.append(rule)
        self._name = props.name
        self._policy = b.NetworkPolicy(self, "policy", name=props.name,
                                       allowed_network_rule_list=[r.fully_qualified_name for r in rules],
                                       comment="YouSoundGreat Billing Intelligence ingress allowlist")
        self._reference = self._policy.name
        if props.attach_to_account:
            b.NetworkPolicyAttachment(self, "account", network_policy_name=self._reference,
                                      set_for_account=True)

    @property
    def policy_name(self) -> str:
        return self._name

    @property
    def policy_reference(self) -> str:
        return self._reference
