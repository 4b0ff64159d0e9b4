"""The one rewrite a hook statement gets before it runs: a PUT of a repository file, made absolute."""
from __future__ import annotations

import re
from pathlib import Path

from ysg_core.errors import HookRunnerError

_PUT_FILE = re.compile(r"^(?P<head>\s*PUT\s+')file://(?P<path>[^']*)'", re.I)


def local_files(statement: str, root: Path) -> str:
    """A PUT of a repository file, with its path made absolute under `root` for this run. The manifest names
    the file relative to the repository root, so hooks.json holds no path of any machine and the same
    manifest runs from any folder; a path that leaves the root is refused (a hook cannot put ~/.ssh on a
    stage). Other statements are returned as they are."""
    match = _PUT_FILE.match(statement)
    if match is None:
        return statement
    relative = match["path"]
    path = (root / relative).resolve()
    if relative.startswith("/") or not path.is_relative_to(root) or "'" in str(path):
        raise HookRunnerError(f"PUT of {relative!r}: hooks put files of the repository only, named relative to "
                              "its root")
    return f"{match['head']}file://{path.as_posix()}'{statement[match.end():]}"
