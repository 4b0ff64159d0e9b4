"""Resource-level difference between two synthesized stacks (cdk.tf.json documents), with secrets redacted.

Without Terraform there is no provider schema to say which attribute changes force a replacement, so
REPLACEMENT_ATTRIBUTES is a small table kept by hand (README: "Which changes count as replacements").
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

# Attributes whose change makes Terraform destroy and recreate the object. Compiled by hand for the
# Snowflake provider 2.x from its resource schemas (ForceNew) and, for names, deliberately stricter:
# the provider renames databases, schemas, tables and stages in place (ALTER ... RENAME), but every
# consumer that names them breaks, so a rename is reviewed like a replacement. Limits: only the types
# listed here are checked, columns of a table are not (the provider alters most of them in place).
REPLACEMENT_ATTRIBUTES: dict[str, frozenset[str]] = {
    "snowflake_database": frozenset({"name", "is_transient"}),
    "snowflake_schema": frozenset({"name", "database", "is_transient"}),
    "snowflake_table": frozenset({"name", "database", "schema"}),
    "snowflake_stage": frozenset({"name", "database", "schema"}),
    "snowflake_pipe": frozenset({"name", "database", "schema", "copy_statement", "auto_ingest"}),
    "snowflake_file_format": frozenset({"name", "database", "schema", "format_type"}),
}

SECRET_KEY = re.compile(r"password|private_key|token|secret|passphrase|credentials", re.IGNORECASE)
SECRET_IN_VALUE = re.compile(r"(password|secret|token|passphrase|private_key)\w*\s*=", re.IGNORECASE)
PUBLIC_KEY_KEY = re.compile(r"public_key|x509_cert|certificate", re.IGNORECASE)
PEM_PRIVATE = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
REDACTED = "(redacted)"
METADATA_KEY = "//"


@dataclass(frozen=True)
class Resource:
    type: str
    logical_id: str
    path: str                       # construct path, e.g. billing-prod/raw-stage/stage
    body: dict

    @property
    def address(self) -> str:
        return f"{self.type}.{self.logical_id}"

    @property
    def identity(self) -> tuple:
        """What the object is called in Snowflake, independent of its construct id."""
        return (self.type, self.body.get("database"), self.body.get("schema"), self.body.get("name"))


@dataclass(frozen=True)
class AttributeChange:
    path: str
    before: str                     # already redacted and formatted for people
    after: str
    forces_replacement: bool = False


@dataclass(frozen=True)
class ResourceChange:
    action: str                     # "create", "update", "delete" or "replace"
    type: str
    address: str                    # the address Terraform destroys (delete, replace) or changes
    path: str
    attributes: tuple[AttributeChange, ...] = ()
    reason: str = ""                # why a replacement happens
    new_address: str = ""           # for a construct-id change: the address created in its place

    @property
    def destructive(self) -> bool:
        return self.action in ("delete", "replace")


@dataclass
class StackDiff:
    changes: list[ResourceChange] = field(default_factory=list)
    preview_before: tuple[str, ...] = ()
    preview_after: tuple[str, ...] = ()
    settings: tuple[AttributeChange, ...] = ()    # provider (besides preview features) and backend

    def by_action(self, action: str) -> list[ResourceChange]:
        return [c for c in self.changes if c.action == action]


def resources(document: dict | None) -> dict[str, Resource]:
    found = {}
    for rtype, items in (document or {}).get("resource", {}).items():
        for logical_id, body in items.items():
            path = body.get(METADATA_KEY, {}).get("metadata", {}).get("path", logical_id)
            clean = {k: v for k, v in body.items() if k != METADATA_KEY}
            resource = Resource(rtype, logical_id, path, clean)
            found[resource.address] = resource
    return found


def preview_features(document: dict | None) -> tuple[str, ...]:
    providers = (document or {}).get("provider", {}).get("snowflake", [])
    return tuple(sorted({f for p in providers for f in p.get("preview_features_enabled", [])}))


def diff_stacks(before: dict | None, after: dict | None) -> StackDiff:
    """Compare two cdk.tf.json documents; either may be None (the stack is new or gone)."""
    old, new = resources(before), resources(after)
    removed = {a: r for a, r in old.items() if a not in new}
    added = {a: r for a, r in new.items() if a not in old}
    changes: list[ResourceChange] = []

    # A construct id that changed while the object kept its name: Terraform destroys and recreates it.
    by_identity = {r.identity: r for r in added.values() if r.body.get("name")}
    for address, gone in sorted(removed.items()):
        twin = by_identity.get(gone.identity)
        if twin is None or twin.address not in added:
            continue
        del added[twin.address]
        del removed[address]
        changes.append(ResourceChange(
            "replace", gone.type, address, twin.path, attribute_changes(gone.type, gone.body, twin.body),
            reason=f"construct id changed ({gone.path} -> {twin.path}): Terraform destroys "
                   f"{address} and creates {twin.address}", new_address=twin.address))

    for address in sorted(set(old) & set(new)):
        attributes = attribute_changes(new[address].type, old[address].body, new[address].body)
        if not attributes:
            continue
        forcing = [a.path for a in attributes if a.forces_replacement]
        if forcing:
            changes.append(ResourceChange("replace", new[address].type, address, new[address].path, attributes,
                                          reason=f"{', '.join(forcing)} changed: forces a replacement"))
        else:
            changes.append(ResourceChange("update", new[address].type, address, new[address].path, attributes))
    changes = _cascade(changes, old, new)
    for address, resource in sorted(added.items()):
        changes.append(ResourceChange("create", resource.type, address, resource.path,
                                      attribute_changes(resource.type, {}, resource.body, creating=True)))
    for address, resource in sorted(removed.items()):
        changes.append(ResourceChange("delete", resource.type, address, resource.path))
    changes.sort(key=lambda c: (c.type, c.address))
    return StackDiff(changes, preview_features(before), preview_features(after), _settings(before, after))


REFERENCE = re.compile(r"\$\{([a-z0-9_]+\.[A-Za-z0-9_\-]+)\.([a-z0-9_]+)")


def _cascade(changes: list[ResourceChange], old: dict[str, Resource], new: dict[str, Resource]) -> list[ResourceChange]:
    """Replacements that follow from others: a table's `schema` refers to a schema that is replaced, or
    whose name changes, so the text of the table is unchanged but Terraform still recreates it."""
    by_address = {c.address: c for c in changes}
    moving = True
    while moving:
        moving = False
        for address in sorted(set(old) & set(new)):
            current = by_address.get(address)
            if current is not None and current.action == "replace":
                continue
            resource = new[address]
            for attribute in sorted(REPLACEMENT_ATTRIBUTES.get(resource.type, ())):
                cause = _changed_reference(resource.body.get(attribute), by_address)
                if cause is None:
                    continue
                by_address[address] = ResourceChange(
                    "replace", resource.type, address, resource.path, current.attributes if current else (),
                    reason=f"{attribute} refers to {cause}: forces a replacement")
                moving = True
                break
    return list(by_address.values())


def _changed_reference(value: Any, changes: dict[str, ResourceChange]) -> str | None:
    for target, attribute in REFERENCE.findall(value if isinstance(value, str) else ""):
        change = changes.get(target)
        if change is None:
            continue
        if change.action == "replace":
            return f"{target}, which is replaced"
        if any(a.path == attribute for a in change.attributes):
            return f"{target}.{attribute}, which changes"
    return None


def attribute_changes(rtype: str, before: dict, after: dict, creating: bool = False) -> tuple[AttributeChange, ...]:
    flat_before, flat_after = flatten(before), flatten(after)
    forcing = REPLACEMENT_ATTRIBUTES.get(rtype, frozenset())
    result = []
    for path in sorted(set(flat_before) | set(flat_after)):
        was, now = flat_before.get(path, _ABSENT), flat_after.get(path, _ABSENT)
        if was == now:
            continue
        top = re.split(r"[.\[]", path, maxsplit=1)[0]
        result.append(AttributeChange(path, show(path, was), show(path, now),
                                      forces_replacement=not creating and top in forcing))
    return tuple(result)


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


_ABSENT = _Absent()


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested attributes as dotted paths (`column[2].type`), so a change names exactly what differs."""
    if isinstance(value, dict) and (value or not prefix):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and any(isinstance(v, (dict, list)) for v in value):
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: value}


