"""What a hook statement does to objects, read from its SQL: which object it creates, replaces, drops,
truncates, deletes from, writes or alters. The hook write guard (`judge`), the stack check of
Terraform-owned objects (`terraform_owned`) and the pull-request plan's prod guard rest on it.

sqlglot (Snowflake dialect) reads what it parses, so case, quoting, comments and spacing make no
difference; statements sqlglot sees only as a generic command are read from the documented grammar
of their head (`ysg_core.sqlcheck.GRAMMARS`), a task's body as a statement of its own. A statement
this module cannot read completely is refused, never passed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.snowflake import Snowflake
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from ysg_core import safe_yaml
from ysg_core.sqlcheck import match_grammar, quiet_sqlglot, task_body
from ysg_hooks.manifest import Write

# What a statement does to an object.
CREATE, REPLACE, DROP, TRUNCATE, OVERWRITE = "create", "replace", "drop", "truncate", "overwrite"
RENAME, DROP_COLUMN, ALTER = "rename", "drop column", "alter"
INSERT, UPDATE, DELETE, DELETE_ALL, MERGE = "insert", "update", "delete", "delete all", "merge"
SET_MASKING_POLICY, PUT = "set masking policy", "put"
# What a hook may declare it writes into an object it does not create (`writes:`), with a reason.
WRITE_OPERATIONS = (INSERT, UPDATE, DELETE, DELETE_ALL, MERGE, SET_MASKING_POLICY, PUT)
# What a hook may do only to objects it creates: these lose data or the object itself.
OWN_ONLY = (REPLACE, DROP, TRUNCATE, OVERWRITE, RENAME, DROP_COLUMN, ALTER)
# What no hook may do to an object Terraform owns, declared or not (creating one is claiming it).
NEVER_ON_TERRAFORM = (CREATE, REPLACE, DROP, TRUNCATE, OVERWRITE, DELETE_ALL, RENAME, DROP_COLUMN, ALTER)
# What the plan's prod guard asks an allowance for (README, "Allowing a destructive change in prod").
DESTROYS_DATA = (DROP, TRUNCATE, OVERWRITE, DELETE, DELETE_ALL, DROP_COLUMN)
# Objects whose data a CREATE OR REPLACE loses; other kinds are rebuilt from their definition.
HOLDS_DATA = frozenset({"TABLE", "TRANSIENT TABLE", "STAGE"})

VERBS = {CREATE: "creates", REPLACE: "replaces", DROP: "drops", TRUNCATE: "truncates", OVERWRITE: "overwrites",
         RENAME: "renames", DROP_COLUMN: "drops a column of", ALTER: "alters", INSERT: "inserts into",
         UPDATE: "updates", DELETE: "deletes from", DELETE_ALL: "deletes every row of", MERGE: "merges into",
         SET_MASKING_POLICY: "sets a masking policy on", PUT: "puts files into"}

# Kinds whose objects live in a schema (named <database>.<schema>.<name>), in a database, or in the account.
ACCOUNT_KINDS = frozenset({"DATABASE", "WAREHOUSE", "ROLE", "USER", "INTEGRATION", "NETWORK POLICY",
                           "RESOURCE MONITOR", "SHARE"})
# SYSTEM$ functions a hook statement may call: they answer, they change nothing.
SYSTEM_FUNCTIONS = frozenset({"SYSTEM$REFERENCE", "SYSTEM$TYPEOF"})

_ID = re.compile(r'"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)')


class UnreadableStatement(ValueError):
    """A statement whose effects cannot be read completely, or that no hook may run at all."""


@dataclass(frozen=True)
class Effect:
    action: str           # one of the constants above
    kind: str             # "TABLE", "VIEW", "DYNAMIC TABLE", "STAGE", ... ("" when the statement does not say)
    target: str           # the object's name as Snowflake resolves it: unquoted parts upper-cased, joined by "."
    deferred: bool = False  # done later by a task the statement creates, with the task owner's privileges

    def describe(self) -> str:
        where = " (in the task it creates, on its schedule)" if self.deferred else ""
        return f"{VERBS[self.action]} {self.kind.lower() + ' ' if self.kind else ''}{self.target}{where}"


def normalize(name: str) -> str:
    """`"Db".s.t` -> `Db.S.T`: an unquoted part is upper-cased, a quoted one kept (Snowflake's rule)."""
    parts = []
    position = 0
    text = name.strip()
    while position < len(text):
        match = _ID.match(text, position)
        if not match:
            raise UnreadableStatement(f"cannot read the name {name!r}")
        parts.append(match.group(1).replace('""', '"') if match.group(1) is not None else match.group(2).upper())
        position = match.end()
        if position < len(text):
            if text[position] != ".":
                raise UnreadableStatement(f"cannot read the name {name!r}")
            position += 1
    return ".".join(parts)


def effects(statement: str) -> tuple[Effect, ...]:
    """Every effect of one rendered statement on a named object, in order; UnreadableStatement when the
    statement cannot be read completely or is of a kind no hook may run."""
    _no_pipe(statement)
    with quiet_sqlglot():
        try:
            tree = sqlglot.parse_one(statement, read="snowflake")
        except (ParseError, TokenError) as exc:
            tree, error = None, exc
        else:
            error = None
    if tree is not None and not isinstance(tree, exp.Command):
        return tuple(_typed(tree))
    head = " ".join(statement.split()[:2]).upper()
    if head.startswith(("EXECUTE IMMEDIATE", "EXECUTE ")) or head.startswith("CALL") and \
            "SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML" not in statement.upper():
        raise UnreadableStatement(f"{head.split()[0]} runs SQL this check cannot see: hooks may not {head.lower()} "
                                  "anything but SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML")
    matched = match_grammar(statement)
    if matched is None:
        reason = f" ({str(error).splitlines()[0]})" if error else ""
        raise UnreadableStatement(f"cannot read what this statement does{reason}: {statement.strip()[:80]!r}")
    return tuple(_grammar(statement, *matched))


def _no_pipe(statement: str) -> None:
    try:
        tokens = Snowflake().tokenize(statement)
    except TokenError as exc:
        raise UnreadableStatement(f"does not tokenize as Snowflake SQL: {str(exc).splitlines()[0]}") from None
    if any(token.token_type in (TokenType.DARROW, TokenType.PIPE_GT) for token in tokens):
        raise UnreadableStatement("the pipe operator ->> runs further statements inside this one")


def _name(table: exp.Expression, kind: str) -> str:
    """The qualified name of a table expression, refused unless qualified as its kind must be."""
    if isinstance(table, exp.Schema):
        table = table.this
    parts = [p for p in (table.args.get("catalog"), table.args.get("db"), table.this) if p is not None] \
        if isinstance(table, exp.Table) else []
    # A schema reads as a table with only a catalog and a db part (`A.B`).
    if not parts or not all(isinstance(p, exp.Identifier) for p in parts):
        raise UnreadableStatement(f"cannot read the name of {table.sql(dialect='snowflake')[:60]!r}")
    name = ".".join(p.name if p.quoted else p.name.upper() for p in parts)
    return _qualified(name, kind)


def _qualified(name: str, kind: str) -> str:
    wanted = 1 if kind in ACCOUNT_KINDS else 2 if kind in ("SCHEMA", "DATABASE ROLE") else 3
    if len(name.split(".")) != wanted:
        raise UnreadableStatement(f"{kind.lower() or 'object'} {name} is not named in full "
                                  f"({'<database>.<schema>.<name>' if wanted == 3 else '<database>.<name>' if wanted == 2 else '<name>'}): "
                                  "what it would reach depends on the session")
    return name


def _create_kind(tree: exp.Create) -> str:
    kind = (tree.kind or "").upper()
    properties = tree.args.get("properties")
    found = {type(p) for p in (properties.expressions if properties else [])}
    if exp.DynamicProperty in found:
        return "DYNAMIC TABLE"
    if exp.TemporaryProperty in found:
        return f"TEMPORARY {kind}"
    if exp.TransientProperty in found:
        return f"TRANSIENT {kind}"
    return kind


def _typed(tree: exp.Expression) -> list[Effect]:
    _no_system_functions(tree)
    if isinstance(tree, exp.Create):
        kind = _create_kind(tree)
        if kind in ("PROCEDURE", "FUNCTION"):
            raise UnreadableStatement(f"CREATE {kind}: its body runs later and this check cannot see it")
        target = _name(tree.this, kind.split(" ")[-1] if kind.startswith(("TEMPORARY", "TRANSIENT")) else kind)
        found = [Effect(CREATE, kind, target)]
        return found + ([Effect(REPLACE, kind, target)] if tree.args.get("replace") else [])
    if isinstance(tree, exp.Drop):
        kind = (tree.kind or "").upper()
        return [Effect(DROP, kind, _name(t, kind)) for t in tree.args.get("tables") or [tree.this]]
    if isinstance(tree, exp.TruncateTable):
        return [Effect(TRUNCATE, "TABLE", _name(t, "TABLE")) for t in tree.expressions]
    if isinstance(tree, exp.Delete):
        return [Effect(DELETE if tree.args.get("where") else DELETE_ALL, "TABLE", _name(tree.this, "TABLE"))]
    if isinstance(tree, exp.Update):
        return [Effect(UPDATE, "TABLE", _name(tree.this, "TABLE"))]
    if isinstance(tree, exp.Insert):
        return [Effect(OVERWRITE if tree.args.get("overwrite") else INSERT, "TABLE", _name(tree.this, "TABLE"))]
    if isinstance(tree, exp.MultitableInserts):
        return [Effect(INSERT, "TABLE", _name(into.this, "TABLE"))
                for conditional in tree.expressions for into in conditional.find_all(exp.Insert)]
    if isinstance(tree, exp.Merge):
        return [Effect(MERGE, "TABLE", _name(tree.this, "TABLE"))]
    if isinstance(tree, exp.Alter):
        kind = (tree.args.get("kind") or "").upper()
        target = _name(tree.this, kind)
        found = []
        for action in tree.args.get("actions") or []:
            if isinstance(action, (exp.AlterRename, exp.SwapTable, exp.RenameColumn)):
                found.append(Effect(RENAME, kind, target))
            elif isinstance(action, exp.Drop):
                found.append(Effect(DROP_COLUMN, kind, target))
            else:
                found.append(Effect(ALTER, kind, target))
        return found or [Effect(ALTER, kind, target)]
    if isinstance(tree, exp.Copy):
        into = tree.this
        if isinstance(into, exp.Table) and isinstance(into.this, exp.Identifier):
            return [Effect(INSERT, "TABLE", _name(into, "TABLE"))]
        return [Effect(PUT, "STAGE", _stage(into.sql(dialect="snowflake")))]
    if isinstance(tree, exp.Put):
        source = tree.this.name if isinstance(tree.this, exp.Literal) else ""
        path = source.removeprefix("file://")
        if not source.startswith("file://") or path.startswith("/") or ".." in path.split("/") or not path:
            raise UnreadableStatement(f"PUT {source!r}: a hook puts files of the repository only, named relative to "
                                      "its root ('file://app/...'): the runner resolves them, and hooks.json holds "
                                      "no path of any machine")
        return [Effect(PUT, "STAGE", _stage(tree.args["target"].sql(dialect="snowflake")))]
    if isinstance(tree, exp.Query):
        if tree.find(exp.Into):
            raise UnreadableStatement("SELECT ... INTO creates a table this check cannot name")
        return []
    if isinstance(tree, exp.Grant):
        if any(p.this.name.upper() == "OWNERSHIP" for p in tree.args.get("privileges") or []):
            raise UnreadableStatement("GRANT OWNERSHIP hands an object to another role: no hook may")
        return []
    raise UnreadableStatement(f"{tree.key.upper()} is not a statement hooks run (they create, fill and grant)")


def _no_system_functions(tree: exp.Expression) -> None:
    for function in tree.find_all(exp.Anonymous):
        name = function.name.upper()
        if name.startswith("SYSTEM$") and name not in SYSTEM_FUNCTIONS:
            raise UnreadableStatement(f"{name} may change account state; hooks call only "
                                      f"{', '.join(sorted(SYSTEM_FUNCTIONS))}")


def _stage(text: str) -> str:
    """`@DB.S.STAGE/path/` -> `DB.S.STAGE`."""
    reference = text.strip().strip("'")
    if not reference.startswith("@") or reference.startswith("@~") or reference.startswith("@%"):
        raise UnreadableStatement(f"{reference[:60]!r} is not a named stage")
    return _qualified(normalize(reference[1:].split("/", 1)[0]), "STAGE")


# Grammar name -> (action of the statement on its named object, the object's kind, the match group).
_GRAMMAR_EFFECTS = {
    "CREATE SNOWFLAKE.ML.CLASSIFICATION": (CREATE, "SNOWFLAKE.ML.CLASSIFICATION", "name"),
    "CREATE CORTEX SEARCH SERVICE": (CREATE, "CORTEX SEARCH SERVICE", "name"),
    "CREATE AGENT": (CREATE, "AGENT", "name"),
    "CREATE MASKING POLICY": (CREATE, "MASKING POLICY", "name"),
    "ALTER MASKING POLICY SET BODY": (ALTER, "MASKING POLICY", "name"),
    "ALTER TABLE MODIFY COLUMN SET MASKING POLICY": (SET_MASKING_POLICY, "TABLE", "table"),
    "CREATE STREAMLIT": (CREATE, "STREAMLIT", "name"),
    "CREATE TASK": (CREATE, "TASK", "name"),
    "CREATE ALERT": (CREATE, "ALERT", "name"),
    "CREATE ROLE": (CREATE, "ROLE", "name"),
}
_RESUMES = {"ALTER TASK RESUME": "TASK", "ALTER ALERT RESUME": "ALERT"}
_REPLACING = re.compile(r"\s*CREATE\s+OR\s+REPLACE\b", re.I)
_RESUMED = re.compile(r"ALTER\s+\w+\s+(?:IF\s+EXISTS\s+)?(?P<name>\S+)\s+(?:RESUME|SUSPEND)\s*$", re.I | re.S)


def _grammar(statement: str, grammar, match: re.Match) -> list[Effect]:
    name = grammar.name
    if name in _GRAMMAR_EFFECTS:
        action, kind, group = _GRAMMAR_EFFECTS[name]
        target = _qualified(normalize(match[group]), kind)
        found = [Effect(action, kind, target)]
        if action == CREATE and _REPLACING.match(statement):
            found.append(Effect(REPLACE, kind, target))
        if name == "CREATE TASK":     # what the task will do, with its owner's privileges, on its schedule
            found += [Effect(e.action, e.kind, e.target, deferred=True) for e in effects(task_body(statement))]
        return found
    if name in _RESUMES:
        kind = _RESUMES[name]
        return [Effect(ALTER, kind, _qualified(normalize(_RESUMED.match(statement.strip())["name"]), kind))]
    if name == "CALL SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML":
        schema = re.match(r"\s*CALL\s+SYSTEM\$CREATE_SEMANTIC_VIEW_FROM_YAML\s*\(\s*'([^']*)'", statement, re.I)
        spec = safe_yaml.loads(match["spec"], "the semantic view's YAML") if schema else None
        view = spec.get("name") if isinstance(spec, dict) else None
        if not schema or not isinstance(view, str):
            raise UnreadableStatement("cannot read which semantic view SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML creates")
        target = _qualified(normalize(f"{schema.group(1)}.{view}"), "SEMANTIC VIEW")
        return [Effect(CREATE, "SEMANTIC VIEW", target)]
    if name.startswith("GRANT"):
        return []
    raise UnreadableStatement(f"cannot read what {name} does")


# --- what a hook may do ----------------------------------------------------------------------------

def read_all(statements: tuple[str, ...], where: str) -> tuple[tuple[Effect, ...], ...]:
    """The effects of every statement, or UnreadableStatement naming `where` and the statement number."""
    found = []
    for index, statement in enumerate(statements, start=1):
        try:
            found.append(effects(statement))
        except UnreadableStatement as exc:
            raise UnreadableStatement(f"{where} statement {index}: {exc}") from None
    return tuple(found)


def judge(read: tuple[tuple[Effect, ...], ...], creates: tuple[str, ...], writes: tuple[Write, ...],
          where: str) -> None:
    """Refuse (UnreadableStatement naming `where`, the hook and its file, and the statement number) a
    hook whose statements, as `read_all` read them, do more than it declares:

    - the objects its statements create must be exactly those it declares in `creates`;
    - on an object it does not create, it may only do what `writes` declares for it (INSERT, UPDATE,
      DELETE, DELETE ALL, MERGE, SET MASKING POLICY, PUT), never drop, truncate, overwrite, replace,
      rename or otherwise alter it; a declared write nothing does is refused too.
    """
    declared = {normalize(name): name for name in creates}
    if len(declared) != len(creates):
        raise UnreadableStatement(f"{where}: creates names an object twice")
    allowed: dict[tuple[str, str], Write] = {}
    for write in writes:
        target = normalize(write.object)
        if target in declared:
            raise UnreadableStatement(f"{where}: writes {write.object}, which it creates; list it in creates only")
        if len(write.reason.strip()) < 10:
            raise UnreadableStatement(f"{where}: writes {write.object} needs a reason a reviewer can read "
                                      "(10 characters or more)")
        for operation in write.operations:
            if operation not in WRITE_OPERATIONS:
                raise UnreadableStatement(f"{where}: writes {write.object}: {operation!r} is not a write a hook "
                                          f"may declare ({', '.join(WRITE_OPERATIONS)})")
            allowed[(target, operation)] = write
    created: set[str] = set()
    used: set[tuple[str, str]] = set()
    for index, done in enumerate(read, start=1):
        at = f"{where} statement {index}"
        for effect in done:
            if effect.action == CREATE:
                if effect.target not in declared:
                    raise UnreadableStatement(f"{at} {effect.describe()}, which the hook does not declare in creates")
                created.add(effect.target)
            elif effect.target in declared:
                continue          # its own object: anything goes
            elif effect.action in OWN_ONLY:
                raise UnreadableStatement(f"{at} {effect.describe()}, which this hook does not create: a hook may "
                                          "drop, truncate, overwrite, replace, rename or alter only its own objects")
            elif (effect.target, effect.action) not in allowed:
                raise UnreadableStatement(f"{at} {effect.describe()}, which the hook does not declare in writes "
                                          f"(object {effect.target}, operation {effect.action!r}, with a reason)")
            else:
                used.add((effect.target, effect.action))
    missing = sorted(set(declared) - created)
    if missing:
        raise UnreadableStatement(f"{where}: declares it creates {', '.join(missing)}, but no statement does")
    unused = sorted(f"{target} ({operation})" for target, operation in set(allowed) - used)
    if unused:
        raise UnreadableStatement(f"{where}: declares it writes {', '.join(unused)}, but no statement does")


# --- objects Terraform owns -----------------------------------------------------------------------

_REFERENCE = re.compile(r"^\$\{(?P<type>[a-z0-9_]+)\.(?P<id>[A-Za-z0-9_-]+)\.(?P<attr>[a-z_]+)\}$")


def terraform_objects(document: dict) -> dict[str, str]:
    """Every named object of a synthesized stack (cdk.tf.json): its name as Snowflake resolves it
    (`<database>.<schema>.<name>` for schema objects) -> the Terraform address that owns it."""
    resources = document.get("resource") or {}

    def value(raw):
        match = _REFERENCE.match(raw) if isinstance(raw, str) else None
        if match is None:
            return raw
        target = (resources.get(match["type"]) or {}).get(match["id"]) or {}
        return value(target[match["attr"]]) if match["attr"] in target else raw   # `name`, `database`, ...

    owned = {}
    for rtype, items in resources.items():
        if "grant" in rtype:
            continue
        for rid, conf in items.items():
            name = value(conf.get("name"))
            if not isinstance(name, str) or "${" in name:
                continue
            parts = [value(conf[key]) for key in ("database", "schema") if isinstance(conf.get(key), str)]
            if any(not isinstance(p, str) or "${" in p for p in parts):
                continue
            owned[".".join([*(p.strip('"') for p in parts), name.strip('"')])] = f"{rtype}.{rid}"
    return owned


def terraform_owned(hooks, document: dict) -> list[str]:
    """What the hooks (`RenderedHook`s) would do to Terraform's objects that no hook may: one line each,
    naming the hook, its file, the statement number, the object and its Terraform address."""
    owned = terraform_objects(document)
    problems = []
    for hook in hooks:
        for index, statement in enumerate(hook.statements, start=1):
            try:
                done = effects(statement)
            except UnreadableStatement as exc:
                problems.append(f"hook {hook.name} ({hook.sql_file}) statement {index}: {exc}")
                continue
            for effect in done:
                if effect.target in owned and effect.action in NEVER_ON_TERRAFORM:
                    problems.append(f"hook {hook.name} ({hook.sql_file}) statement {index} {effect.describe()}, "
                                    f"which Terraform owns ({owned[effect.target]}): no hook may "
                                    f"{'create' if effect.action == CREATE else effect.action} it")
    return problems


def destroys_data(effect: Effect) -> bool:
    """Whether the plan's prod guard asks an allowance for it: rows or a data-holding object are lost."""
    return effect.action in DESTROYS_DATA or (effect.action == REPLACE and effect.kind in HOLDS_DATA)
