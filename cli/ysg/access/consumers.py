"""What the stack's consumers do, derived from their own sources and checked after every hook has run:
- the Billing Ops app: every SQL text app/*.py hands to `.query(...)` or `.sql(...)`, the agent it asks
  and the resource monitors it shows, as the STREAMLIT object's owner on its query warehouse (Streamlit
  in Snowflake runs with owner's rights: requirements.yaml, streamlit-owners-rights);
- the Kafka connector: kafka-connector.json's role, database, schema and topic tables;
- the Salesforce sync: the Salesforce service user's default role and warehouse, the stack's external
  function and SALESFORCE_ACCOUNTS (issue 12, finding 4).
"""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from ysg.access.check import INFORMATION_SCHEMA, AccessInputError, Checker, Context, Result
from ysg.access.model import CONSUMERS, Moment, Name, Securable, Source, role, split_name
from ysg.access.statements import Analysis, analyze, short
from ysg_core import naming
from ysg_core.paths import REPO_ROOT

APP_DIR = REPO_ROOT / "app"
KAFKA_FILE = "kafka-connector.json"
SALESFORCE_TABLE = "SALESFORCE_ACCOUNTS"
_QUERY_METHODS = ("query", "sql")
AGENT_FUNCTION = "DATA_AGENT_RUN"


@dataclass(frozen=True)
class AppCall:
    file: str
    line: int
    function: str
    sql: str


