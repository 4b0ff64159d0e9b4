"""Who owns a path according to the repository's CODEOWNERS file, as GitHub reads it.

GitHub looks for the file in `.github/`, the root and `docs/`, first found wins; patterns follow
.gitignore rules, and "the last matching pattern takes the most precedence"; a pattern with no owner
leaves the path unowned
(https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners).
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
OWNER = re.compile(r"^(@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$")


class CodeownersError(ValueError):
    """The CODEOWNERS file has a line GitHub would not understand; names file and line."""


def codeowners_file(repo: Path) -> Path | None:
    return next((Path(repo) / name for name in LOCATIONS if (Path(repo) / name).is_file()), None)


def owners(repo: Path, path: str) -> tuple[str, ...]:
    """The owners of repository-relative `path`, or () when it has none (or there is no file)."""
    found = codeowners_file(repo)
    if found is None:
        return ()
    result: tuple[str, ...] = ()
    for number, line in enumerate(found.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        pattern, *names = line.split()
        bad = [n for n in names if not OWNER.fullmatch(n)]
        if bad:
            raise CodeownersError(f"{found.relative_to(repo)}:{number}: {bad[0]!r} is not an owner "
                                  "(@user, @org/team or an e-mail address)")
        if _matches(pattern, path):
            result = tuple(names)
    return result


def _matches(pattern: str, path: str) -> bool:
    """gitignore-style: a leading or inner `/` anchors at the root (else the pattern matches at any
    depth), a trailing `/` matches only a directory's contents, `*` and `?` stay within one segment,
    `**` crosses them; a pattern naming a directory covers everything inside it."""
    anchored = "/" in pattern.rstrip("/")
    directory = pattern.endswith("/")
    body = "".join(".*" if part == "**" else "[^/]*" if part == "*" else "[^/]" if part == "?" else re.escape(part)
                   for part in re.split(r"(\*\*|\*|\?)", pattern.strip("/")))
    # GitHub's one departure from gitignore: "`docs/*` will match files like docs/getting-started.md but
    # not further nested files", so a wildcard in the last segment does not reach into directories.
    last_is_wildcard = "*" in pattern.strip("/").rsplit("/", 1)[-1]
    regex = ("" if anchored else "(?:.*/)?") + body + ("/.*" if directory else "" if last_is_wildcard else "(?:/.*)?")
    return re.fullmatch(regex, PurePosixPath(path).as_posix()) is not None
