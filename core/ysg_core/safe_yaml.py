"""Every YAML the tool reads goes through here: PyYAML's safe loader, refusing what none of our files
needs and what turns a small file into a hang, a crash or a silent surprise.

Refused, with the file, line and column: anchors and aliases (a 1 KB file of nested aliases expands
into gigabytes; refused at the first one, before anything expands), merge keys (`<<`), a key given
twice in one mapping (PyYAML keeps the last silently), nesting deeper than MAX_DEPTH (PyYAML composes
recursively: deep enough, and it dies of RecursionError), `.nan` and `.inf`, and a file that is missing,
a folder, larger than MAX_BYTES or not UTF-8.
"""
from __future__ import annotations

import math
import typing
from pathlib import Path
from typing import Any

import yaml
from ysg_core.errors import InputFileError

# Our deepest file (cli/ysg/access/requirements.yaml) nests 6 levels; 32 leaves room and stays far from
# Python's recursion limit.
MAX_DEPTH = 32
# Our largest YAML is a few KB; an environment file of a megabyte is a mistake, not configuration.
MAX_BYTES = 1024 * 1024


class _Refused(yaml.MarkedYAMLError):
    """Parsable YAML that we refuse; its problem is said as is."""

    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)


class GuardedLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases, merge keys, duplicate keys, deep nesting or non-finite floats."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"an alias (*{event.anchor}) is refused: files read by ysg use "
                                "no anchors or aliases (nested aliases expand a small file into gigabytes)",
                                event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise _Refused(f"an anchor (&{event.anchor}) is refused: files read by ysg use "
                                "no anchors or aliases; write the value out", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: GuardedLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused("a merge key (<<) is refused: write the keys out",
                                   key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, typing.Hashable):
            continue   # the safe constructor refuses it below, with its line
        if key in seen:
            raise _Refused(f"not valid YAML: duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _construct_float(loader: GuardedLoader, node: yaml.ScalarNode) -> float:
    value = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise _Refused(f"{node.value!r} is not a finite number; give a number",
                               node.start_mark)
    return value


GuardedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
GuardedLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def loads(text: str, shown: str) -> Any:
    """The YAML document in `text`; `shown` names where it came from in any error."""
    try:
        return yaml.load(text, Loader=GuardedLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "unreadable"
        if not isinstance(exc, _Refused):
            problem = f"not valid YAML: {problem}"
        raise InputFileError(f"{shown}: {where}{problem}") from None
    except yaml.reader.ReaderError as exc:   # a character YAML does not allow (a control character, say)
        line = text[:exc.position].count("\n") + 1
        raise InputFileError(f"{shown}: line {line}: not valid YAML: character U+{exc.character:04X} is not "
                             "allowed") from None


def read_text(path: Path, shown: str | None = None, *, max_bytes: int = MAX_BYTES) -> str:
    """A small UTF-8 text file, or an InputFileError naming it (missing, a folder, too large, not UTF-8)."""
    path = Path(path)
    shown = shown or str(path)
    try:
        if path.is_dir():
            raise InputFileError(f"{shown}: is a folder, not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputFileError(f"{shown}: {size} bytes, more than the {max_bytes} a file read by ysg may have")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{shown}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputFileError(f"{shown}: line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                             f"{exc.start}); save the file as UTF-8") from None


def load_file(path: Path, shown: str | None = None) -> Any:
    """The YAML document of a file, read and parsed with every guard above."""
    shown = shown or str(path)
    return loads(read_text(path, shown), shown)
