"""Checks statements against the access model: which requirements of requirements.yaml apply to a
statement, resolved to objects, and whether the running role holds each; and what the statement then
changes in the model (objects it creates and owns, grants it makes). Also reads the stack folder's
hooks.json and bootstrap.sql (cli/ysg/access/report.py puts it all together).

General rules applied to every statement (requirements.yaml `general`): USAGE on the database and schema
of every object named that lives in a schema, and USAGE on the session's warehouse for statements that
need compute.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from ysg.access.model import (ACCOUNT, BOOTSTRAP, OWNERSHIP, TERRAFORM, AccessModel, Holding, Moment, Name,
                              Principal, PrivilegeGrant, Scope, Securable, Source, role, split_name)
from ysg.access.requirements import MEMBERSHIP, Atom, KindRequirements, Requirement, Requirements
from ysg.access.stack import PLURALS, TerraformStack
from ysg.access.statements import SYSTEM_DATABASE, Analysis, analyze
from ysg_core.render import split_statements
from ysg_hooks.manifest import MANIFEST_FILE

BOOTSTRAP_FILE = "bootstrap.sql"
# Who runs bootstrap.sql until its first USE ROLE.
ADMINISTRATOR = "ACCOUNTADMIN"
# Schema-level kinds looked up, in this order, when a statement names an object without its kind.
READABLE_KINDS = ("TABLE", "VIEW", "DYNAMIC TABLE", "MATERIALIZED VIEW", "EXTERNAL TABLE", "SEMANTIC VIEW")
CALLABLE_KINDS = ("FUNCTION", "SNOWFLAKE.ML.CLASSIFICATION", "PROCEDURE")
INFORMATION_SCHEMA = "INFORMATION_SCHEMA"
# Statements of bootstrap.sql that change a setting, not an object or a privilege: nothing to model.
SETTINGS = frozenset({"ALTER SET RESOURCE_MONITOR", "ALTER USER SET DEFAULT_SECONDARY_ROLES"})


class AccessInputError(ValueError):
    """The stack folder cannot be read (missing or malformed file); the message names the file."""


@dataclass
class Need:
    """One requirement as checked: held, and by what; or missing, and what would provide it."""
    text: str
    held: bool
    providers: list[Holding] = field(default_factory=list)
    missing: str = ""
    hints: list[str] = field(default_factory=list)
    quoted: bool = True
    privilege: str = ""                      # the (first) privilege the requirement is about
    securable: Securable | None = None


@dataclass
class Result:
    """A hook statement or a consumer's action, with every requirement checked."""
    label: str                               # "analytics.dt_account_billing #1", "app: segments()"
    text: str
    role: Principal | None
    warehouse: str | None
    needs: list[Need] = field(default_factory=list)
    error: str = ""
    assumed: str = ""                        # why the role/warehouse were assumed, when they were

    @property
    def ok(self) -> bool:
        return not self.error and all(n.held for n in self.needs)


@dataclass
class Context:
    role: Principal
    warehouse: str | None
    database: str | None
    schema: str | None
    at: Moment
    source: Source