def show(path: str, value: Any) -> str:
    """A value as reviewers see it: secrets redacted, key and certificate bodies shortened."""
    if value is _ABSENT:
        return "(absent)"
    if SECRET_KEY.search(path) or (isinstance(value, str) and (PEM_PRIVATE.search(value)
                                                                or SECRET_IN_VALUE.search(value))):
        return REDACTED
    if PUBLIC_KEY_KEY.search(path) and isinstance(value, str) and len(value) > 24:
        return shorten_key(value)
    return value if isinstance(value, str) else json.dumps(value)


def shorten_key(body: str) -> str:
    """A public key or certificate body: its ends and a fingerprint, enough to see that it changed."""
    compact = "".join(line for line in body.splitlines() if not line.startswith("-----"))
    fingerprint = hashlib.sha256(compact.encode("utf-8")).hexdigest()[:12]
    return f"{compact[:8]}…{compact[-6:]} (sha256 {fingerprint})"


def _settings(before: dict | None, after: dict | None) -> tuple[AttributeChange, ...]:
    def strip(document: dict | None) -> dict:
        document = document or {}
        providers = [{k: v for k, v in p.items() if k != "preview_features_enabled"}
                     for p in document.get("provider", {}).get("snowflake", [])]
        return {"provider.snowflake": providers, "terraform.backend": document.get("terraform", {}).get("backend", {})}
    return attribute_changes("", strip(before), strip(after)) if (before and after) else ()
