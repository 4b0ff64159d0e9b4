"""What one SQL statement does, for the access model: its kind (a key of requirements.yaml), its target,
the objects it reads and calls, and the grants it makes.

sqlglot (Snowflake dialect) reads what it parses; generic commands (CREATE AGENT, CORTEX SEARCH SERVICE,
SNOWFLAKE.ML.CLASSIFICATION, masking policies, some GRANTs, the semantic-view procedure) are read from
the documented grammar of their head, with their embedded SQL and YAML, by ysg_core.sqlcheck. The few
heads neither reads yet (tasks, alerts, future grants, managed-access schemas) have a pattern here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from ysg.access.model import Name, split_name
from ysg_core import safe_yaml
from ysg_core.sqlcheck import match_grammar, quiet_sqlglot

# Database of Snowflake's own functions (SNOWFLAKE.CORTEX.*): not objects of the stack.
SYSTEM_DATABASE = "SNOWFLAKE"

_ID = r'(?:[A-Z_][A-Z0-9_$]*|"[^"]+")'
_QN = rf"{_ID}(?:\.{_ID}){{0,2}}"
_I = re.I | re.S
# Heads of statements neither sqlglot nor sqlcheck reads yet, each from the syntax of its page under
# https://docs.snowflake.com/en/sql-reference/sql/ (create-task, create-alert, alter-task, alter-alert,
# create-schema, grant-privilege).
_TASK = re.compile(rf"CREATE\s+(?P<replace>OR\s+REPLACE\s+)?TASK\s+(?P<exists>IF\s+NOT\s+EXISTS\s+)?(?P<name>{_QN})"
                   rf"(?P<props>.*?)\s+AS\s+(?P<body>.*)", _I)
_ALERT = re.compile(rf"CREATE\s+(?P<replace>OR\s+REPLACE\s+)?ALERT\s+(?P<exists>IF\s+NOT\s+EXISTS\s+)?(?P<name>{_QN})"
                    rf"(?P<props>.*?)\s+IF\s*\((?P<condition>.*)\)\s*THEN\s+(?P<body>.*)", _I)
_RESUME = re.compile(rf"ALTER\s+(?P<kind>TASK|ALERT)\s+(?:IF\s+EXISTS\s+)?(?P<name>{_QN})\s+RESUME", _I)
_WAREHOUSE_PROP = re.compile(rf"\bWAREHOUSE\s*=\s*(?P<warehouse>{_ID})", _I)
_SCHEMA = re.compile(rf"CREATE\s+(?P<replace>OR\s+REPLACE\s+)?(?:TRANSIENT\s+)?SCHEMA\s+"
                     rf"(?P<exists>IF\s+NOT\s+EXISTS\s+)?(?P<name>{_QN})(?P<rest>.*)", _I)
_BULK_GRANT = re.compile(rf"GRANT\s+(?P<privileges>[A-Z ,_.]+?)\s+ON\s+(?P<bulk>FUTURE|ALL)\s+(?P<plural>[A-Z ]+?)\s+"
                         rf"IN\s+(?P<container_kind>DATABASE|SCHEMA)\s+(?P<container>{_QN})\s+"
                         rf"TO\s+ROLE\s+(?P<role>{_ID})(?P<option>\s+WITH\s+GRANT\s+OPTION)?", _I)


@dataclass(frozen=True)
class GrantEffect:
    """A privilege grant a statement makes (or, with privileges == {"OWNERSHIP"}, an ownership transfer)."""
    privileges: frozenset[str]
    on_kind: str                   # "ACCOUNT", "DATABASE", "SCHEMA", "SEMANTIC VIEW", ... (singular)
    on_name: Name
    grantee_kind: str              # "ROLE" or "DATABASE ROLE"
    grantee: Name
    bulk: str = ""                 # "", "all" or "future"
    grant_option: bool = False


@dataclass
class Analysis:
    text: str
    kind: str = ""                 # a key of requirements.yaml `statements`; "" when none applies
    target: Name | None = None
    target_kind: str = ""          # the securable kind of the target
    reads: list[Name] = field(default_factory=list)
    calls: list[Name] = field(default_factory=list)
    warehouse: str | None = None   # the statement's own WAREHOUSE = parameter
    policy: Name | None = None
    source: Name | None = None     # the stage a statement copies from (CREATE STREAMLIT ... FROM)
    tools_search: list[Name] = field(default_factory=list)
    tools_semantic_view: list[Name] = field(default_factory=list)
    replaces: bool = False         # CREATE OR REPLACE
    if_not_exists: bool = False
    conditions: set[str] = field(default_factory=set)
    grant: GrantEffect | None = None
    role_grant: tuple[str, Name, str, Name] | None = None   # (child kind, child, parent kind, parent)
    use_role: str | None = None
    managed_access: bool = False
    error: str = ""                # why no requirement applies ("" when `kind` is set)

    @property
    def creates(self) -> bool:
        return self.kind.startswith("CREATE ")


def short(statement: str, width: int = 90) -> str:
    text = " ".join(statement.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def analyze(statement: str) -> Analysis:
    """What `statement` does. Never raises: a statement it cannot read comes back with `error` set."""
    text = statement.strip()
    analysis = Analysis(short(text))
    with quiet_sqlglot():
        try:
            tree = sqlglot.parse_one(text, read="snowflake")
        except (ParseError, TokenError) as exc:
            tree, analysis.error = None, f"sqlglot: {str(exc).splitlines()[0]}"
    if tree is not None and not isinstance(tree, exp.Command):
        _from_tree(tree, analysis)
    else:
        _from_grammar(text, analysis)
    if not analysis.kind and not analysis.use_role and not analysis.error:
        analysis.error = "no requirements are known for this kind of statement"
    return analysis


# --- statements sqlglot reads ----------------------------------------------------------------------

def _from_tree(tree: exp.Expression, a: Analysis) -> None:
    if isinstance(tree, exp.Create):
        _create(tree, a)
    elif isinstance(tree, exp.Merge):
        a.kind, a.target, a.target_kind = "MERGE", _name(tree.this), "TABLE"
        for when in (tree.args.get("whens") or exp.Whens()).expressions:
            then = when.args.get("then")
            a.conditions.add({exp.Insert: "inserts", exp.Update: "updates", exp.Delete: "deletes"}.get(type(then), ""))
        a.conditions.discard("")
        a.reads, a.calls = _reads(tree.args.get("using")), _calls(tree)
    elif isinstance(tree, exp.Delete):
        a.kind, a.target, a.target_kind = "DELETE", _name(tree.this), "TABLE"
        a.reads, a.calls = _reads(tree.args.get("where")), _calls(tree)
    elif isinstance(tree, exp.Insert):
        target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        a.kind, a.target, a.target_kind = "INSERT", _name(target), "TABLE"
        a.reads, a.calls = _reads(tree.expression), _calls(tree)
    elif isinstance(tree, (exp.Select, exp.Union, exp.Intersect, exp.Except)):
        a.kind, a.reads, a.calls = "SELECT", _reads(tree), _calls(tree)
    elif isinstance(tree, exp.Put):
        # PUT 'file://...' @DB.SCHEMA.STAGE/path: the target is the named stage, without the path.
        stage = tree.args["target"].name.lstrip("@").split("/", 1)[0]
        a.kind, a.target, a.target_kind = "PUT", split_name(stage), "STAGE"
    elif isinstance(tree, exp.Grant):
        _grant(tree, a)
    elif isinstance(tree, exp.Alter) and str(tree.args.get("kind") or "").upper() == "TABLE":
        a.kind, a.target, a.target_kind = "ALTER TABLE", _name(tree.this), "TABLE"
    elif isinstance(tree, exp.Use) and str(tree.args.get("kind") or "").upper() == "ROLE":
        a.use_role = split_name(tree.this.sql("snowflake"))[0]
    else:
        a.error = f"sqlglot reads a {type(tree).__name__}, for which no requirements are known"


def _create(tree: exp.Create, a: Analysis) -> None:
    kind = str(tree.args.get("kind") or "").upper()
    properties = tree.args.get("properties")
    props = properties.expressions if properties else []
    if kind == "TABLE" and any(isinstance(p, exp.DynamicProperty) for p in props):
        kind = "DYNAMIC TABLE"
    target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    a.kind, a.target, a.target_kind = f"CREATE {kind}", _name(target), kind
    a.replaces, a.if_not_exists = bool(tree.args.get("replace")), bool(tree.args.get("exists"))
    query = tree.expression
    if query is not None:
        a.conditions.add("has_query")
        a.reads, a.calls = _reads(query), _calls(query)
    for prop in props:
        if isinstance(prop, exp.Property) and prop.name.upper() == "WAREHOUSE":
            a.warehouse = split_name(prop.args["value"].sql("snowflake"))[0]
        if isinstance(prop, exp.Property) and prop.name.upper() == "INITIALIZE":
            a.conditions.add("initialize_" + prop.args["value"].sql("snowflake").lower())
    if kind == "DYNAMIC TABLE" and not any(c.startswith("initialize_") for c in a.conditions):
        # The default INITIALIZE is not in the stored copy of the page; assume the stricter ON_CREATE.
        a.conditions.add("initialize_on_create")


def _grant(tree: exp.Grant, a: Analysis) -> None:
    # sqlglot writes a dotted privilege with spaces ("CREATE SNOWFLAKE . ML . CLASSIFICATION").
    privileges = frozenset(re.sub(r"\s*\.\s*", ".", p.sql("snowflake").upper())
                           for p in tree.args.get("privileges") or [])
    principals = tree.args.get("principals") or []
    if len(principals) != 1 or str(principals[0].args.get("kind") or "ROLE").upper() not in ("ROLE", "DATABASE ROLE"):
        a.error = "a GRANT to anything but one role"
        return
    principal = principals[0]
    grantee_kind = str(principal.args.get("kind") or "ROLE").upper()
    grantee = split_name(principal.this.sql("snowflake"))
    securable = tree.args.get("securable")
    on_kind = str(tree.args.get("kind") or "").upper() or (
        "ACCOUNT" if securable is not None and securable.sql("snowflake").upper() == "ACCOUNT" else "")
    if not on_kind:
        a.error = "a GRANT on an object of unknown kind"
        return
    on_name = () if on_kind == "ACCOUNT" else split_name(securable.sql("snowflake"))
    a.grant = GrantEffect(privileges, on_kind, on_name, grantee_kind, grantee,
                          grant_option=bool(tree.args.get("grant_option")))
    if on_kind == "ACCOUNT":
        a.kind = "GRANT ACCOUNT PRIVILEGE"
    else:
        a.kind, a.target, a.target_kind = "GRANT PRIVILEGE", on_name, on_kind


# --- statements read from their documented grammar -------------------------------------------------

def _from_grammar(text: str, a: Analysis) -> None:
    matched = match_grammar(text)
    head = text.upper()
    # A grammar sqlcheck knows but no reader here (tasks and alerts) falls through to the heads below.
    if matched and matched[0].name in _GRAMMAR_READERS:
        grammar, m = matched
        a.error = ""
        a.replaces = bool(re.match(r"CREATE\s+OR\s+REPLACE\b", head))
        a.if_not_exists = bool(re.search(r"\bIF\s+NOT\s+EXISTS\b", head[:200]))
        _GRAMMAR_READERS[grammar.name](m, a)
        return
    for pattern, reader in ((_TASK, _task), (_ALERT, _alert), (_RESUME, _resume), (_SCHEMA, _schema),
                            (_BULK_GRANT, _bulk_grant)):
        m = pattern.fullmatch(text)
        if m:
            a.error = ""
            reader(m, a)
            return
    a.error = a.error or "sqlglot sees a generic command and no documented grammar matches"


def _classification(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE SNOWFLAKE.ML.CLASSIFICATION", split_name(m["name"]), \
        "SNOWFLAKE.ML.CLASSIFICATION"
    call = sqlglot.parse_one(f"SELECT F({m['args']})", read="snowflake")
    for fn in call.find_all(exp.Anonymous):
        args = fn.expressions
        if fn.name.upper() == "SYSTEM$REFERENCE" and len(args) >= 2 and isinstance(args[1], exp.Literal):
            a.reads.append(split_name(args[1].this))
        elif fn.name.upper() == "SYSTEM$QUERY_REFERENCE" and args and isinstance(args[0], exp.Literal):
            a.reads.extend(_reads(sqlglot.parse_one(args[0].this, read="snowflake")))


def _search(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE CORTEX SEARCH SERVICE", split_name(m["name"]), "CORTEX SEARCH SERVICE"
    a.warehouse = split_name(m["warehouse"])[0]
    a.reads = _reads(sqlglot.parse_one(m["query"], read="snowflake"))


def _agent(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE AGENT", split_name(m["name"]), "AGENT"
    spec = safe_yaml.loads(m["spec"], "the agent's specification") or {}
    types = {(t.get("tool_spec") or {}).get("name"): (t.get("tool_spec") or {}).get("type")
             for t in spec.get("tools") or []}
    for tool, resource in (spec.get("tool_resources") or {}).items():
        if types.get(tool) == "cortex_search" and resource.get("name"):
            a.tools_search.append(split_name(str(resource["name"])))
        if resource.get("semantic_view"):
            a.tools_semantic_view.append(split_name(str(resource["semantic_view"])))


def _semantic_view(m: re.Match, a: Analysis) -> None:
    schema = split_name(re.match(r"CALL\s+SYSTEM\$CREATE_SEMANTIC_VIEW_FROM_YAML\s*\(\s*'([^']*)'", m.string, _I)[1])
    model = safe_yaml.loads(m["spec"], "the semantic view's YAML") or {}
    a.kind, a.target, a.target_kind = "CREATE SEMANTIC VIEW", schema + (str(model.get("name", "")).upper(),), \
        "SEMANTIC VIEW"
    # The procedure replaces an existing semantic view of that name (sql/analytics/sv_account_billing.sql).
    a.replaces = True
    for table in model.get("tables") or []:
        base = table.get("base_table") or {}
        a.reads.append(tuple(str(base[k]).upper() for k in ("database", "schema", "table")))


def _masking_policy(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE MASKING POLICY", split_name(m["name"]), "MASKING POLICY"


def _alter_masking_policy(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "ALTER MASKING POLICY", split_name(m["name"]), "MASKING POLICY"


def _set_masking_policy(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "ALTER TABLE SET MASKING POLICY", split_name(m["table"]), "TABLE"
    a.policy = split_name(m["policy"])


def _grant_ai(m: re.Match, a: Analysis) -> None:
    kind = " ".join(m["kind"].upper().split())
    name = split_name(m["name"])
    a.kind, a.target, a.target_kind = "GRANT PRIVILEGE", name, kind
    a.grant = GrantEffect(frozenset(p.strip().upper() for p in m["privileges"].split(",")), kind, name,
                          "ROLE", split_name(m["role"]))


def _grant_database_role(m: re.Match, a: Analysis) -> None:
    name = split_name(m["name"])
    a.kind, a.target, a.target_kind = "GRANT DATABASE ROLE", name, "DATABASE ROLE"
    a.conditions.add("snowflake_database_role" if name[0] == SYSTEM_DATABASE else "not_snowflake_database_role")
    a.role_grant = ("DATABASE ROLE", name, "ROLE", split_name(m["role"]))


def _grant_role(m: re.Match, a: Analysis) -> None:
    name = split_name(m["name"])
    a.kind, a.target, a.target_kind = "GRANT ROLE", name, "ROLE"
    a.role_grant = ("ROLE", name, m["grantee_kind"].upper(), split_name(m["role"]))


def _streamlit(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE STREAMLIT", split_name(m["name"]), "STREAMLIT"
    a.source, a.warehouse = split_name(m["source"]), split_name(m["warehouse"])[0]


def _create_role(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE ROLE", split_name(m["name"]), "ROLE"


def _create_user(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE USER", split_name(m["name"]), "USER"


def _create_monitor(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE RESOURCE MONITOR", split_name(m["name"]), "RESOURCE MONITOR"


def _grant_account_object(m: re.Match, a: Analysis) -> None:
    kind = " ".join(m["kind"].upper().split())
    name = split_name(m["name"])
    a.kind, a.target, a.target_kind = "GRANT PRIVILEGE", name, kind
    a.grant = GrantEffect(frozenset(p.strip().upper() for p in m["privileges"].split(",")), kind, name,
                          "ROLE", split_name(m["role"]), grant_option=bool(m["option"]))


def _grant_ownership(m: re.Match, a: Analysis) -> None:
    kind = " ".join(m["kind"].upper().split())
    name = split_name(m["name"])
    a.kind, a.target, a.target_kind = "GRANT OWNERSHIP", name, kind
    a.grant = GrantEffect(frozenset({"OWNERSHIP"}), kind, name, "ROLE", split_name(m["role"]))


def _set_resource_monitor(m: re.Match, a: Analysis) -> None:
    # Assigns a monitor: changes what a warehouse may spend, not who may do what.
    a.kind = "ALTER SET RESOURCE_MONITOR"


def _no_secondary_roles(m: re.Match, a: Analysis) -> None:
    # The model already counts only the session's primary role (the role a statement runs as).
    a.kind = "ALTER USER SET DEFAULT_SECONDARY_ROLES"


_GRAMMAR_READERS = {
    "CREATE SNOWFLAKE.ML.CLASSIFICATION": _classification,
    "CREATE CORTEX SEARCH SERVICE": _search,
    "CREATE AGENT": _agent,
    "CALL SYSTEM$CREATE_SEMANTIC_VIEW_FROM_YAML": _semantic_view,
    "CREATE MASKING POLICY": _masking_policy,
    "ALTER MASKING POLICY SET BODY": _alter_masking_policy,
    "ALTER TABLE MODIFY COLUMN SET MASKING POLICY": _set_masking_policy,
    "GRANT <privileges> ON <AI object>": _grant_ai,
    "GRANT DATABASE ROLE": _grant_database_role,
    "GRANT ROLE": _grant_role,
    "CREATE ROLE": _create_role,
    "CREATE STREAMLIT": _streamlit,
    "CREATE USER": _create_user,
    "CREATE RESOURCE MONITOR": _create_monitor,
    "GRANT <privileges> ON <account object>": _grant_account_object,
    "GRANT OWNERSHIP": _grant_ownership,
    "ALTER SET RESOURCE_MONITOR": _set_resource_monitor,
    "ALTER USER SET DEFAULT_SECONDARY_ROLES": _no_secondary_roles,
}


def _task(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE TASK", split_name(m["name"]), "TASK"
    a.replaces, a.if_not_exists = bool(m["replace"]), bool(m["exists"])
    warehouse = _WAREHOUSE_PROP.search(m["props"])
    a.warehouse = split_name(warehouse["warehouse"])[0] if warehouse else None


def _alert(m: re.Match, a: Analysis) -> None:
    _task(m, a)
    a.kind, a.target_kind = "CREATE ALERT", "ALERT"


def _resume(m: re.Match, a: Analysis) -> None:
    kind = m["kind"].upper()
    a.kind, a.target, a.target_kind = f"ALTER {kind} RESUME", split_name(m["name"]), kind


def _schema(m: re.Match, a: Analysis) -> None:
    a.kind, a.target, a.target_kind = "CREATE SCHEMA", split_name(m["name"]), "SCHEMA"
    a.replaces, a.if_not_exists = bool(m["replace"]), bool(m["exists"])
    a.managed_access = bool(re.search(r"\bWITH\s+MANAGED\s+ACCESS\b", m["rest"], _I))


def _bulk_grant(m: re.Match, a: Analysis) -> None:
    plural = " ".join(m["plural"].upper().split())
    a.kind = "GRANT PRIVILEGE"
    a.target, a.target_kind = split_name(m["container"]), m["container_kind"].upper()
    a.grant = GrantEffect(frozenset(p.strip().upper() for p in m["privileges"].split(",")), plural,
                          a.target, "ROLE", split_name(m["role"]), bulk=m["bulk"].lower(),
                          grant_option=bool(m["option"]))


# --- helpers ---------------------------------------------------------------------------------------

def _name(node: exp.Expression | None) -> Name:
    if isinstance(node, exp.Table):
        return tuple(part.name if part.args.get("quoted") else part.name.upper() for part in node.parts)
    return split_name(node.sql("snowflake")) if node is not None else ()


def _reads(node: exp.Expression | None) -> list[Name]:
    """Tables and views a query reads: every table reference but common table expressions and
    table functions, in order, once each."""
    if node is None:
        return []
    ctes = {cte.alias_or_name.upper() for cte in node.find_all(exp.CTE)}
    found: list[Name] = []
    for table in node.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            continue
        name = _name(table)
        if len(name) == 1 and name[0] in ctes:
            continue
        if name not in found:
            found.append(name)
    return found


def _calls(node: exp.Expression | None) -> list[Name]:
    """Objects a statement calls: classification model methods (model!PREDICT) and qualified user
    functions; unqualified calls are kept as one-part names (the checker keeps only known objects)."""
    if node is None:
        return []
    found: list[Name] = []
    for model in node.find_all(exp.ModelAttribute):
        name = split_name(model.this.sql("snowflake"))
        if name not in found:
            found.append(name)
    for fn in node.find_all(exp.Anonymous):
        parent = fn.parent
        if isinstance(parent, exp.ModelAttribute):
            continue
        if isinstance(parent, exp.Dot) and parent.expression is fn:
            name = split_name(parent.this.sql("snowflake")) + (fn.name.upper(),)
        else:
            name = (fn.name.upper(),)
        if name[0] != SYSTEM_DATABASE and name not in found:
            found.append(name)
    return found