class Checker:
    def __init__(self, model: AccessModel, requirements: Requirements, stack: TerraformStack):
        self.model, self.requirements, self.stack = model, requirements, stack
        self.semantic_reads: dict[Securable, list[Securable]] = {}
        self.agent_tools: dict[Securable, tuple[list[Name], list[Name]]] = {}
        # The warehouse each Streamlit app runs its queries on (QUERY_WAREHOUSE).
        self.query_warehouses: dict[Securable, str | None] = {
            Securable("STREAMLIT", stack.name_of(address)):
                split_name(stack.value(conf["query_warehouse"], address))[0] if conf.get("query_warehouse") else None
            for address, conf in stack.of_type("snowflake_streamlit")}

    # --- names -----------------------------------------------------------------------------------
    def qualify(self, name: Name, ctx: Context, parts: int = 3) -> Name:
        """`name` completed with the session's current database (and schema) to `parts` parts, when
        it is shorter and the session has them; as written otherwise."""
        defaults = (ctx.database, ctx.schema)[:parts - 1]
        missing = parts - len(name)
        if missing <= 0 or None in defaults[:missing] or missing > len(defaults):
            return tuple(name)
        return tuple(defaults[:missing]) + tuple(name)

    def find(self, name: Name, kinds: tuple[str, ...]) -> Securable | None:
        for kind in kinds:
            securable = Securable(kind, name)
            if securable in self.model.objects:
                return securable
        return None

    # --- one statement ----------------------------------------------------------------------------
    def check(self, analysis: Analysis, kind: KindRequirements | None, ctx: Context, label: str,
              assumed: str = "", extra: dict | None = None) -> Result:
        """Check `analysis` as `ctx.role`; `extra` supplies references a consumer knows (agent tools,
        monitors) that the statement itself does not name."""
        result = Result(label, analysis.text, ctx.role, ctx.warehouse, assumed=assumed)
        if kind is None:
            result.error = analysis.error or f"no requirements are known for {analysis.kind or 'this statement'}"
            return result
        refs = self._refs(analysis, ctx, extra or {})
        for requirement in kind.requirements:
            if requirement.when and not self._condition(requirement.when, analysis, refs):
                continue
            result.needs.extend(self._evaluate(requirement, refs, ctx))
        # General rules: USAGE on the containers of every object named, and the session's warehouse.
        general = self.requirements.general
        for securable in self._named(analysis, refs):
            refs["{object}.database"], refs["{object}.schema"] = [securable.database], [securable.schema]
            result.needs.extend(self._evaluate(general["container_usage"], refs, ctx))
        compute = kind.compute == "true" or (kind.compute == "reads" and refs.get("reads"))
        if compute:
            result.needs.extend(self._evaluate(general["session_warehouse"], refs, ctx))
        result.needs = _unique(result.needs)
        return result

    def _refs(self, a: Analysis, ctx: Context, extra: dict) -> dict[str, list]:
        """Every reference of requirements.yaml resolved to securables: kind UNKNOWN for an object named
        that nothing created; None for a session without a warehouse."""
        refs: dict[str, list] = {"account": [ACCOUNT]}
        if a.target is not None:
            target = self._target(a, ctx)
            refs["target"] = [target]
            refs["target.schema"] = [Securable("SCHEMA", target.name[:2])] if len(target.name) >= 2 else []
            refs["target.database"] = [Securable("DATABASE", target.name[:1])] if target.name else []
        if a.warehouse:
            refs["warehouse"] = [Securable("WAREHOUSE", (a.warehouse,))]
        refs["session.warehouse"] = [Securable("WAREHOUSE", (ctx.warehouse,)) if ctx.warehouse else None]
        if a.policy:
            refs["policy"] = [self._lookup(self.qualify(a.policy, ctx), ("MASKING POLICY",))]
        if a.source:
            refs["source"] = [self._lookup(self.qualify(a.source, ctx), ("STAGE",))]
        if a.target is not None and len(refs["target"][0].name) == 3:
            # The pipe named as the target table (Snowpipe Streaming's user-defined pipe), when one exists.
            pipe = Securable("PIPE", refs["target"][0].name)
            refs["pipe"] = [pipe] if pipe in self.model.objects else []
        reads = [self._lookup(self.qualify(r, ctx), READABLE_KINDS) for r in a.reads
                 if len(r) < 2 or r[-2] != INFORMATION_SCHEMA]
        refs["reads"] = reads
        refs["reads.dynamic"] = [r for r in reads if r is not None and r.kind == "DYNAMIC TABLE"]
        calls = []
        for name in a.calls:
            found = self.find(self.qualify(name, ctx), CALLABLE_KINDS)
            if found or len(name) == 3:    # an unqualified name may be a built-in function
                calls.append(found or _unknown(name))
        refs["calls"] = calls
        refs["tools.search"] = [self._lookup(self.qualify(n, ctx), ("CORTEX SEARCH SERVICE",)) for n in a.tools_search]
        refs["tools.semantic_view"] = [self._lookup(self.qualify(n, ctx), ("SEMANTIC VIEW",))
                                       for n in a.tools_semantic_view]
        refs["tools.semantic_reads"] = [r for sv in refs["tools.semantic_view"] if sv is not None
                                        for r in self.semantic_reads.get(sv, [])]
        refs.update(extra)
        return refs

    def _target(self, a: Analysis, ctx: Context) -> Securable:
        """What the statement acts on: the object it creates, or the existing object it names (UNKNOWN
        when nothing before it created one)."""
        parts = 1 if a.target_kind in ("DATABASE", "ROLE", "WAREHOUSE", "INTEGRATION") else \
            2 if a.target_kind in ("SCHEMA", "DATABASE ROLE") else 3
        name = self.qualify(a.target, ctx, parts)
        if a.kind in ("MERGE", "DELETE", "INSERT", "ALTER TABLE SET MASKING POLICY", "KAFKA CONNECTOR",
                      "KAFKA HIGH PERFORMANCE CONNECTOR", "SALESFORCE SYNC"):
            return self._lookup(name, READABLE_KINDS)     # statements write tables; a view errors in Snowflake
        if a.kind == "GRANT PRIVILEGE" and a.target_kind in ("TABLE", "VIEW"):
            return self._lookup(name, READABLE_KINDS)     # a grant ON TABLE names a table, ON VIEW a view
        return Securable(a.target_kind, name)

    def _lookup(self, name: Name, kinds: tuple[str, ...]) -> Securable | None:
        return self.find(name, kinds) or _unknown(name)

    def _condition(self, when: str, a: Analysis, refs: dict) -> bool:
        target = refs.get("target", [None])[0]
        if when == "replaces_existing":
            return a.replaces and target in self.model.objects
        if when in ("target_in_managed_schema", "target_not_in_managed_schema"):
            schema = target.schema if target is not None else None
            info = self.model.objects.get(schema) if schema is not None else None
            managed = bool(info and info.managed_access)
            return managed == (when == "target_in_managed_schema")
        if when == "has_named_pipe":
            return bool(refs.get("pipe"))
        return when in a.conditions

    def _named(self, a: Analysis, refs: dict) -> list[Securable]:
        """Objects a statement names that live in a schema: the general container rule covers them."""
        named = []
        for key in ("target", "policy", "reads", "calls", "tools.search", "tools.semantic_view"):
            for securable in refs.get(key, []):
                if securable is not None and securable.kind != "UNKNOWN" and securable.in_schema \
                        and securable.schema is not None and securable not in named:
                    named.append(securable)
        return named

    def _evaluate(self, requirement: Requirement, refs: dict, ctx: Context) -> list[Need]:
        """One Need per object of a per-object reference; a requirement with no alternative ("A & B")
        becomes one Need per atom, so a report says exactly which of them is missing."""
        if len(requirement.alternatives) == 1 and len(requirement.alternatives[0]) > 1:
            parts = [replace(requirement, alternatives=((atom,),)) for atom in requirement.alternatives[0]]
            return [need for part in parts for need in self._evaluate(part, refs, ctx)]
        multi = requirement.multi_ref
        objects = refs.get(multi, []) if multi else [None]
        return [self._evaluate_one(requirement, refs, ctx, multi, obj) for obj in objects]

    def _evaluate_one(self, requirement: Requirement, refs: dict, ctx: Context, multi: str | None,
                      obj: Securable | None) -> Need:
        groups, texts, first = [], [], None
        for alternative in requirement.alternatives:
            atoms = []
            for atom in alternative:
                target = obj if atom.ref == multi else (refs.get(atom.ref) or [None])[0]
                atoms.append((atom, target))
                first = first or (atom, target)
            groups.append(atoms)
            texts.append(" and ".join(_atom_text(a, t) for a, t in atoms))
        text = " or ".join(texts)
        need = Need(text, False, quoted=requirement.quoted, privilege=first[0].privilege, securable=first[1])
        for atoms in groups:
            holdings: list[Holding] = []
            for atom, target in atoms:
                found = self._holds(ctx, atom, target)
                if requirement.direct:
                    found = [h for h in found if not h.via]
                if not found:
                    break
                holdings.extend(found)
            else:
                need.held, need.providers = True, holdings
                return need
        unknown = [t for atoms in groups for a, t in atoms if a.privilege != MEMBERSHIP
                   and (t is None or t.kind == "UNKNOWN")]
        need.missing = text
        if unknown and unknown[0] is not None:
            need.missing += (f": {'.'.join(unknown[0].name)} is created by neither Terraform, bootstrap.sql "
                             "nor an earlier hook statement")
        elif unknown:
            need.missing += ": the session has no warehouse"
        elif requirement.direct and any(self._holds(ctx, a, t) for atoms in groups for a, t in atoms):
            need.missing += " granted to the role itself (an inherited grant does not count here)"
        elif len(groups) == 1 and len(groups[0]) == 1 and first[0].privilege != MEMBERSHIP:
            need.hints = [f"{holder} holds it: {h.describe()}"
                          for holder, h in self.model.holders(first[0].privilege, first[1])][:3]
        return need

    def _holds(self, ctx: Context, atom: Atom, target: Securable | None) -> list[Holding]:
        if atom.privilege == MEMBERSHIP:
            name = split_name(atom.ref)
            member = Principal("DATABASE ROLE", name) if len(name) == 2 else role(name[0])
            return self.model.membership(ctx.role, member)
        if target is None or target.kind == "UNKNOWN":
            return []
        return self.model.holdings(ctx.role, atom.privilege, target, ctx.at)

    # --- effects of a statement on the model -------------------------------------------------------
    def apply(self, a: Analysis, ctx: Context) -> None:
        model = self.model
        if a.kind.startswith("CREATE ") and a.target is not None:
            target = self._target(a, ctx)
            exists = target in model.objects
            if not (exists and a.if_not_exists):
                model.add_object(target, ctx.role, ctx.at, ctx.source, managed_access=a.managed_access)
            if a.kind == "CREATE SEMANTIC VIEW":
                self.semantic_reads[target] = [r for r in (self._lookup(self.qualify(n, ctx), READABLE_KINDS)
                                                           for n in a.reads) if r is not None]
            if a.kind == "CREATE AGENT":
                self.agent_tools[target] = (list(a.tools_search), list(a.tools_semantic_view))
            if a.kind == "CREATE STREAMLIT":
                self.query_warehouses[target] = a.warehouse
        if a.grant is not None:
            g = a.grant
            grantee = Principal(g.grantee_kind, g.grantee) if g.grantee_kind == "DATABASE ROLE" else role(g.grantee[0])
            if g.bulk:
                scope = Scope(bulk=g.bulk, kind=PLURALS.get(g.on_kind, g.on_kind),
                              container=Securable(a.target_kind, a.target))
            else:
                scope = Scope(on=ACCOUNT if g.on_kind == "ACCOUNT" else self._target(a, ctx))
            if g.privileges == {OWNERSHIP} and scope.on is not None:
                model.set_owner(scope.on, grantee, ctx.source)
            else:
                model.add_grant(PrivilegeGrant(grantee, g.privileges, scope, ctx.source, ctx.at, g.grant_option))
        if a.role_grant is not None:
            child_kind, child, parent_kind, parent = a.role_grant
            model.add_role_grant(Principal(child_kind, child), Principal(parent_kind, parent), ctx.source, ctx.at)


