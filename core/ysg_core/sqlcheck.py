"""Check that a rendered statement is Snowflake SQL, and say how thoroughly it was checked.

Level "sqlglot": sqlglot (dialect snowflake) parses the statement into a typed expression.
Level "grammar": sqlglot only sees a generic Command (CREATE AGENT, CORTEX SEARCH SERVICE,
SNOWFLAKE.ML.CLASSIFICATION, masking policies, tasks, alerts, some GRANTs, the semantic-view
procedure). Such a statement must match the documented grammar of its head (`GRAMMARS`, with the page
it comes from),
have balanced quoting, parentheses and $$ bodies, and its embedded SQL is parsed by sqlglot and its
embedded YAML/JSON by their parsers. Anything else is refused: there is no unchecked level.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from ysg_core import safe_yaml
from ysg_core.errors import InputFileError, UserError

SQLGLOT = "sqlglot"
GRAMMAR = "grammar"

_ID = r'(?:[A-Z_][A-Z0-9_$]*|"[^"]+")'
_QN = rf"{_ID}(?:\.{_ID}){{0,2}}"
_STR = r"'(?:[^'\\]|\\.|'')*'"
_FLAGS = re.I | re.S


class SqlCheckError(UserError, ValueError):
    """A statement that is not Snowflake SQL as far as these checks can tell."""


@dataclass(frozen=True)
class Check:
    level: str        # "sqlglot" or "grammar"
    grammar: str      # the grammar's name for level "grammar", the sqlglot expression type otherwise
    reference: str    # where the grammar is documented ("" for sqlglot)


@dataclass(frozen=True)
class Grammar:
    name: str
    pattern: re.Pattern
    reference: str
    embedded: Callable[[re.Match], None] = lambda match: None


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """Only errors from sqlglot's logger inside the block; its level is restored after."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def check_statement(statement: str) -> Check:
    """Return how `statement` was checked; raise SqlCheckError if it fails every check."""
    with quiet_sqlglot():   # the Command fallback warning is this module's business
        try:
            tree = sqlglot.parse_one(statement, read="snowflake")
            parse_error = None
        except (ParseError, TokenError) as exc:
            tree, parse_error = None, exc
    if tree is not None and not isinstance(tree, exp.Command):
        return Check(SQLGLOT, type(tree).__name__, "")
    _balanced(statement)
    matched = match_grammar(statement)
    if matched:
        grammar, match = matched
        grammar.embedded(match)
        return Check(GRAMMAR, grammar.name, grammar.reference)
    reason = f"sqlglot: {str(parse_error).splitlines()[0]}" if parse_error else "sqlglot sees a generic Command"
    raise SqlCheckError(f"statement matches no documented grammar ({reason}): {statement[:120]!r}")


def match_grammar(statement: str) -> tuple[Grammar, re.Match] | None:
    """The documented grammar a generic command matches, with its named parts, or None. The named
    groups (`name`, `table`, `policy`, `role`, ...) are what other readers (the access model) need."""
    for grammar in GRAMMARS:
        match = grammar.pattern.fullmatch(statement.strip())
        if match:
            return grammar, match
    return None


def _balanced(statement: str) -> None:
    """Quotes, double-quoted names, $$ bodies and parentheses must all close."""
    depth, i, n = 0, 0, len(statement)
    while i < n:
        c = statement[i]
        if statement.startswith("$$", i):
            end = statement.find("$$", i + 2)
            if end < 0:
                raise SqlCheckError(f"unclosed $$ body: {statement[:120]!r}")
            i = end + 2
            continue
        if c == "'":
            i += 1
            while i < n:
                if statement[i] == "\\":
                    i += 2
                    continue
                if statement[i] == "'":
                    if statement.startswith("''", i):
                        i += 2
                        continue
                    break
                i += 1
            if i >= n:
                raise SqlCheckError(f"unclosed string literal: {statement[:120]!r}")
        elif c == '"':
            end = statement.find('"', i + 1)
            if end < 0:
                raise SqlCheckError(f"unclosed quoted identifier: {statement[:120]!r}")
            i = end
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                raise SqlCheckError(f"')' without '(': {statement[:120]!r}")
        i += 1
    if depth:
        raise SqlCheckError(f"{depth} unclosed '(': {statement[:120]!r}")


