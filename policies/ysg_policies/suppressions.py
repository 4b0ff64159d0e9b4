"""Suppressions declared next to a resource, in its synthesized metadata: `"//": {"ysg_suppressions": {...}}`.

One suppression names one rule on one resource and carries a reason a reviewer can read.
"""
from __future__ import annotations

from dataclasses import dataclass

from ysg_policies.model import Resource, Stack

KEY = "ysg_suppressions"
MINIMUM_REASON = 10
# How the checkov adapter marks a suppressed finding's reason among its details, and how the scan reads it.
SUPPRESSED = "suppressed: "


@dataclass(frozen=True)
class Suppression:
    stack: str
    resource: str  # address: type.name
    rule_id: str
    reason: str

    def problem(self, known_rules) -> str | None:
        """Why this suppression is invalid, or None."""
        if self.rule_id not in known_rules:
            return f"suppresses {self.rule_id}, which is not a rule of the pack"
        if not isinstance(self.reason, str) or len(self.reason.strip()) < MINIMUM_REASON:
            return f"suppresses {self.rule_id} without a reason of at least {MINIMUM_REASON} characters"
        return None


def of_resource(resource: Resource, stack_name: str = "") -> list[Suppression]:
    declared = (resource.conf.get("//") or {}).get(KEY) or {}
    if not isinstance(declared, dict):
        return [Suppression(stack_name, resource.address, "?", "")]
    return [Suppression(stack_name, resource.address, rule_id, reason if isinstance(reason, str) else "")
            for rule_id, reason in declared.items()]


def of_stack(stack: Stack) -> list[Suppression]:
    return [s for r in stack.all_entities() for s in of_resource(r, stack.name)]


def valid_reason(resource: Resource, rule_id: str, known_rules) -> str | None:
    """The reason this resource suppresses `rule_id` for, if the suppression is valid; else None."""
    for suppression in of_resource(resource):
        if suppression.rule_id == rule_id and suppression.problem(known_rules) is None:
            return suppression.reason.strip()
    return None