def _unknown(name: Name) -> Securable:
    return Securable("UNKNOWN", tuple(name))


def _atom_text(atom: Atom, target: Securable | None) -> str:
    if atom.privilege == MEMBERSHIP:
        return f"role {atom.ref}"
    where = "the session's warehouse (none is set)" if target is None else \
        f"object {'.'.join(target.name)}" if target.kind == "UNKNOWN" else str(target)
    return f"{atom.privilege} on {where}"


def _unique(needs: list[Need]) -> list[Need]:
    seen, out = set(), []
    for need in needs:
        if need.text not in seen:
            seen.add(need.text)
            out.append(need)
    return out


# --- reading the stack folder --------------------------------------------------------------------------

def read_manifest(stack_dir: Path) -> dict:
    path = stack_dir / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AccessInputError(f"{path}: no hook manifest; run `ysg synth` first") from None
    except json.JSONDecodeError as exc:
        raise AccessInputError(f"{path}: not valid JSON ({exc})") from None
    hooks = data.get("hooks") if isinstance(data, dict) else None
    if not isinstance(hooks, list) or not all(isinstance(h, dict) and isinstance(h.get("name"), str)
                                              and isinstance(h.get("statements"), list) for h in hooks):
        raise AccessInputError(f"{path}: `hooks` must be a list of hooks with a name and statements")
    if not isinstance(data.get("environment"), str):
        raise AccessInputError(f"{path}: `environment` is missing")
    return data