def _sql(text: str, what: str, expected: type | tuple[type, ...] = exp.Expression) -> exp.Expression:
    try:
        tree = sqlglot.parse_one(text, read="snowflake")
    except (ParseError, TokenError) as exc:
        raise SqlCheckError(f"{what} does not parse: {str(exc).splitlines()[0]}") from None
    if isinstance(tree, exp.Command) or not isinstance(tree, expected):
        names = " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))
        raise SqlCheckError(f"{what} is not a {names}: {text[:120]!r}")
    return tree


def _yaml(text: str, what: str) -> dict:
    try:
        data = safe_yaml.loads(text, what)   # no aliases, duplicate keys, ... (core/ysg_core/safe_yaml.py)
    except InputFileError as exc:
        raise SqlCheckError(str(exc)) from None
    if not isinstance(data, dict):
        raise SqlCheckError(f"{what} is not a YAML mapping")
    return data


def _classification(match: re.Match) -> None:
    # The argument list is named arguments of function-call syntax: parse it as one.
    call = _sql(f"SELECT SNOWFLAKE_ML_CLASSIFICATION({match['args']})", "classification arguments")
    names = {kw.this.name.upper() for kw in call.find_all(exp.Kwarg)}
    missing = {"INPUT_DATA", "TARGET_COLNAME"} - names
    if missing:
        raise SqlCheckError(f"classification {match['name']}: missing {', '.join(sorted(missing))}")


def _search(match: re.Match) -> None:
    query = _sql(match["query"], f"Cortex Search {match['name']} source query", exp.Query)
    columns = {name.upper() for name in query.named_selects}
    wanted = [match["on"]] + re.split(r"\s*,\s*", match["attrs"] or "")
    absent = [c for c in wanted if c and c.upper() not in columns]
    if absent:
        raise SqlCheckError(f"Cortex Search {match['name']}: {', '.join(absent)} not selected by its query")


def _agent(match: re.Match) -> None:
    if match["profile"]:
        try:
            json.loads(match["profile"][1:-1].replace("''", "'"))
        except ValueError as exc:
            raise SqlCheckError(f"agent {match['name']}: PROFILE is not JSON ({exc})") from None
    spec = _yaml(match["spec"], f"agent {match['name']} specification")
    resources = spec.get("tool_resources") or {}
    tools = spec.get("tools") or []
    if not tools:
        raise SqlCheckError(f"agent {match['name']}: specification has no tools")
    for tool in tools:
        tool_spec = (tool or {}).get("tool_spec") or {}
        if tool_spec.get("type") not in AGENT_TOOL_TYPES or not tool_spec.get("name"):
            raise SqlCheckError(f"agent {match['name']}: tool {tool_spec!r} needs a name and a type "
                                f"among {sorted(AGENT_TOOL_TYPES)}")
        if tool_spec["type"] in ("cortex_analyst_text_to_sql", "cortex_search") \
                and tool_spec["name"] not in resources:
            raise SqlCheckError(f"agent {match['name']}: tool {tool_spec['name']} has no tool_resources entry")


def _semantic_yaml(match: re.Match) -> None:
    model = _yaml(match["spec"], "semantic model")
    if not model.get("name") or not model.get("tables"):
        raise SqlCheckError("semantic model needs a name and tables")
    for table in model["tables"]:
        base = table.get("base_table") or {}
        if not all(base.get(k) for k in ("database", "schema", "table")):
            raise SqlCheckError(f"semantic model table {table.get('name')!r}: base_table needs database, "
                                "schema and table")
    for query in model.get("verified_queries") or []:
        _sql(query.get("sql") or "", f"verified query {query.get('name')!r}", exp.Query)


def _masking_body(match: re.Match) -> None:
    _sql(f"SELECT {match['body']}", "masking policy body")


def _task(match: re.Match) -> None:
    # A task runs "a single SQL statement" (or a procedure call, or a Snowflake Scripting block); the
    # hooks' tasks run one DML statement, which must parse as one.
    _sql(match["body"], f"task {match['name']} body", (exp.Merge, exp.Insert, exp.Update, exp.Delete))


def _alert(match: re.Match) -> None:
    _sql(match["condition"], f"alert {match['name']} condition", exp.Query)
    # The action: a call of SYSTEM$SEND_EMAIL with four arguments; its argument list parses as a call.
    call = _sql(f"SELECT {match['call']}", f"alert {match['name']} action")
    arguments = call.expressions[0].expressions if call.expressions else []
    if len(arguments) != 4:
        raise SqlCheckError(f"alert {match['name']}: SYSTEM$SEND_EMAIL takes integration, recipients, "
                            f"subject and body; got {len(arguments)} arguments")


