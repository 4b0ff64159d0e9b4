"""Errors every command may report, importable without loading the configuration model."""
from __future__ import annotations

from datetime import datetime


class UserError(Exception):
    """What the person running `ysg` can fix: a bad argument, a bad file, an unreachable account.

    The command line prints the message (one line per problem, naming the file and field) and exits 2.
    Any other exception is a bug in this repository and keeps its traceback.
    """


class ConfigError(UserError):
    """One or more environment files are invalid; the message names each file and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class InputFileError(UserError, ValueError):
    """A file the tool reads cannot be read as what it should be (missing, a folder, not UTF-8, not
    YAML, an alias); the message names the file, and the line where there is one."""


class ConnectionConfigError(UserError, RuntimeError):
    """No usable connection, or one that would read a secret from the repository."""


class HookDeclarationError(UserError, ValueError):
    """A post-apply hook refused at synthesis (its declaration, its SQL, or what its SQL does); the message
    names the hook, its file and, where one is at fault, the statement."""


class HookRunnerError(UserError, RuntimeError):
    """The hook runner cannot proceed (bad manifest, lost lock, unwritable ledger)."""


class LockHeld(HookRunnerError):
    """Another run holds the environment's hook lock and it has not expired."""

    def __init__(self, database: str, holder: str, expires_at: datetime | None):
        self.holder = holder
        self.expires_at = expires_at
        expiry = f"{expires_at:%Y-%m-%d %H:%M:%S} UTC" if expires_at else "an unknown time"
        super().__init__(f"another hook run holds the lock of {database}: {holder}, until {expiry}. "
                         "Wait for it to finish; if it crashed, the lock is taken over once it expires "
                         "(at once from the machine it ran on, when its process is gone).")


def field_path(loc: tuple) -> str:
    """A validation error's location as written in a YAML file: `a.b[0].c`, or "(top level)"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