def load_bootstrap(checker: Checker, path: Path) -> str:
    """Apply the administrator's bootstrap.sql to the model: objects owned by the role of the last USE
    ROLE, grants labelled with their line. Not checked: an administrator holds what it needs."""
    if not path.is_file():
        return "none (no bootstrap.sql beside the stack)"
    text = path.read_text(encoding="utf-8")
    current, position, count = role(ADMINISTRATOR), 0, 0
    for seq, statement in enumerate(split_statements(text), start=1):
        start = text.index(statement, position)
        position = start + len(statement)
        line = text.count("\n", 0, start) + 1
        analysis = analyze(statement)
        if analysis.use_role:
            current = role(analysis.use_role)
            continue
        if analysis.kind in SETTINGS:
            continue
        if analysis.error or not (analysis.kind.startswith(("CREATE ", "GRANT "))):
            raise AccessInputError(f"{path} line {line}: the access model cannot read this statement "
                                   f"({analysis.error or analysis.kind}): {analysis.text}")
        ctx = Context(current, None, None, None, Moment(BOOTSTRAP, seq), Source(f"bootstrap.sql line {line}",
                                                                                "bootstrap"))
        checker.apply(analysis, ctx)
        count += 1
    return f"{path.name} ({count} statements, applied as run by an administrator)"


