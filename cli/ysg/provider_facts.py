"""The Snowflake provider's facts (cli/ysg/provider_facts.json, written by tools/provider_facts.py from the provider's
Go source at the pinned tag): per resource type and attribute path, what forces a replacement and which values
are allowed. Read by the conformance check and the offline plan.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FACTS_FILE = Path(__file__).with_name("provider_facts.json")


class ProviderFactsError(ValueError):
    """The facts file is missing or malformed; the message names the file and the field."""


@dataclass(frozen=True)
class AllowedValues:
    values: tuple
    case_insensitive: bool
    each_element: bool
    source: str

    def admits(self, value) -> bool:
        if self.case_insensitive and isinstance(value, str):
            return value.upper() in {str(v).upper() for v in self.values}
        return value in self.values


@dataclass(frozen=True)
class ForceNewIf:
    helper: str
    source: str
    condition: str = ""             # the Go source of an inline condition
    fires_when: tuple[str, ...] | None = None   # of set->empty, empty->set, set->set; None: not known


@dataclass(frozen=True)
class Attribute:
    path: str                       # "on.object_type": nested blocks joined by dots, list indexes left out
    type: str
    source: str
    required: str = ""              # each flag holds its source line, or "" when it is not set
    optional: str = ""
    computed: str = ""
    force_new: str = ""
    force_new_if: tuple[ForceNewIf, ...] = ()
    deprecated: str = ""            # the provider's deprecation message
    deprecated_source: str = ""
    block: bool = False
    allowed: AllowedValues | None = None
    int_range: tuple[int | None, int | None, str] | None = None     # (min, max, source)

    @property
    def settable(self) -> bool:
        return bool(self.required or self.optional)


@dataclass(frozen=True)
class Recomputed:
    attribute: str
    when_changed: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ResourceFacts:
    type: str
    attributes: dict[str, Attribute]
    recomputed: tuple[Recomputed, ...] = ()

    def recomputed_from(self, changed: str) -> list[Recomputed]:
        """The computed attributes the provider recomputes when `changed` (a top-level attribute) changes."""
        return [r for r in self.recomputed if changed in r.when_changed]


@dataclass(frozen=True)
class ProviderFacts:
    repository: str
    tag: str
    commit: str
    resources: dict[str, ResourceFacts]
    unresolved: tuple[dict, ...] = field(default=())

    def cite(self, source: str) -> str:
        """A source line as a citation a reader can open: `repository@tag:path:line`."""
        return f"{self.repository}@{self.tag}:{source}"


def _attribute(path: str, raw: dict) -> Attribute:
    allowed = raw.get("allowed")
    int_range = raw.get("int_range")
    return Attribute(
        path=path, type=raw["type"], source=raw["source"],
        required=raw.get("required", ""), optional=raw.get("optional", ""), computed=raw.get("computed", ""),
        force_new=raw.get("force_new", ""),
        force_new_if=tuple(ForceNewIf(e["helper"], e["source"], e.get("condition", ""),
                                      tuple(e["fires_when"]) if "fires_when" in e else None)
                           for e in raw.get("force_new_if", [])),
        deprecated=(raw.get("deprecated") or {}).get("message", ""),
        deprecated_source=(raw.get("deprecated") or {}).get("source", ""),
        block=bool(raw.get("block")),
        allowed=AllowedValues(tuple(allowed["values"]), bool(allowed.get("case_insensitive")),
                              bool(allowed.get("each_element")), allowed["source"]) if allowed else None,
        int_range=(int_range.get("min"), int_range.get("max"), int_range["source"]) if int_range else None)


def parse(document: dict, origin: str = str(FACTS_FILE)) -> ProviderFacts:
    where = "provider"
    try:
        provider = document["provider"]
        resources = {}
        for rtype, raw in document["resources"].items():
            where = f"resources.{rtype}"
            attributes = {path: _attribute(path, a) for path, a in raw.get("attributes", {}).items()}
            recomputed = tuple(Recomputed(r["attribute"], tuple(r["when_changed"]), r["source"])
                               for r in raw.get("recomputed", []))
            resources[rtype] = ResourceFacts(rtype, attributes, recomputed)
        return ProviderFacts(provider["repository"], provider["tag"], provider["commit"], resources,
                             tuple(document.get("unresolved", [])))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ProviderFactsError(f"{origin}: {where}: malformed ({type(exc).__name__}: {exc}); "
                                 "regenerate it with tools/provider_facts.py") from None


@lru_cache(maxsize=4)
def load(path: Path = FACTS_FILE) -> ProviderFacts:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProviderFactsError(f"{path}: missing; write it with tools/provider_facts.py") from None
    except json.JSONDecodeError as exc:
        raise ProviderFactsError(f"{path}: not valid JSON ({exc})") from None
    return parse(document, str(path))


def attribute_values(body: dict, resource: ResourceFacts | None, prefix: str = "") -> dict[str, list]:
    """Every attribute a resource body sets, by facts path (`on.object_type`), with the values found there.

    A nested block (as the facts say) is an object or a list of objects in cdk.tf.json; list indexes are
    left out of the path, so one path may carry several values (every column's `type`, say). A map
    attribute is a value, not a block.
    """
    found: dict[str, list] = {}
    for key, value in body.items():
        path = f"{prefix}{key}"
        found.setdefault(path, []).append(value)
        attribute = resource.attributes.get(path) if resource else None
        if attribute is None or not attribute.block:
            continue
        for block in (value if isinstance(value, list) else [value]):
            if isinstance(block, dict):
                for inner, values in attribute_values(block, resource, path + ".").items():
                    found.setdefault(inner, []).extend(values)
    return found
