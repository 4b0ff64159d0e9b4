"""Types of the command line's arguments: each refuses a bad value while arguments are parsed, so the
command says so in one line and exits 2 before it does anything.

Each type carries `bad_example`, a value it refuses (tests/test_cli_errors.py drives every option with it).
"""
from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from ysg_core import naming


def _example(bad: str):
    def mark(func):
        func.bad_example = bad
        return func
    return mark


def whole_number(low: int, high: int, what: str):
    """A whole number from `low` to `high`."""
    @_example(str(low - 1))
    def parse(value: str) -> int:
        try:
            number = int(value, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number ({what}: {low} to {high})") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is out of range ({what}: {low} to {high})")
        return number
    parse.__name__ = what
    return parse


@_example("../prod")
def environment(value: str) -> str:
    """An environment's name: what its file is called (`dev` for environments/dev.yaml), never a path."""
    try:
        return naming.environment_name(value)
    except naming.InvalidIdentifier as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


@_example("x; drop")
def role(value: str) -> str:
    """A Snowflake role name, unquoted."""
    try:
        return naming.identifier(value, what="role")
    except naming.InvalidIdentifier as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


_CONNECTION = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


@_example("x; drop")
def connection_name(value: str) -> str:
    """A connection's name in connections.toml, written as a bare TOML key."""
    if not _CONNECTION.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a connection name (letters, digits, '_' and '-')")
    return value


_SHA256 = re.compile(r"^(sha256:)?[0-9a-f]{64}$")


@_example("not-a-checksum")
def sha256(value: str) -> str:
    if not _SHA256.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a SHA-256 checksum (64 hexadecimal digits)")
    return value


# A plain revision: a branch, tag or commit, with ~ and ^ (`main~1`); no leading '-' that git would read as
# an option, no range (`..`) and no reflog or other `@{...}` syntax.
_REVISION = re.compile(r"^(?!-)(?!.*\.\.)(?!.*@\{)[A-Za-z0-9._/@^~-]{1,200}$")


@_example("--output=/tmp/x")
def git_revision(value: str) -> str:
    """A git revision to compare against; never something git would read as an option."""
    if not _REVISION.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a git revision such as main, origin/main or HEAD~1")
    return value


_HOST = re.compile(r"^[A-Za-z0-9.:-]{1,253}$")


@_example("x; drop")
def host(value: str) -> str:
    """A host name or IP address to listen on."""
    if not _HOST.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a host name or IP address")
    return value


def _refuse(path: Path, why: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{path}: {why}")


@_example("/proc/ysg-cannot-write-here")
def output_dir(value: str) -> Path:
    """A folder to write into: created if missing, and proven writable, before the command starts (synthesis
    also writes its scratch folder beside it)."""
    path = Path(value).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        for folder in (path, path.resolve().parent):
            with tempfile.TemporaryFile(dir=folder):
                pass
    except OSError as exc:
        raise _refuse(path, f"cannot write there ({exc.strerror or exc})") from None
    return path


@_example("/proc/ysg-cannot-write-here/plan.md")
def output_file(value: str) -> Path:
    """A file to write: its folder created if missing and proven writable, and not itself a folder."""
    path = Path(value).expanduser()
    if path.is_dir():
        raise _refuse(path, "is a folder; give a file name")
    output_dir(str(path.parent))
    return path


@_example("/proc/ysg-no-such-folder")
def existing_dir(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_dir():
        raise _refuse(path, "no such folder")
    return path


@_example("/proc/ysg-no-such-file.json")
def existing_file(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_file():
        raise _refuse(path, "no such file")
    return path