def load_executes(checker: Checker, stack: TerraformStack, deployer: Principal) -> int:
    """Apply the GRANTs Terraform runs through snowflake_execute (privileges no grant resource can keep
    without a permanent diff) as the deploy role; return how many. Any other statement there is refused:
    the model would not know what it does."""
    count = 0
    for address, conf in stack.of_type("snowflake_execute"):
        analysis = analyze(str(conf.get("execute", "")))
        if analysis.grant is None:
            continue   # not a grant: creates an object the model does not track (e.g. an API integration)
        ctx = Context(deployer, None, None, None, Moment(TERRAFORM, 0, address), Source(address, "terraform"))
        checker.apply(analysis, ctx)
        count += 1
    return count


def load_system_objects(checker: Checker) -> None:
    """Snowflake's own objects the hooks read (requirements.yaml `system_objects`), readable by the
    SNOWFLAKE database roles named there, before anything else happens."""
    model, at = checker.model, Moment(BOOTSTRAP, 0)
    for obj in checker.requirements.system_objects:
        source = Source(f"Snowflake: {'.'.join(obj.name)} ({obj.cites[0].url})", "snowflake")
        owner = Principal("DATABASE ROLE", (SYSTEM_DATABASE, "ACCOUNTADMIN"))
        for securable in (Securable("DATABASE", obj.name[:1]), Securable("SCHEMA", obj.name[:2]),
                          Securable(obj.kind, obj.name)):
            if securable not in model.objects:
                model.add_object(securable, owner, at, source)
        for reader in obj.readers:
            grantee = Principal("DATABASE ROLE", split_name(reader))
            model.add_grant(PrivilegeGrant(grantee, frozenset({"USAGE"}), Scope(on=Securable("DATABASE", obj.name[:1])),
                                           source, at))
            model.add_grant(PrivilegeGrant(grantee, frozenset({"USAGE"}), Scope(on=Securable("SCHEMA", obj.name[:2])),
                                           source, at))
            model.add_grant(PrivilegeGrant(grantee, frozenset({"SELECT"}), Scope(on=Securable(obj.kind, obj.name)),
                                           source, at))
