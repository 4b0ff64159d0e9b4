"""Read synthesized stacks back: resources by type, for people and for tests."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def resources_by_type(stack_file: Path) -> Counter:
    document = json.loads(Path(stack_file).read_text(encoding="utf-8"))
    return Counter({rtype: len(items) for rtype, items in document.get("resource", {}).items()})


def format_summary(stack_dirs: dict[str, Path]) -> str:
    lines = []
    for env, stack_dir in stack_dirs.items():
        counts = resources_by_type(stack_dir / "cdk.tf.json")
        lines.append(f"{stack_dir.name}: {sum(counts.values())} resources  ({_shown(stack_dir / 'cdk.tf.json')})")
        width = max(len(t) for t in counts)
        for rtype, count in sorted(counts.items()):
            lines.append(f"  {rtype:<{width}}  {count:>3}")
    return "\n".join(lines)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
