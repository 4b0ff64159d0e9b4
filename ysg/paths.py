"""Where things are in the repository: importable without loading anything else."""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS_DIR = REPO_ROOT / "environments"

# What synthesis reads: a synthesized stack older than any file here is stale. `data/` holds the
# knowledge documents and `app/` the app files, both rendered into the hook manifests.
SYNTH_SOURCES = ("environments", "constructs", "stacks", "ysg", "sql", "data", "app")


def newer_source(built: Path) -> Path | None:
    """A source file newer than `built` (or `built` itself when it does not exist), else None."""
    if not built.exists():
        return built
    built_at = built.stat().st_mtime
    for root in SYNTH_SOURCES:
        for source in (REPO_ROOT / root).rglob("*"):
            if source.is_file() and "__pycache__" not in source.parts and source.stat().st_mtime > built_at:
                return source
    return None
