"""Evaluate the pack over a whole stack in-process: what checkov computes through the adapter, without it."""
from __future__ import annotations

from dataclasses import dataclass

from ysg_policies.model import Outcome, Result, Stack
from ysg_policies.pack import pack_rules


@dataclass(frozen=True)
class Finding:
    rule_id: str
    resource: str
    outcome: Outcome


def evaluate(stack: Stack) -> list[Finding]:
    findings = []
    for rule_id, (rule, _level) in pack_rules().items():
        for resource in stack.all_entities():
            if rule.applies_to(resource):
                outcome = rule.check(resource, stack)
                if outcome.result is not Result.NOT_APPLICABLE:
                    findings.append(Finding(rule_id, resource.address, outcome))
    return findings


def failures(stack: Stack) -> list[Finding]:
    return [f for f in evaluate(stack) if f.outcome.result is Result.FAILED]
