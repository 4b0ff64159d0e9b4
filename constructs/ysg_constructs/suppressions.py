"""Declare, next to a resource, that one policy rule does not apply to it, and why.

The suppression is written into the resource's synthesized metadata (`"//": {"ysg_suppressions": ...}`),
where the policy scan reads it; the scan, not this function, is the gate (it also catches hand edits).
"""
from __future__ import annotations

import re

from constructs import Construct

from ysg_constructs import bindings as b

RULE_ID = re.compile(r"^CKV_SNOW_[0-9]+$")
MINIMUM_REASON = 10


def suppress(construct: Construct, rule_id: str, reason: str) -> None:
    """Suppress `rule_id` on the one Terraform resource `construct` is (or holds)."""
    resource = _resource(construct)
    if not RULE_ID.match(rule_id):
        raise ValueError(f"{resource.node.path}: {rule_id!r} is not a policy rule id (CKV_SNOW_<n>)")
    if not isinstance(reason, str) or len(reason.strip()) < MINIMUM_REASON:
        raise ValueError(f"{resource.node.path}: suppressing {rule_id} needs a reason of at least "
                         f"{MINIMUM_REASON} characters, got {reason!r}")
    resource.add_override(f"//.ysg_suppressions.{rule_id}", reason.strip())


def _resource(construct: Construct) -> b.TerraformResource:
    if isinstance(construct, b.TerraformResource):
        return construct
    found = [c for c in construct.node.find_all() if isinstance(c, b.TerraformResource)]
    if len(found) != 1:
        raise ValueError(f"{construct.node.path}: a suppression names one resource, but this construct holds "
                         f"{len(found)}; pass the resource itself")
    return found[0]
