"""What a rule sees: one resource of a synthesized stack, and the stack it belongs to as a graph."""
from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ysg_core.paths import PREVIEW_FEATURES_FILE   # written beside each stack at synthesis

# `${snowflake_resource_monitor.warehouse_monitor_1A2B.name}`: a Terraform reference as cdktf writes it.
REFERENCE = re.compile(r"\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?[^}]*\}")
ADMIN_ROLES = frozenset({"ACCOUNTADMIN", "SECURITYADMIN", "ORGADMIN"})


class Result(enum.Enum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


@dataclass(frozen=True)
class Outcome:
    result: Result
    detail: str = ""


def passed(detail: str = "") -> Outcome:
    return Outcome(Result.PASSED, detail)


def failed(detail: str) -> Outcome:
    return Outcome(Result.FAILED, detail)


NOT_APPLICABLE = Outcome(Result.NOT_APPLICABLE)


@dataclass(frozen=True)
class Resource:
    """One resource block (or the provider block, type `provider.snowflake`) of a stack."""
    type: str
    name: str
    conf: dict[str, Any]

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"

    def get(self, key: str, default: Any = None) -> Any:
        return self.conf.get(key, default)


@dataclass(frozen=True)
class Stack:
    """A synthesized stack: its resources and the references between them (the graph rules walk)."""
    name: str
    resources: tuple[Resource, ...]
    provider: Resource | None = None
    # Every preview feature the installed provider accepts; None when the scan was not told.
    known_preview_features: frozenset[str] | None = None
    _by_address: dict[str, Resource] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_address.update({r.address: r for r in self.resources})

    @classmethod
    def from_file(cls, path) -> "Stack":
        """A synthesized cdk.tf.json, with the provider's preview features written beside it at synthesis."""
        path = Path(path)
        features_file = path.parent / PREVIEW_FEATURES_FILE
        known = (json.loads(features_file.read_text(encoding="utf-8"))["preview_features"]
                 if features_file.is_file() else None)
        return cls.from_document(json.loads(path.read_text(encoding="utf-8")), known)

    @classmethod
    def from_document(cls, document: dict[str, Any], known_preview_features=None) -> "Stack":
        stack_name = ((document.get("//") or {}).get("metadata") or {}).get("stackName", "")
        resources = tuple(Resource(rtype, name, conf)
                          for rtype, blocks in (document.get("resource") or {}).items()
                          for name, conf in blocks.items())
        provider_conf = ((document.get("provider") or {}).get("snowflake") or [None])[0]
        provider = Resource("provider", "snowflake", provider_conf) if provider_conf is not None else None
        known = frozenset(known_preview_features) if known_preview_features is not None else None
        return cls(stack_name, resources, provider, known)

    @property
    def environment(self) -> str:
        """`billing-prod` -> `prod`: the stack id names its environment (ysg_core.naming)."""
        return self.name.removeprefix("billing-")

    @property
    def is_production(self) -> bool:
        return self.environment == "prod"

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r.type in types]

    def get(self, address: str) -> Resource | None:
        """The resource at `type.name`, or None."""
        return self._by_address.get(address)

    def resolve(self, value: Any) -> Resource | None:
        """The resource a `${type.name.attr}` reference points at, or None (literal or dangling)."""
        if not isinstance(value, str):
            return None
        match = REFERENCE.fullmatch(value.strip())
        return self.get(f"{match.group(1)}.{match.group(2)}") if match else None

    def role_name(self, value: Any) -> str:
        """A role as Snowflake compares it: the name of the role a reference points at, or the literal
        itself, unquoted and upper-cased; "" when it is neither."""
        target = self.resolve(value)
        name = target.get("name") if target else value
        return name.strip('"').upper() if isinstance(name, str) else ""

    def all_entities(self) -> Iterator[Resource]:
        yield from self.resources
        if self.provider is not None:
            yield self.provider


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string leaf of a configuration with its dotted path (metadata excluded)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "//":
                continue
            yield from strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def unwrap(value: Any) -> Any:
    """HCL-as-JSON (and checkov's parser) may wrap scalars in one-element lists."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def as_int(value: Any) -> int | None:
    value = unwrap(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def as_bool(value: Any) -> bool | None:
    value = unwrap(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return None


@dataclass(frozen=True)
class Rule:
    """A rule: metadata plus a pure function of (resource, stack) -> Outcome."""
    id: str
    name: str
    control: str  # "CIS 1.6" or "platform guardrail"
    rationale: str
    resource_types: tuple[str, ...]  # `provider.snowflake` for stack-wide rules
    check: Callable[[Resource, Stack], Outcome]

    def applies_to(self, resource: Resource) -> bool:
        kind = "provider.snowflake" if resource.type == "provider" else resource.type
        return any(kind == t or (t.endswith("*") and kind.startswith(t[:-1])) for t in self.resource_types)
