"""The hook manifest: the exact SQL each environment will run, written beside its cdk.tf.json.

Synthesis writes it (`hooks.json`); the runner reads it. It is the one seam between the two, so it is
validated on read: a manifest that was edited by hand or half written is refused, not half run.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_FILE = "hooks.json"
FORMAT_VERSION = 1


class ManifestError(ValueError):
    """The manifest is missing, malformed, or its checksums do not match its SQL."""


def checksum(statements: list[str] | tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for statement in statements:
        digest.update(statement.encode("utf-8"))
        digest.update(b"\x00")
    return f"sha256:{digest.hexdigest()}"


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

    def with_checksum(self) -> "RenderedHook":
        return RenderedHook(**{**asdict(self), "statements": tuple(self.statements),
                               "depends_on": tuple(self.depends_on), "checksum": checksum(self.statements)})


@dataclass(frozen=True)
class Manifest:
    environment: str
    stack: str
    target: str                     # "snowflake" or "emulator"
    hooks: tuple[RenderedHook, ...] = field(default_factory=tuple)

    def by_name(self) -> dict[str, RenderedHook]:
        return {hook.name: hook for hook in self.hooks}

    def to_json(self) -> str:
        return json.dumps({"format_version": FORMAT_VERSION, "environment": self.environment,
                           "stack": self.stack, "target": self.target,
                           "hooks": [asdict(h) for h in self.hooks]}, indent=2) + "\n"


def ordered(hooks: list[RenderedHook]) -> tuple[RenderedHook, ...]:
    """Topological order (Kahn), ties broken by name; refuses unknown dependencies and cycles."""
    by_name = {}
    for hook in hooks:
        if hook.name in by_name:
            raise ManifestError(f"hook {hook.name!r} is declared twice")
        by_name[hook.name] = hook
    for hook in hooks:
        for dep in hook.depends_on:
            if dep not in by_name:
                raise ManifestError(f"hook {hook.name!r} depends on unknown hook {dep!r}")
    remaining = {name: set(h.depends_on) for name, h in by_name.items()}
    result: list[RenderedHook] = []
    while remaining:
        ready = sorted(name for name, deps in remaining.items() if not deps)
        if not ready:
            raise ManifestError(f"hooks depend on each other in a cycle: {', '.join(sorted(remaining))}")
        for name in ready:
            hook = by_name[name]
            result.append(RenderedHook(**{**asdict(hook), "statements": tuple(hook.statements),
                                          "depends_on": tuple(hook.depends_on),
                                          "order": len(result), "checksum": checksum(hook.statements)}))
            del remaining[name]
        for deps in remaining.values():
            deps.difference_update(ready)
    return tuple(result)


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
    if data.get("format_version") != FORMAT_VERSION:
        raise ManifestError(f"{path}: format_version {data.get('format_version')!r}, expected {FORMAT_VERSION}")
    try:
        hooks = tuple(RenderedHook(**{**h, "depends_on": tuple(h["depends_on"]),
                                      "statements": tuple(h["statements"])}) for h in data["hooks"])
        manifest = Manifest(environment=data["environment"], stack=data["stack"], target=data["target"],
                            hooks=hooks)
    except (KeyError, TypeError) as exc:
        raise ManifestError(f"{path}: malformed hook entry ({exc})") from None
    for hook in manifest.hooks:
        if hook.checksum != checksum(hook.statements):
            raise ManifestError(f"{path}: hook {hook.name!r} does not match its checksum; "
                                "the manifest was edited after synthesis, synthesize again")
    names = [h.name for h in manifest.hooks]
    if [h.name for h in ordered(list(manifest.hooks))] != names:
        raise ManifestError(f"{path}: hooks are not in dependency order; synthesize again")
    return manifest
