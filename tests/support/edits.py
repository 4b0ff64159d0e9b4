"""Edits of copied fixture files that fail loudly when the text they target has drifted away."""
from __future__ import annotations

from pathlib import Path


def edit(path: Path, old: str, new: str) -> Path:
    """Replace the first `old` in the file at `path` with `new`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: fixture edit no longer applies ({old!r})"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