def app_calls(app_dir: Path = APP_DIR) -> list[AppCall]:
    """Every constant SQL text the app passes to a `.query()` or `.sql()` call, with where it is."""
    found = []
    for path in sorted(Path(app_dir).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr in _QUERY_METHODS and node.args \
                        and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    found.append(AppCall(str(path.relative_to(Path(app_dir).parent)), node.lineno,
                                         function.name, node.args[0].value))
    return found


def app_constants(app_dir: Path = APP_DIR) -> dict[str, str]:
    """The module-level string constants of the app's data layer (AGENT_LOCATION, ...)."""
    path = Path(app_dir) / "billing_data.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {t.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for t in node.targets if isinstance(t, ast.Name)}


def check_consumers(checker: Checker, names: naming.EnvironmentNames, stack_dir: Path, app_dir: Path | None,
                    notes: list[str]) -> list[Result]:
    return (_app(checker, Path(app_dir or APP_DIR), notes) + _kafka(checker, stack_dir, notes)
            + _salesforce(checker, names, notes))


def _context(principal_name: str, warehouse: str | None, database: str | None, schema: str | None,
             label: str, seq: int) -> Context:
    return Context(role(principal_name), warehouse, database, schema, Moment(CONSUMERS, seq),
                   Source(label, "consumer"))


def _app(checker: Checker, app_dir: Path, notes: list[str]) -> list[Result]:
    model = checker.model
    apps = sorted((s for s in model.objects if s.kind == "STREAMLIT"), key=str)
    if not apps:
        notes.append("app: no STREAMLIT object is created by the stack, bootstrap.sql or a hook; the app is "
                      "not checked")
        return []
    app = apps[0]
    owner = model.objects[app].owner
    warehouse = checker.query_warehouses.get(app)
    owner_name = owner.name[0]
    constants = app_constants(app_dir)
    results = []
    for seq, call in enumerate(app_calls(app_dir), start=1):
        label = f"app: {call.function}() {call.file}:{call.line}"
        ctx = _context(owner_name, warehouse, app.name[0], app.name[1], label, seq)
        analysis = analyze(call.sql)
        assumed = f"the app runs with its owner's rights; {model.objects[app].owner_source}"
        if call.sql.strip().upper() == "SHOW RESOURCE MONITORS":
            monitors = [s for s in model.objects if s.kind == "RESOURCE MONITOR"]
            kind = checker.requirements.consumers["SHOW RESOURCE MONITORS"]
            results.append(checker.check(analysis, kind, ctx, label, assumed, extra={"monitors": monitors}))
            continue
        if AGENT_FUNCTION in call.sql.upper():
            results.append(_agent_run(checker, analysis, constants, owner_name, ctx, label, assumed))
            continue
        information = [r for r in analysis.reads if len(r) >= 2 and r[-2] == INFORMATION_SCHEMA]
        analysis.reads = [r for r in analysis.reads if r not in information]
        result = checker.check(analysis, checker.requirements.statements.get(analysis.kind), ctx, label, assumed)
        if information:
            info = Analysis(analysis.text, "INFORMATION_SCHEMA QUERY", target=(app.name[0],), target_kind="DATABASE")
            result.needs[:0] = checker.check(info, checker.requirements.consumers["INFORMATION_SCHEMA QUERY"],
                                             ctx, label, assumed).needs
        results.append(result)
    return results


def _agent_run(checker: Checker, analysis: Analysis, constants: dict[str, str], owner_name: str, ctx: Context,
               label: str, assumed: str) -> Result:
    """The agent the app asks: AGENT_LOCATION + AGENT_BASE_NAME + the suffix of the role it runs as,
    exactly as billing_data.agent_name() computes it."""
    missing = {"AGENT_LOCATION", "AGENT_BASE_NAME", "STREAMLIT_ROLE_BASE_NAME"} - set(constants)
    if missing:
        return Result(label, analysis.text, ctx.role, ctx.warehouse,
                      error=f"app/billing_data.py no longer defines {', '.join(sorted(missing))}: "
                            "cannot tell which agent the app asks")
    base = constants["STREAMLIT_ROLE_BASE_NAME"]
    suffix = owner_name.removeprefix(base) if owner_name.startswith(base) else ""
    agent: Name = split_name(constants["AGENT_LOCATION"]) + (constants["AGENT_BASE_NAME"] + suffix,)
    search, semantic = checker.agent_tools.get(Securable("AGENT", agent), ([], []))
    run = Analysis(f"{analysis.text} (agent {'.'.join(agent)})", "AGENT RUN", target=agent, target_kind="AGENT",
                   tools_search=list(search), tools_semantic_view=list(semantic))
    return checker.check(run, checker.requirements.consumers["AGENT RUN"], ctx, label, assumed)


def _kafka(checker: Checker, stack_dir: Path, notes: list[str]) -> list[Result]:
    path = Path(stack_dir) / KAFKA_FILE
    if not path.is_file():
        notes.append(f"kafka: no {KAFKA_FILE} beside the stack; the connector is not checked")
        return []
    try:
        config = json.loads(path.read_text(encoding="utf-8"))["config"]
        connector_class, role_name = config["connector.class"], config["snowflake.role.name"]
        database, schema = config["snowflake.database.name"], config["snowflake.schema.name"]
        tables = [pair.split(":", 1)[1] for pair in config["snowflake.topic2table.map"].split(",") if ":" in pair]
    except (KeyError, TypeError, ValueError) as exc:
        raise AccessInputError(f"{path}: not a connector configuration the access model can read ({exc})") from None
    kinds = [k for k, settings in checker.requirements.consumer_settings.items()
             if settings.get("connector_class") == connector_class]
    label = f"kafka: {connector_class.rsplit('.', 1)[-1]} as {role_name}"
    results = []
    for seq, table in enumerate(tables, start=1):
        ctx = _context(role_name, None, database, schema, label, 1000 + seq)
        target = (database, schema, table.strip().upper())
        analysis = Analysis(short(f"streams topic records into {'.'.join(target)}"), kinds[0] if kinds else "",
                            target=target, target_kind="TABLE")
        if not kinds:
            results.append(Result(label, analysis.text, ctx.role, None,
                                  error=f"no cited requirements for connector class {connector_class} "
                                        "(cli/ysg/access/requirements.yaml, consumers)"))
            continue
        results.append(checker.check(analysis, checker.requirements.consumers[kinds[0]], ctx, label,
                                     f"from {KAFKA_FILE}"))
    return results


def _salesforce(checker: Checker, names: naming.EnvironmentNames, notes: list[str]) -> list[Result]:
    stack = checker.stack
    users = [(a, c) for a, c in stack.of_type("snowflake_service_user", "snowflake_user")
             if stack.value(c["name"], f"{a}.name") == names.salesforce_user]
    if not users:
        notes.append(f"salesforce: no user {names.salesforce_user} in the stack; the sync is not checked")
        return []
    address, conf = users[0]
    role_name = split_name(stack.value(conf.get("default_role", ""), f"{address}.default_role") or "PUBLIC")[0]
    warehouse = split_name(stack.value(conf["default_warehouse"], address))[0] \
        if conf.get("default_warehouse") else None
    functions = [stack.name_of(a) for a, _ in stack.of_type("snowflake_external_function")]
    database = names.database
    target = (database, naming.RAW_SCHEMA, SALESFORCE_TABLE)
    label = f"salesforce sync: {names.salesforce_user} as {role_name}"
    ctx = _context(role_name, warehouse, database, naming.RAW_SCHEMA, label, 2000)
    analysis = Analysis(f"calls {', '.join('.'.join(f) for f in functions) or 'no external function'}, "
                        f"MERGE into {'.'.join(target)}", "SALESFORCE SYNC", target=target, target_kind="TABLE",
                        calls=functions)
    return [checker.check(analysis, checker.requirements.consumers["SALESFORCE SYNC"], ctx, label,
                          f"the user's default role and warehouse ({address})")]