def task_body(statement: str) -> str:
    """The SQL statement a CREATE TASK statement runs, as written in it (the emulator runs it on its own)."""
    match = _TASK.fullmatch(statement.strip())
    if not match:
        raise SqlCheckError(f"not a CREATE TASK statement of the documented grammar: {statement[:120]!r}")
    return match["body"].strip()


AGENT_TOOL_TYPES = frozenset({"cortex_analyst_text_to_sql", "cortex_search", "generic", "data_to_chart",
                              "web_search"})
_OR_REPLACE = r"CREATE\s+(?:OR\s+REPLACE\s+)?"
_IF_NOT_EXISTS = r"(?:IF\s+NOT\s+EXISTS\s+)?"
_COMMENT = rf"(?:\s+COMMENT\s*=\s*{_STR})?"
_DOCS = "https://docs.snowflake.com/en/sql-reference"

_TASK = re.compile(
    rf"{_OR_REPLACE}TASK\s+{_IF_NOT_EXISTS}(?P<name>{_QN})\s+"
    rf"(?:WAREHOUSE\s*=\s*{_ID}\s+)?(?:SCHEDULE\s*=\s*{_STR}\s+)?(?:COMMENT\s*=\s*{_STR}\s+)?"
    r"AS\s+(?P<body>.*)", _FLAGS)

