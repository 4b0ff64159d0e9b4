"""The hook manifest: the exact SQL each environment will run, written beside its cdk.tf.json.

Synthesis writes it (`hooks.json`); the runner reads it. It is the one seam between the two, so it is
validated on read: a manifest that was edited by hand or half written is refused, not half run.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ysg_core.errors import UserError
from ysg_core.naming import InvalidIdentifier, identifier

MANIFEST_FILE = "hooks.json"
# 2: the role and warehouse the runner pins on every connection, and a hook's own role where it has one.
# 3: each hook's declared `creates` and `writes` (ysg_hooks.effects). Version 2 is still read (a plan's
# base side may predate 3): its hooks declare nothing.
FORMAT_VERSION = 3
READABLE_VERSIONS = (2, 3)


class ManifestError(UserError, ValueError):
    """The manifest is missing, malformed, or its checksums do not match its SQL."""


def checksum(statements: list[str] | tuple[str, ...], role: str | None = None) -> str:
    """What a hook does: its statements, and the role it runs as when it has its own (objects belong to
    the role that creates them, so another role is another result)."""
    digest = hashlib.sha256()
    for statement in statements:
        digest.update(statement.encode("utf-8"))
        digest.update(b"\x00")
    if role is not None:
        digest.update(b"role\x00" + role.encode("utf-8"))
    return f"sha256:{digest.hexdigest()}"


@dataclass(frozen=True)
class Write:
    """An object a hook writes without creating it, what it does there, and why (for the reviewer)."""
    object: str
    operations: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class RenderedHook:
    name: str                       # unique in the stack, e.g. "analytics.dt_account_billing"
    sql_file: str                   # repository-relative path of the source file under sql/
    depends_on: tuple[str, ...]     # names of hooks that must have applied first
    snowflake_only: bool            # needs a service the emulator lacks (Cortex, ML, agents)
    reason: str                     # why it is Snowflake-only ("" otherwise), shown when skipped
    statements: tuple[str, ...]     # rendered SQL, one statement each, in order
    order: int = 0                  # position in a dependency order (ties broken by name)
    checksum: str = ""
    role: str | None = None         # runs as this role instead of the manifest's (None: the manifest's)
    creates: tuple[str, ...] = ()   # what it declares it creates (checked against its statements at synthesis)
    writes: tuple[Write, ...] = ()  # what it declares it writes without creating, with why

    def with_checksum(self) -> "RenderedHook":
        return replace(self, statements=tuple(self.statements), depends_on=tuple(self.depends_on),
                       creates=tuple(self.creates), writes=tuple(self.writes),
                       checksum=checksum(self.statements, self.role))


@dataclass(frozen=True)
class Manifest:
    environment: str
    stack: str
    target: str                     # "snowflake" or "emulator"
    hooks: tuple[RenderedHook, ...] = field(default_factory=tuple)
    # What the runner pins on every connection it opens, never the user's defaults: the role hooks run as
    # (unless a hook names its own) and the warehouse their statements run on. None only for manifests
    # built in tests, which then connect as given.
    role: str | None = None
    warehouse: str | None = None

    def by_name(self) -> dict[str, RenderedHook]:
        return {hook.name: hook for hook in self.hooks}

    def to_json(self) -> str:
        return json.dumps({"format_version": FORMAT_VERSION, "environment": self.environment,
                           "stack": self.stack, "target": self.target,
                           "run_as": {"role": self.role, "warehouse": self.warehouse},
                           "hooks": [asdict(h) for h in self.hooks]}, indent=2) + "\n"


def manifest_checksum(manifest: Manifest) -> str:
    """The checksum of a whole manifest, as written (`write_manifest`): any change to a hook, its order,
    its role or the session the runner pins changes it. The stack's hook trigger runs the hooks again
    when it changes, and `file_checksum` of the written file is the same value."""
    return _sha256(manifest.to_json().encode("utf-8"))


def file_checksum(path: Path) -> str:
    return _sha256(Path(path).read_bytes())


def _sha256(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def ordered(hooks: list[RenderedHook]) -> tuple[RenderedHook, ...]:
    """The hooks in dependency order, each with its position and checksum."""
    by_name = {hook.name: hook for hook in hooks}
    return tuple(replace(by_name[name].with_checksum(), order=index)
                 for index, name in enumerate(_dependency_order(hooks)))


def _dependency_order(hooks: Sequence[RenderedHook]) -> list[str]:
    """Hook names in topological order (Kahn), ties broken by name; refuses duplicate names, unknown
    dependencies and cycles."""
    remaining: dict[str, set[str]] = {}
    for hook in hooks:
        if hook.name in remaining:
            raise ManifestError(f"hook {hook.name!r} is declared twice")
        remaining[hook.name] = set(hook.depends_on)
    for hook in hooks:
        for dep in hook.depends_on:
            if dep not in remaining:
                raise ManifestError(f"hook {hook.name!r} depends on unknown hook {dep!r}")
    result: list[str] = []
    while remaining:
        ready = sorted(name for name, deps in remaining.items() if not deps)
        if not ready:
            raise ManifestError(f"hooks depend on each other in a cycle: {', '.join(sorted(remaining))}")
        result.extend(ready)
        for name in ready:
            del remaining[name]
        for deps in remaining.values():
            deps.difference_update(ready)
    return result


def verify_manifest(manifest: Manifest, source: str = "") -> None:
    """Refuse a manifest that was altered after synthesis or smuggles a second statement into one.

    `load_manifest` checks files (`source` names the file in messages); the runner checks again, for
    manifests built in memory."""
    # Lazy, for start-up: render loads sqlglot (about 0.15 s), which `ysg`'s parser, importing this module for
    # the manifest's names, need not wait for.
    from ysg_core.render import split_statements

    prefix = f"{source}: " if source else ""
    try:
        for what, value in (("run_as.role", manifest.role), ("run_as.warehouse", manifest.warehouse),
                            *((f"hook {h.name!r} role", h.role) for h in manifest.hooks)):
            if value is not None:
                identifier(value, what=what)
    except InvalidIdentifier as exc:
        raise ManifestError(f"{prefix}{exc}") from None
    for hook in manifest.hooks:
        where = f"{prefix}hook {hook.name!r} ({hook.sql_file})"
        if hook.checksum != checksum(hook.statements, hook.role):
            raise ManifestError(f"{where} does not match its checksum; refusing to run SQL that synthesis "
                                "did not render, synthesize again")
        if not hook.statements:
            raise ManifestError(f"{where} has no statements")
        for index, statement in enumerate(hook.statements, start=1):
            if len(tuple(split_statements(statement))) != 1:
                raise ManifestError(f"{where} statement {index} holds more than one SQL statement; "
                                    "each manifest entry must be exactly one")
    if _dependency_order(manifest.hooks) != [h.name for h in manifest.hooks]:
        raise ManifestError(f"{prefix}hooks are not in dependency order; synthesize again")


def write_manifest(stack_dir: Path, manifest: Manifest) -> Path:
    path = Path(stack_dir) / MANIFEST_FILE
    path.write_text(manifest.to_json(), encoding="utf-8")
    return path


def load_manifest(path: Path) -> Manifest:
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: no hook manifest; run `ysg synth` first") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}: not valid JSON ({exc})") from None
    if data.get("format_version") not in READABLE_VERSIONS:
        raise ManifestError(f"{path}: format_version {data.get('format_version')!r}, expected {FORMAT_VERSION}")
    try:
        hooks = tuple(RenderedHook(**{**h, "depends_on": tuple(h["depends_on"]),
                                      "statements": tuple(h["statements"]),
                                      "creates": tuple(h.get("creates", ())),
                                      "writes": tuple(Write(w["object"], tuple(w["operations"]), w["reason"])
                                                      for w in h.get("writes", ()))}) for h in data["hooks"])
        run_as = data["run_as"]
        manifest = Manifest(environment=data["environment"], stack=data["stack"], target=data["target"],
                            hooks=hooks, role=run_as["role"], warehouse=run_as["warehouse"])
    except (KeyError, TypeError) as exc:
        raise ManifestError(f"{path}: malformed hook entry ({exc})") from None
    verify_manifest(manifest, source=str(path))
    return manifest
