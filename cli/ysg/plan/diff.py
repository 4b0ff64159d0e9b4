"""Resource-level difference between two synthesized stacks (cdk.tf.json documents), with secrets redacted.

Without Terraform there is no provider to ask which changes replace an object, so the provider's own schema
decides, read from its source (cli/ysg/provider_facts.json): an attribute with ForceNew, or a conditional
force-new whose condition holds. A change travels through references: whatever refers to a replaced object,
or to an attribute that changes (or that the provider recomputes from one), changes too (README: "Which
changes are replacements").
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ysg.provider_facts import Attribute, ProviderFacts, load

# CustomizeDiff helpers whose condition is "the attribute goes from a value to empty" (pkg/resources/custom_diffs.go
# at v2.11.0, lines 77-99). An inline condition counts for the changes the facts say it fires on (probed by
# tools/provider_facts.py); any other (ForceNewIf, ForceNewIfAllKeysAreNotSet, an unprobed one) counts whenever
# its attribute changes: conservative, since the plan cannot evaluate Go.
EMPTYING_HELPERS = frozenset({"ForceNewIfChangeToEmptyString", "ForceNewIfChangeToEmptySet",
                              "ForceNewIfChangeToEmptySlice"})
KNOWN_AFTER_APPLY = "(known after apply)"
NOT_REFERENCES = frozenset({"depends_on"})      # an ordering, not a value the resource holds
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
    propagated: bool = False        # its text is unchanged, but it refers to something that changes


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

    @property
    def renamed(self) -> bool:
        """Its own `name` changes in place: the object keeps its identity, every consumer naming it breaks."""
        return self.action == "update" and any(a.path == "name" and not a.propagated for a in self.attributes)


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


def diff_stacks(before: dict | None, after: dict | None, facts: ProviderFacts | None = None) -> StackDiff:
    """Compare two cdk.tf.json documents; either may be None (the stack is new or gone)."""
    facts = facts or load()
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
            "replace", gone.type, address, twin.path, attribute_changes(gone.type, gone.body, twin.body, facts=facts),
            reason=f"construct id changed ({gone.path} -> {twin.path}): Terraform destroys "
                   f"{address} and creates {twin.address}", new_address=twin.address))

    for address in sorted(set(old) & set(new)):
        attributes = attribute_changes(new[address].type, _object(old[address].body), _object(new[address].body),
                                       facts=facts)
        if not attributes:
            continue
        forcing = [a.path for a in attributes if a.forces_replacement]
        if forcing:
            changes.append(ResourceChange("replace", new[address].type, address, new[address].path, attributes,
                                          reason=f"{', '.join(forcing)} changed: forces a replacement"))
        else:
            changes.append(ResourceChange("update", new[address].type, address, new[address].path, attributes))
    changes = _propagate(changes, old, new, facts)
    for address, resource in sorted(added.items()):
        changes.append(ResourceChange("create", resource.type, address, resource.path,
                                      attribute_changes(resource.type, {}, resource.body, creating=True, facts=facts)))
    for address, resource in sorted(removed.items()):
        changes.append(ResourceChange("delete", resource.type, address, resource.path))
    changes.sort(key=lambda c: (c.type, c.address))
    return StackDiff(changes, preview_features(before), preview_features(after), _settings(before, after))


REFERENCE = re.compile(r"\$\{([a-z0-9_]+\.[A-Za-z0-9_\-]+)\.([a-z0-9_]+)")


def _propagate(changes: list[ResourceChange], old: dict[str, Resource], new: dict[str, Resource],
               facts: ProviderFacts) -> list[ResourceChange]:
    """Changes that follow from others, to a fixpoint: an attribute whose text is unchanged but which refers
    to a replaced object, or to an attribute that changes (or that the provider recomputes from one), changes
    too, to a value known only after apply; it replaces its resource when the provider forces a new object
    on a change of it (a grant on a renamed database, a table in a replaced schema)."""
    by_address = {c.address: c for c in changes}
    aliases = {c.new_address: c for c in changes if c.new_address}      # construct ids that changed
    moving = True
    while moving:
        moving = False
        for address in sorted(set(old) & set(new)):
            current = by_address.get(address)
            if current is not None and current.action == "replace":
                continue
            resource = new[address]
            textual = {a.path for a in current.attributes} if current else set()
            found = []
            for path, value in sorted(flatten(resource.body).items()):
                if path in textual or path.split(".")[0].split("[")[0] in NOT_REFERENCES:
                    continue
                cause = _changed_reference(value, by_address, aliases, facts)
                if cause is not None:
                    found.append((path, value, cause, _forces_when_unknown(resource.type, path, facts)))
            if not found:
                continue
            attributes = (current.attributes if current else ()) + tuple(
                AttributeChange(path, show(path, value), KNOWN_AFTER_APPLY, forces, propagated=True)
                for path, value, _, forces in found)
            forcing = [(path, cause) for path, _, cause, forces in found if forces]
            if forcing:
                path, cause = forcing[0]
                by_address[address] = ResourceChange("replace", resource.type, address, resource.path, attributes,
                                                      reason=f"{path} refers to {cause}: forces a replacement")
            else:
                why = "; ".join(f"{path} refers to {cause}" for path, _, cause, _ in found)
                by_address[address] = ResourceChange("update", resource.type, address, resource.path, attributes,
                                                      reason="; ".join(r for r in (current.reason if current else "",
                                                                                   why) if r))
            moving = True
    return list(by_address.values())


def _changed_reference(value: Any, changes: dict[str, ResourceChange], aliases: dict[str, ResourceChange],
                       facts: ProviderFacts) -> str | None:
    texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    for text in texts:
        for target, attribute in REFERENCE.findall(text):
            change = changes.get(target) or aliases.get(target)
            if change is None or change.action not in ("replace", "update"):
                continue
            if change.action == "replace":
                return f"{target}, which is replaced"
            changed = {re.split(r"[.\[]", a.path, maxsplit=1)[0] for a in change.attributes}
            if attribute in changed:
                return f"{target}.{attribute}, which changes"
            resource = facts.resources.get(change.type)
            for recomputed in (resource.recomputed if resource else ()):
                if recomputed.attribute == attribute and changed & set(recomputed.when_changed):
                    cause = sorted(changed & set(recomputed.when_changed))[0]
                    return f"{target}.{attribute}, which the provider recomputes when {cause} changes"
    return None


def _facts_attribute(rtype: str, path: str, facts: ProviderFacts) -> tuple[Attribute | None, list[Attribute]]:
    """The facts of a flattened path (`column[2].type` -> `column.type`; a map's key -> the map) and of the
    blocks around it, outermost first."""
    resource = facts.resources.get(rtype)
    if resource is None:
        return None, []
    parts = re.sub(r"\[\d+\]", "", path).split(".")
    blocks = []
    for end in range(1, len(parts) + 1):
        attribute = resource.attributes.get(".".join(parts[:end]))
        if attribute is None:
            return None, blocks
        if not attribute.block or end == len(parts):
            return attribute, blocks
        blocks.append(attribute)
    return None, blocks


def _forces_when_unknown(rtype: str, path: str, facts: ProviderFacts) -> bool:
    """A change to a value known only after apply: ForceNew, or any conditional force-new (conservative: its
    condition cannot be evaluated on an unknown value)."""
    attribute, _ = _facts_attribute(rtype, path, facts)
    return bool(attribute and (attribute.force_new or attribute.force_new_if))


def _forces(rtype: str, path: str, was: Any, now: Any, flat_before: dict, flat_after: dict,
            facts: ProviderFacts) -> bool:
    attribute, blocks = _facts_attribute(rtype, path, facts)
    if attribute is not None:
        if attribute.force_new:
            return True
        for condition in attribute.force_new_if:
            fires = ("set->empty",) if condition.helper in EMPTYING_HELPERS else condition.fires_when
            if fires is None or _transition(was, now) in fires:
                return True
    # A ForceNew block that appears or disappears replaces the object (its attributes decide the rest).
    raw = re.split(r"\.", path)
    for depth, block in enumerate(blocks, 1):
        prefix = ".".join(raw[:depth])
        if block.force_new and _present(prefix, flat_before) != _present(prefix, flat_after):
            return True
    return False


def _transition(was: Any, now: Any) -> str:
    return ("set" if _filled(was) else "empty") + "->" + ("set" if _filled(now) else "empty")


def _filled(value: Any) -> bool:
    return value is not _ABSENT and value not in ("", [], None, {})


def _present(prefix: str, flat: dict) -> bool:
    return any(k == prefix or k.startswith(prefix + ".") or k.startswith(prefix + "[") for k in flat)


# Meta-arguments that change how Terraform orders or checks an object, never the object: a resource
# whose only difference is here is planned with no change (Terraform language docs, "Meta-arguments";
# a creation-time provisioner runs only when its resource is created).
NOT_THE_OBJECT = frozenset({"depends_on", "provisioner", "lifecycle"})


def _object(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in NOT_THE_OBJECT}


def attribute_changes(rtype: str, before: dict, after: dict, creating: bool = False,
                      facts: ProviderFacts | None = None) -> tuple[AttributeChange, ...]:
    flat_before, flat_after = flatten(before), flatten(after)
    result = []
    for path in sorted(set(flat_before) | set(flat_after)):
        was, now = flat_before.get(path, _ABSENT), flat_after.get(path, _ABSENT)
        if was == now:
            continue
        forces = (not creating and facts is not None
                  and _forces(rtype, path, was, now, flat_before, flat_after, facts))
        result.append(AttributeChange(path, show(path, was), show(path, now), forces_replacement=forces))
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
