"""Hooks new, changed or removed between two syntheses, with a unified diff of their SQL and what their
statements destroy (the prod guard asks an allowance for it).

Reads the hook manifest (`hooks.json`) beside each cdk.tf.json; a side without one has no hooks.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ysg_hooks.effects import REPLACE, UnreadableStatement, destroys_data, effects
from ysg_hooks.manifest import MANIFEST_FILE, RenderedHook, load_manifest


@dataclass(frozen=True)
class HookChange:
    name: str
    action: str                     # "added", "changed" or "removed"
    sql_file: str
    diff: str                       # unified diff of the rendered SQL ("" when only the order changed)
    snowflake_only: bool = False
    # What its statements (the head's) destroy: (guard action, "statement N <what it does>"); the guard
    # action is "replace" for a CREATE OR REPLACE of an object holding data, "destroy" otherwise.
    destroys: tuple[tuple[str, str], ...] = ()


def destructive_statements(hook: RenderedHook) -> tuple[tuple[str, str], ...]:
    """What a hook's statements destroy: rows deleted, tables truncated, overwritten or replaced, objects
    or columns dropped (ysg_hooks.effects.destroys_data). A statement whose effects cannot be read counts
    as destructive: the guard does not pass what it cannot see."""
    found = []
    for index, statement in enumerate(hook.statements, start=1):
        try:
            done = effects(statement)
        except UnreadableStatement as exc:
            found.append(("destroy", f"statement {index}: cannot read what it does ({exc})"))
            continue
        found += [("replace" if e.action == REPLACE else "destroy", f"statement {index} {e.describe()}")
                  for e in done if destroys_data(e) and not e.kind.startswith("TEMPORARY")]
    return tuple(found)


def load_hooks(stack_dir: Path | None) -> dict[str, RenderedHook]:
    if stack_dir is None or not (Path(stack_dir) / MANIFEST_FILE).exists():
        return {}
    return load_manifest(Path(stack_dir)).by_name()


def sql_text(hook: RenderedHook | None) -> list[str]:
    if hook is None:
        return []
    return "\n\n".join(s.rstrip().rstrip(";") + ";" for s in hook.statements).splitlines(keepends=True)


def diff_hooks(before_dir: Path | None, after_dir: Path | None) -> list[HookChange]:
    before, after = load_hooks(before_dir), load_hooks(after_dir)
    changes = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is not None and new is not None and old.checksum == new.checksum and old.depends_on == new.depends_on:
            continue
        action = "added" if old is None else "removed" if new is None else "changed"
        source = (new or old).sql_file
        lines = difflib.unified_diff(sql_text(old), sql_text(new),
                                     fromfile=f"a/{old.sql_file}" if old else "/dev/null",
                                     tofile=f"b/{new.sql_file}" if new else "/dev/null")
        text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        changes.append(HookChange(name, action, source, text, (new or old).snowflake_only,
                                  destructive_statements(new) if new is not None else ()))
    return changes
