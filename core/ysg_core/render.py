"""The one function that turns a hook's SQL file and its typed parameters into statements.

Placeholders name their type, so a reader of the file knows what may land there:
`{{ identifier:database }}`, `{{ qualified:agent_schema }}`, `{{ literal:target_lag }}`,
`{{ number:anomaly_factor }}`, `{{ identifiers:columns }}` and `{{ literals:prefixes }}` (lists, joined
with ", "). Double braces
are not Snowflake syntax, so they cannot be confused with it. Values are validated and quoted here;
configuration never reaches SQL any other way.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping

from sqlglot.dialects.snowflake import Snowflake
from sqlglot.tokens import TokenType

from ysg_core import naming
from ysg_core.errors import UserError

PLACEHOLDER = re.compile(r"\{\{\s*(?P<kind>[a-z_]+)\s*:\s*(?P<name>[a-z][a-z0-9_]*)\s*\}\}")
KINDS = ("identifier", "identifiers", "qualified", "literal", "literals", "number")


class RenderError(UserError, ValueError):
    """A SQL file or a parameter value that cannot be rendered safely; the message names the file."""


def render(text: str, params: Mapping[str, object], *, source: str) -> tuple[str, ...]:
    """Render `text` (the SQL file `source`) with typed `params`; return its statements in order.

    Refuses: a placeholder of an unknown type, a missing or unused parameter, a value that does not
    fit its placeholder's type (an identifier carrying SQL, a literal with control characters, a
    number that is not finite), a literal inside a $$-quoted body (it could not be quoted there),
    and a `{{` that is not a well-formed placeholder.
    """
    used: set[str] = set()
    pieces: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        kind, name = match.group("kind"), match.group("name")
        where = f"{source}:{text.count(chr(10), 0, match.start()) + 1}"
        if kind not in KINDS:
            raise RenderError(f"{where}: placeholder {match.group(0)!r} has unknown type {kind!r} "
                              f"(expected one of {', '.join(KINDS)})")
        if name not in params:
            raise RenderError(f"{where}: parameter {name!r} ({kind}) is not given")
        inside_dollars = text.count("$$", 0, match.start()) % 2 == 1
        pieces.append(text[position:match.start()])
        pieces.append(_value(kind, name, params[name], where, inside_dollars))
        position = match.end()
        used.add(name)
    pieces.append(text[position:])
    rendered = "".join(pieces)
    if "{{" in PLACEHOLDER.sub("", text):
        raise RenderError(f"{source}: '{{{{' that is not a placeholder of the form "
                          "'{{ type:name }}' with a lower-case name")
    unused = sorted(set(params) - used)
    if unused:
        raise RenderError(f"{source}: parameters {', '.join(unused)} are given but not used")
    statements = tuple(split_statements(rendered))
    if not statements:
        raise RenderError(f"{source}: no SQL statement in the file")
    return statements


def split_statements(rendered: str):
    """Split at the semicolons Snowflake's tokenizer (sqlglot's) sees: not those inside strings,
    `$$` bodies or comments. Each statement runs from its first token to its last, so comments
    between statements are dropped. (The connector's splitter gives the same statements, but
    importing the connector costs over a second of every synthesis.)"""
    start = end = None
    for token in _SNOWFLAKE.tokenize(rendered):
        if token.token_type == TokenType.SEMICOLON:
            if start is not None:
                yield rendered[start:end + 1]
            start = None
        else:
            start = token.start if start is None else start
            end = token.end
    if start is not None:
        yield rendered[start:end + 1]


_SNOWFLAKE = Snowflake()


def _value(kind: str, name: str, value: object, where: str, inside_dollars: bool) -> str:
    try:
        if kind == "identifier":
            return _no_dollars(naming.identifier(value, what=f"parameter {name!r}"), name)
        if kind == "identifiers":
            if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
                raise ValueError(f"parameter {name!r} {value!r} is not a non-empty list of identifiers")
            return ", ".join(_no_dollars(naming.identifier(v, what=f"parameter {name!r} entry"), name)
                             for v in value)
        if kind == "qualified":
            if not isinstance(value, str) or not 1 <= len(value.split(".")) <= 3:
                raise ValueError(f"parameter {name!r} {value!r} is not a dotted name of 1 to 3 parts")
            return _no_dollars(naming.qualified(*value.split(".")), name)
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"parameter {name!r} {value!r} is not a finite number")
            return repr(value)
        if inside_dollars:
            raise ValueError(f"literal {name!r} sits inside a $$-quoted body, where it cannot be quoted; "
                             "use an identifier or move it out of the $$ block")
        if kind == "literals":
            if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
                raise ValueError(f"parameter {name!r} {value!r} is not a non-empty list of strings")
            return ", ".join(_literal(name, v) for v in value)
        return _literal(name, value)
    except ValueError as exc:  # InvalidIdentifier is a ValueError
        raise RenderError(f"{where}: {exc}") from None


def _no_dollars(value: str, name: str) -> str:
    # `$` is legal in identifiers, but `$$` would end a dollar-quoted body the name sits in.
    if "$" in value:
        raise ValueError(f"parameter {name!r} {value!r}: '$' is refused in rendered names")
    return value


def _literal(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"literal {name!r} must be a string, got {type(value).__name__}")
    bad = sorted({f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cc"})
    if bad:
        raise ValueError(f"literal {name!r} contains control characters ({', '.join(bad)}); "
                         "encode them (for example as JSON) before passing the value")
    # Snowflake single-quoted strings: backslash starts an escape sequence, a quote is doubled.
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
