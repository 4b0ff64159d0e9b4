"""Lookups in synthesized Terraform JSON, shared by tests."""
from __future__ import annotations


def resources(document: dict, rtype: str) -> dict[str, dict]:
    """Resources of one type, without cdktf's metadata block."""
    return {name: {k: v for k, v in body.items() if k != "//"}
            for name, body in document.get("resource", {}).get(rtype, {}).items()}


def only(document: dict, rtype: str) -> dict:
    found = list(resources(document, rtype).values())
    assert len(found) == 1, f"expected one {rtype}, found {len(found)}"
    return found[0]