GRAMMARS: tuple[Grammar, ...] = (
    Grammar("CREATE SNOWFLAKE.ML.CLASSIFICATION", re.compile(
        rf"{_OR_REPLACE}SNOWFLAKE\.ML\.CLASSIFICATION\s+{_IF_NOT_EXISTS}(?P<name>{_QN})\s*"
        rf"\((?P<args>.*)\){_COMMENT}", _FLAGS),
        f"{_DOCS}/classes/classification/commands/create-classification", _classification),
    Grammar("CREATE CORTEX SEARCH SERVICE", re.compile(
        rf"{_OR_REPLACE}CORTEX\s+SEARCH\s+SERVICE\s+{_IF_NOT_EXISTS}(?P<name>{_QN})\s+"
        rf"ON\s+(?P<on>{_ID})\s+(?:ATTRIBUTES\s+(?P<attrs>{_ID}(?:\s*,\s*{_ID})*)\s+)?"
        rf"WAREHOUSE\s*=\s*(?P<warehouse>{_ID})\s+TARGET_LAG\s*=\s*{_STR}\s+"
        rf"(?:EMBEDDING_MODEL\s*=\s*{_STR}\s+)?(?:REFRESH_MODE\s*=\s*\w+\s+)?(?:INITIALIZE\s*=\s*\w+\s+)?"
        rf"(?:COMMENT\s*=\s*{_STR}\s+)?AS\s*\((?P<query>.*)\)", _FLAGS),
        f"{_DOCS}/sql/create-cortex-search", _search),
    Grammar("CREATE AGENT", re.compile(
        rf"{_OR_REPLACE}AGENT\s+{_IF_NOT_EXISTS}(?P<name>{_QN})\s+"
        rf"(?:COMMENT\s*=\s*{_STR}\s+)?(?:PROFILE\s*=\s*(?P<profile>{_STR})\s+)?"
        r"FROM\s+SPECIFICATION\s+\$\$(?P<spec>.*)\$\$", _FLAGS),
        f"{_DOCS}/sql/create-agent", _agent),
    Grammar("CALL SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML", re.compile(
        rf"CALL\s+SYSTEM\$CREATE_SEMANTIC_VIEW_FROM_YAML\s*\(\s*{_STR}\s*,\s*\$\$(?P<spec>.*)\$\$\s*"
        r"(?:,\s*(?:TRUE|FALSE)\s*){0,2}\)", _FLAGS),
        f"{_DOCS}/stored-procedures/system_create_semantic_view_from_yaml", _semantic_yaml),
    Grammar("CREATE MASKING POLICY", re.compile(
        rf"{_OR_REPLACE}MASKING\s+POLICY\s+{_IF_NOT_EXISTS}(?P<name>{_QN})\s+"
        rf"AS\s*\(\s*{_ID}\s+\w+(?:\s*,\s*{_ID}\s+\w+)*\s*\)\s+RETURNS\s+\w+\s*->\s*(?P<body>.*?){_COMMENT}",
        _FLAGS),
        f"{_DOCS}/sql/create-masking-policy", _masking_body),
    Grammar("ALTER MASKING POLICY SET BODY", re.compile(
        rf"ALTER\s+MASKING\s+POLICY\s+(?:IF\s+EXISTS\s+)?(?P<name>{_QN})\s+SET\s+BODY\s*->\s*(?P<body>.*)", _FLAGS),
        f"{_DOCS}/sql/alter-masking-policy", _masking_body),
    Grammar("ALTER TABLE MODIFY COLUMN SET MASKING POLICY", re.compile(
        rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?P<table>{_QN})\s+MODIFY\s+COLUMN\s+{_ID}\s+"
        rf"SET\s+MASKING\s+POLICY\s+(?P<policy>{_QN})(?:\s+USING\s*\(\s*{_ID}(?:\s*,\s*{_ID})*\s*\))?"
        r"(?:\s+FORCE)?", _FLAGS),
        f"{_DOCS}/sql/alter-table-column"),
    Grammar("GRANT <privileges> ON <AI object>", re.compile(
        rf"GRANT\s+(?P<privileges>\w+(?:\s*,\s*\w+)*)\s+ON\s+(?P<kind>CORTEX\s+SEARCH\s+SERVICE|AGENT|"
        rf"SEMANTIC\s+VIEW|SNOWFLAKE\.ML\.CLASSIFICATION)\s+(?P<name>{_QN})\s+TO\s+ROLE\s+(?P<role>{_ID})", _FLAGS),
        f"{_DOCS}/sql/grant-privilege"),
    Grammar("CREATE STREAMLIT", re.compile(
        rf"{_OR_REPLACE}STREAMLIT\s+{_IF_NOT_EXISTS}(?P<name>{_QN})\s+FROM\s+'@(?P<source>{_QN})(?:/[^']*)?'\s+"
        rf"MAIN_FILE\s*=\s*'[^'/][^']*\.py'\s+QUERY_WAREHOUSE\s*=\s*(?P<warehouse>{_ID})"
        rf"(?:\s+TITLE\s*=\s*{_STR})?{_COMMENT}", _FLAGS),
        f"{_DOCS}/sql/create-streamlit"),
    Grammar("CREATE TASK", _TASK, f"{_DOCS}/sql/create-task", _task),
    Grammar("ALTER TASK RESUME", re.compile(
        rf"ALTER\s+TASK\s+(?:IF\s+EXISTS\s+)?{_QN}\s+(?:RESUME|SUSPEND)", _FLAGS),
        f"{_DOCS}/sql/alter-task"),
    Grammar("CREATE ALERT", re.compile(
        rf"{_OR_REPLACE}ALERT\s+{_IF_NOT_EXISTS}(?P<name>{_QN})\s+"
        rf"(?:SCHEDULE\s*=\s*{_STR}\s+)?(?:WAREHOUSE\s*=\s*{_ID}\s+)?(?:COMMENT\s*=\s*{_STR}\s+)?"
        r"IF\s*\(\s*EXISTS\s*\((?P<condition>.*)\)\s*\)\s*THEN\s+"
        r"CALL\s+(?P<call>SYSTEM\$SEND_EMAIL\s*\(.*\))", _FLAGS),
        f"{_DOCS}/sql/create-alert", _alert),
    Grammar("ALTER ALERT RESUME", re.compile(
        rf"ALTER\s+ALERT\s+(?:IF\s+EXISTS\s+)?{_QN}\s+(?:RESUME|SUSPEND)", _FLAGS),
        f"{_DOCS}/sql/alter-alert"),
    Grammar("GRANT DATABASE ROLE", re.compile(
        rf"GRANT\s+DATABASE\s+ROLE\s+(?P<name>{_QN})\s+TO\s+ROLE\s+(?P<role>{_ID})", _FLAGS),
        f"{_DOCS}/sql/grant-database-role"),
    # Account-level statements of the administrator's bootstrap file (bootstrap/), not of hooks.
    Grammar("GRANT ROLE", re.compile(
        rf"GRANT\s+ROLE\s+(?P<name>{_ID})\s+TO\s+(?P<grantee_kind>ROLE|USER)\s+(?P<role>{_ID})", _FLAGS),
        f"{_DOCS}/sql/grant-role"),
    Grammar("CREATE ROLE", re.compile(
        rf"{_OR_REPLACE}ROLE\s+{_IF_NOT_EXISTS}(?P<name>{_ID}){_COMMENT}", _FLAGS),
        f"{_DOCS}/sql/create-role"),
    # objectProperties of the page: TYPE, DEFAULT_ROLE, DEFAULT_WAREHOUSE, COMMENT (the ones bootstrap uses).
    Grammar("CREATE USER", re.compile(
        rf"{_OR_REPLACE}USER\s+{_IF_NOT_EXISTS}(?P<name>{_ID})(?:\s+TYPE\s*=\s*(?:SERVICE|PERSON|LEGACY_SERVICE))?"
        rf"(?:\s+DEFAULT_ROLE\s*=\s*{_ID})?(?:\s+DEFAULT_WAREHOUSE\s*=\s*{_ID})?"
        r"(?:\s+DEFAULT_SECONDARY_ROLES\s*=\s*\(\s*\))?" rf"{_COMMENT}", _FLAGS),
        f"{_DOCS}/sql/create-user"),
    # ALTER USER <name> SET DEFAULT_SECONDARY_ROLES = ( 'ALL' ) | () (create-user, objectProperties).
    Grammar("ALTER USER SET DEFAULT_SECONDARY_ROLES", re.compile(
        rf"ALTER\s+USER\s+(?:IF\s+EXISTS\s+)?{_ID}\s+SET\s+DEFAULT_SECONDARY_ROLES\s*=\s*\(\s*\)", _FLAGS),
        f"{_DOCS}/sql/alter-user"),
    # triggerDefinition ::= ON <threshold> PERCENT DO { SUSPEND | SUSPEND_IMMEDIATE | NOTIFY }
    Grammar("CREATE RESOURCE MONITOR", re.compile(
        rf"{_OR_REPLACE}RESOURCE\s+MONITOR\s+{_IF_NOT_EXISTS}(?P<name>{_ID})\s+WITH\s+CREDIT_QUOTA\s*=\s*\d+"
        r"(?:\s+TRIGGERS(?:\s+ON\s+\d+\s+PERCENT\s+DO\s+(?:SUSPEND_IMMEDIATE|SUSPEND|NOTIFY))+)?", _FLAGS),
        f"{_DOCS}/sql/create-resource-monitor"),
    # accountObjectPrivileges ON { USER | RESOURCE MONITOR | WAREHOUSE | DATABASE | INTEGRATION } <object_name>
    Grammar("GRANT <privileges> ON <account object>", re.compile(
        rf"GRANT\s+(?P<privileges>\w+(?:\s*,\s*\w+)*)\s+ON\s+(?P<kind>RESOURCE\s+MONITOR|WAREHOUSE|USER|"
        rf"INTEGRATION|DATABASE)\s+(?P<name>{_ID})\s+TO\s+ROLE\s+(?P<role>{_ID})(?P<option>\s+WITH\s+GRANT\s+OPTION)?",
        _FLAGS),
        f"{_DOCS}/sql/grant-privilege"),
    Grammar("GRANT OWNERSHIP", re.compile(
        rf"GRANT\s+OWNERSHIP\s+ON\s+(?P<kind>ROLE|WAREHOUSE|DATABASE|RESOURCE\s+MONITOR)\s+(?P<name>{_ID})\s+"
        rf"TO\s+ROLE\s+(?P<role>{_ID})(?:\s+(?:COPY|REVOKE)\s+CURRENT\s+GRANTS)?", _FLAGS),
        f"{_DOCS}/sql/grant-ownership"),
    # ALTER ACCOUNT SET RESOURCE_MONITOR = <monitor_name> (alter-account); ALTER WAREHOUSE <name> SET
    # RESOURCE_MONITOR = <monitor_name> (alter-warehouse, objectProperties).
    Grammar("ALTER SET RESOURCE_MONITOR", re.compile(
        rf"ALTER\s+(?:ACCOUNT|WAREHOUSE\s+(?:IF\s+EXISTS\s+)?{_ID})\s+SET\s+RESOURCE_MONITOR\s*=\s*{_ID}", _FLAGS),
        f"{_DOCS}/sql/alter-account"),
)
