"""Conformance of synthesized stacks with the Snowflake provider: every resource type and attribute exists in
the provider's schema, and every literal value is one the provider (cli/ysg/provider_facts.json, read from its Go
source) and the installed bindings' documentation (documented-values.json beside each stack) allow.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ysg.provider_facts import Attribute, ProviderFacts, ResourceFacts, attribute_values, load
from ysg_core.paths import DOCUMENTED_VALUES_FILE

# Resource types built into Terraform, with the arguments they take: `terraform_data` "has the following
# arguments: input ... triggers_replace" (https://developer.hashicorp.com/terraform/language/resources/terraform-data);
# it needs no provider, so the provider's facts do not know it.
BUILTIN_RESOURCES = {"terraform_data": frozenset({"input", "triggers_replace"})}
# Terraform's meta-arguments and cdktf's metadata: not attributes of any provider schema.
META_ARGUMENTS = frozenset({"//", "count", "depends_on", "for_each", "lifecycle", "provider", "provisioner",
                            "connection", "timeouts"})


@dataclass(frozen=True)
class Finding:
    stack: str
    address: str
    attribute: str
    value: Any
    problem: str
    allowed: tuple = ()
    source: str = ""

    def __str__(self) -> str:
        what = self.attribute or "resource"
        if self.attribute and self.value is not None:
            what += f" = {json.dumps(self.value)}"
        line = f"{self.stack} {self.address}: {what} {self.problem}"
        if self.allowed:
            line += f"; allowed: {', '.join(str(v) for v in self.allowed)}"
        return line + (f" ({self.source})" if self.source else "")


def check_stack(stack: str, document: dict, documented: dict | None, facts: ProviderFacts | None = None) -> list[Finding]:
    """Every finding of one synthesized stack (cdk.tf.json as a dict); `documented` is documented-values.json."""
    facts = facts or load()
    findings: list[Finding] = []
    if documented is None:
        findings.append(Finding(stack, DOCUMENTED_VALUES_FILE, "", None,
                                "is missing beside the stack: synthesize it with `ysg synth`"))
    for rtype, items in sorted((document.get("resource") or {}).items()):
        resource = facts.resources.get(rtype)
        for logical_id, body in sorted(items.items()):
            address = f"{rtype}.{logical_id}"
            if rtype in BUILTIN_RESOURCES:
                findings += [Finding(stack, address, key, None, f"is not an argument of Terraform's built-in {rtype}")
                             for key in sorted(set(body) - META_ARGUMENTS - BUILTIN_RESOURCES[rtype])]
                continue
            if resource is None:
                findings.append(Finding(stack, address, "", None,
                                        f"has no provider facts: {rtype} is not a resource type of the provider "
                                        f"at {facts.tag}"))
                continue
            config = {k: v for k, v in body.items() if k not in META_ARGUMENTS}
            findings += _check_resource(stack, address, config, resource, facts)
            if documented is not None:
                findings += _check_documented(stack, address, config, resource, documented)
    return findings


def _check_resource(stack: str, address: str, config: dict, resource: ResourceFacts,
                    facts: ProviderFacts) -> list[Finding]:
    found = []
    values = attribute_values(config, resource)
    for path, seen in sorted(values.items()):
        attribute = resource.attributes.get(path)
        if attribute is None:
            found.append(Finding(stack, address, path, seen[0], "is not an attribute of the provider's schema "
                                 f"of {resource.type} at {facts.tag}"))
            continue
        if not attribute.settable:
            found.append(Finding(stack, address, path, seen[0], "is computed by the provider and cannot be set",
                                 source=facts.cite(attribute.source)))
            continue
        if attribute.deprecated:
            found.append(Finding(stack, address, path, seen[0], f"is deprecated: {attribute.deprecated}",
                                 source=facts.cite(attribute.deprecated_source)))
        for value in _literals(seen, attribute.allowed.each_element if attribute.allowed else False):
            found += _check_value(stack, address, attribute, value, facts)
    found += _missing_required(stack, address, config, resource, "", facts)
    return found


def _check_value(stack: str, address: str, attribute: Attribute, value: Any, facts: ProviderFacts) -> list[Finding]:
    found = []
    allowed = attribute.allowed
    if allowed is not None:
        candidate = _as_type(value, allowed.values)
        if not allowed.admits(candidate):
            rule = "case-insensitive" if allowed.case_insensitive else "case-sensitive"
            found.append(Finding(stack, address, attribute.path, value, f"is not allowed by the provider ({rule})",
                                 allowed.values, facts.cite(allowed.source)))
    if attribute.int_range is not None:
        low, high, source = attribute.int_range
        number = _as_int(value)
        if number is None or (low is not None and number < low) or (high is not None and number > high):
            bounds = f"{'' if low is None else low}..{'' if high is None else high}"
            found.append(Finding(stack, address, attribute.path, value,
                                 f"is outside the provider's range {bounds}", source=facts.cite(source)))
    return found


def _missing_required(stack: str, address: str, block: dict, resource: ResourceFacts, prefix: str,
                      facts: ProviderFacts) -> list[Finding]:
    found = []
    for path, attribute in resource.attributes.items():
        if not path.startswith(prefix) or "." in path[len(prefix):]:
            continue
        name = path[len(prefix):]
        if attribute.required and name not in block:
            found.append(Finding(stack, address, path, None, "is required by the provider and not set",
                                 source=facts.cite(attribute.required)))
        if attribute.block and isinstance(block.get(name), (dict, list)):
            for inner in block[name] if isinstance(block[name], list) else [block[name]]:
                if isinstance(inner, dict):
                    found += _missing_required(stack, address, inner, resource, path + ".", facts)
    return found


def _check_documented(stack: str, address: str, config: dict, resource: ResourceFacts,
                      documented: dict) -> list[Finding]:
    """Values against the enumerations the installed bindings document (a second, independent reading)."""
    found = []
    documented_type = (documented.get("resources") or {}).get(resource.type)
    if documented_type is None:
        return [Finding(stack, address, "", None, f"{resource.type} is not in {DOCUMENTED_VALUES_FILE}: "
                        "synthesize again with `ysg synth`")]
    for path, seen in sorted(attribute_values(config, resource).items()):
        entry = documented_type.get(path)
        if entry is None:
            continue
        values = tuple(entry["values"])
        insensitive = entry.get("case_insensitive") is not False   # not stated: the provider's facts rule on case
        for value in _literals(seen, True):
            text = str(value)
            ok = text.upper() in {v.upper() for v in values} if insensitive else text in values
            if not ok:
                found.append(Finding(stack, address, path, value, "is not among the values the provider bindings "
                                     "document", values, f"{DOCUMENTED_VALUES_FILE}, from the bindings' docstrings"))
    return found


def _literals(seen: list, each_element: bool) -> list:
    """The literal values of an attribute: Terraform references (`${...}`) are known only at apply."""
    out = []
    for value in seen:
        items = value if isinstance(value, list) and each_element else [value]
        for item in items:
            if isinstance(item, (dict, list)) or item is None:
                continue
            if isinstance(item, str) and "${" in item:
                continue
            out.append(item)
    return out


def _as_type(value: Any, allowed: tuple) -> Any:
    """Terraform converts a JSON value to the attribute's type: true -> "true" for a string, "5" -> 5 for a number."""
    if allowed and isinstance(allowed[0], str) and not isinstance(value, str):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if allowed and isinstance(allowed[0], int):
        number = _as_int(value)
        return value if number is None else number
    return value


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def check_stack_dir(stack_dir: Path, facts: ProviderFacts | None = None) -> list[Finding]:
    """The findings of a synthesized stack folder (cdk.tf.json and documented-values.json)."""
    document = json.loads((stack_dir / "cdk.tf.json").read_text(encoding="utf-8"))
    documented_file = stack_dir / DOCUMENTED_VALUES_FILE
    documented = json.loads(documented_file.read_text(encoding="utf-8")) if documented_file.is_file() else None
    return check_stack(stack_dir.name, document, documented, facts)
