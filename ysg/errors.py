"""Errors every command may report, importable without loading the configuration model."""
from __future__ import annotations


class ConfigError(Exception):
    """One or more environment files are invalid; the message names each file and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class ConnectionConfigError(RuntimeError):
    """No usable connection, or one that would read a secret from the repository."""


def field_path(loc: tuple) -> str:
    """A validation error's location as written in a YAML file: `a.b[0].c`, or "(top level)"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
