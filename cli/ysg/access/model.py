"""Who holds which privilege on what: objects and their owners, role grants and privilege grants, in the
order they happen (bootstrap, then Terraform, then each hook statement), and the evidence for each holding.

The rules are Snowflake's, cited in cli/ysg/access/requirements.yaml (`semantics`): a role holds what is
granted to it and to every role granted to it (role-hierarchy, database-roles); an object's owner holds
every privilege on it and its creator owns it (owner-is-creator); a future grant applies to objects
created after it, a schema's future grants taking precedence over its database's for the same kind of
object (future-grants-timing, future-ownership-precedence).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Name = tuple[str, ...]

BOOTSTRAP, TERRAFORM, HOOKS, CONSUMERS = 0, 1, 2, 3
OWNERSHIP = "OWNERSHIP"
ALL_PRIVILEGES = "ALL"
# Kinds of securable that are not inside a schema.
ACCOUNT_KINDS = frozenset({"ACCOUNT", "DATABASE", "WAREHOUSE", "RESOURCE MONITOR", "INTEGRATION", "USER",
                           "ROLE", "NETWORK POLICY", "COMPUTE POOL", "EXTERNAL VOLUME"})
DATABASE_KINDS = frozenset({"SCHEMA", "DATABASE ROLE"})
# Every role inherits PUBLIC ("automatically granted to every user and every role in your account").
PUBLIC = "PUBLIC"


def split_name(text: str) -> Name:
    """`"DB"."SCHEMA"."OBJ"`, `DB.SCHEMA.OBJ` or `DB.SCHEMA.FN(VARIANT)` -> ('DB', 'SCHEMA', 'OBJ').

    Unquoted parts are upper-cased as Snowflake resolves them; quoted parts are kept as written. An
    argument list (functions) is dropped: objects are keyed by name (no overloads in these stacks)."""
    parts: list[str] = []
    current, i, text = "", 0, text.strip()
    while i < len(text):
        c = text[i]
        if c == '"':
            end = text.index('"', i + 1)
            current += text[i + 1:end]
            i = end + 1
            continue
        if c == ".":
            parts.append(current)
            current = ""
        elif c == "(":
            break
        elif not c.isspace():
            current += c.upper()
        i += 1
    parts.append(current)
    return tuple(parts)


@dataclass(frozen=True)
class Securable:
    kind: str          # "ACCOUNT", "DATABASE", "SCHEMA", "TABLE", "DYNAMIC TABLE", "ROLE", "DATABASE ROLE", ...
    name: Name

    def __str__(self) -> str:
        return self.kind if self.kind == "ACCOUNT" else f"{self.kind} {'.'.join(self.name)}"

    @property
    def in_schema(self) -> bool:
        return self.kind not in ACCOUNT_KINDS and self.kind not in DATABASE_KINDS

    @property
    def database(self) -> "Securable | None":
        return Securable("DATABASE", self.name[:1]) if self.kind not in ACCOUNT_KINDS and self.name else None

    @property
    def schema(self) -> "Securable | None":
        return Securable("SCHEMA", self.name[:2]) if self.in_schema and len(self.name) == 3 else None


ACCOUNT = Securable("ACCOUNT", ())


@dataclass(frozen=True)
class Principal:
    kind: str          # "ROLE", "DATABASE ROLE" or "USER"
    name: Name

    def __str__(self) -> str:
        return f"{'database role ' if self.kind == 'DATABASE ROLE' else ''}{'.'.join(self.name)}"

    @property
    def securable(self) -> Securable:
        return Securable(self.kind, self.name)


def role(name: str) -> Principal:
    return Principal("ROLE", (name,))


@dataclass(frozen=True, order=True)
class Moment:
    """When something happens: the phase, then the statement or line within it. Within Terraform the
    order is the dependency graph's (`AccessModel.depends`), not a number."""
    phase: int
    seq: int = 0
    address: str = ""  # the Terraform resource, in phase TERRAFORM


@dataclass(frozen=True)
class Source:
    """Where a grant, an ownership or an object comes from, as the report prints it."""
    address: str       # "snowflake_grant_privileges_to_account_role.x", "bootstrap.sql line 12", "hook a.b #1"
    origin: str        # "terraform", "bootstrap", "hook", "consumer" or "owner" (ownership by creation)

    def __str__(self) -> str:
        if self.origin == "owner":     # ownership by creation: `address` is what created the object
            return f"owner: created by {self.address}"
        return f"{self.address} (bootstrap: admin, once)" if self.origin == "bootstrap" else self.address


@dataclass
class ObjectInfo:
    securable: Securable
    owner: Principal
    created: Moment
    source: Source                  # who created it
    owner_source: Source            # what made `owner` the owner (creation, or a grant of OWNERSHIP)
    managed_access: bool = False    # schemas only


@dataclass(frozen=True)
class RoleGrant:
    child: Principal                # the role granted ...
    parent: Principal               # ... to this role (or user), which inherits the child's privileges
    source: Source
    at: Moment


@dataclass(frozen=True)
class Scope:
    """What a privilege grant covers: one object, or every object of a kind in a container that exists
    (`all`) or is created later (`future`)."""
    on: Securable | None = None
    bulk: str = ""                  # "", "all" or "future"
    kind: str = ""                  # the singular object kind, for all/future
    container: Securable | None = None


@dataclass(frozen=True)
class PrivilegeGrant:
    grantee: Principal
    privileges: frozenset[str]
    scope: Scope
    source: Source
    at: Moment
    grant_option: bool = False


@dataclass(frozen=True)
class Holding:
    """Evidence that a role holds a privilege: the grant (or ownership, or role grant) that provides it,
    and the role grants through which the checked role inherits it."""
    source: Source
    via: tuple[RoleGrant, ...]
    holder: Principal
    how: str                        # "grant", "owner" or "member"

    @property
    def addresses(self) -> tuple[str, ...]:
        return (self.source.address,) + tuple(g.source.address for g in self.via)

    def describe(self) -> str:
        text = str(self.source)
        if self.how == "owner" and self.source.origin != "owner":   # ownership granted, not by creation
            text = f"ownership by {text}"
        if self.via:
            text += " via " + ", ".join(f"{g.source} ({g.child} to {g.parent})" for g in self.via)
        elif self.how == "grant":
            text += f" (to {self.holder})"
        return text


@dataclass
class AccessModel:
    """Objects, owners and grants; `holdings` answers "does this role hold that privilege, and why"."""
    # Whether Terraform resource `a` depends on `b` (transitively); set by the stack reader.
    depends: Callable[[str, str], bool] = lambda a, b: False
    objects: dict[Securable, ObjectInfo] = field(default_factory=dict)
    role_grants: list[RoleGrant] = field(default_factory=list)
    grants: list[PrivilegeGrant] = field(default_factory=list)
    # Future OWNERSHIP grants (grant_ownership on.future): (grantee, scope, source, moment).
    future_owners: list[tuple[Principal, Scope, Source, Moment]] = field(default_factory=list)

    # --- building ------------------------------------------------------------------------------
    def before(self, a: Moment, b: Moment) -> bool:
        """Whether `a` certainly happened before `b`."""
        if a.phase != b.phase:
            return a.phase < b.phase
        if a.phase == TERRAFORM:
            return bool(a.address) and bool(b.address) and a.address != b.address and self.depends(b.address, a.address)
        return a.seq < b.seq

    def add_object(self, securable: Securable, creator: Principal, created: Moment, source: Source,
                   managed_access: bool = False) -> ObjectInfo:
        """A new object (or one replaced by CREATE OR REPLACE): its creator owns it unless a future
        OWNERSHIP grant made before it says otherwise."""
        owner, owner_source = creator, Source(str(source), "owner")
        future = self._applicable_future(securable, created,
                                         [(p, s, src, at) for p, s, src, at in self.future_owners])
        if future:
            owner, _, src, _ = future[0]
            owner_source = src
        info = ObjectInfo(securable, owner, created, source, owner_source, managed_access)
        self.objects[securable] = info
        return info

    def set_owner(self, securable: Securable, owner: Principal, source: Source) -> None:
        info = self.objects.get(securable)
        if info is not None:
            info.owner, info.owner_source = owner, source

    def add_role_grant(self, child: Principal, parent: Principal, source: Source, at: Moment) -> None:
        self.role_grants.append(RoleGrant(child, parent, source, at))

    def add_grant(self, grant: PrivilegeGrant) -> None:
        self.grants.append(grant)

    # --- reading -------------------------------------------------------------------------------
    def inherited(self, principal: Principal) -> dict[Principal, tuple[RoleGrant, ...]]:
        """Every principal whose privileges `principal` holds, with the shortest chain of role grants."""
        paths: dict[Principal, tuple[RoleGrant, ...]] = {principal: ()}
        queue = deque([principal])
        while queue:
            current = queue.popleft()
            for grant in self.role_grants:
                if grant.parent == current and grant.child not in paths:
                    paths[grant.child] = paths[current] + (grant,)
                    queue.append(grant.child)
        public = role(PUBLIC)
        if principal.kind == "ROLE" and public not in paths:
            paths[public] = ()
        return paths

    def membership(self, principal: Principal, member: Principal) -> list[Holding]:
        """Whether `principal` inherits the role `member` (e.g. SNOWFLAKE.CORTEX_USER), and through what."""
        if member == principal:
            return [Holding(Source(f"runs as {member}", "owner"), (), member, "member")]
        path = self.inherited(principal).get(member)
        if not path:
            return []
        return [Holding(path[-1].source, path[:-1], member, "member")]

    def holdings(self, principal: Principal, privilege: str, securable: Securable,
                 at: Moment | None = None) -> list[Holding]:
        """Every way `principal` holds `privilege` on `securable` (empty: it does not). `at`: the moment
        of the check; grants made later do not count (defaults to after everything)."""
        at = at or Moment(CONSUMERS, 1 << 30)
        found: list[Holding] = []
        for holder, path in self.inherited(principal).items():
            for source, how in self._direct(holder, privilege, securable, at):
                found.append(Holding(source, path, holder, how))
        return found

    def holders(self, privilege: str, securable: Securable) -> list[tuple[Principal, Holding]]:
        """Every principal that holds the privilege directly (not by inheritance): for hints."""
        principals = {g.grantee for g in self.grants} | {o.owner for o in self.objects.values()}
        return [(p, Holding(src, (), p, how)) for p in sorted(principals, key=str)
                for src, how in self._direct(p, privilege, securable, Moment(CONSUMERS, 1 << 30))]

    def _direct(self, holder: Principal, privilege: str, securable: Securable, at: Moment
                ) -> Iterable[tuple[Source, str]]:
        info = self.objects.get(securable)
        if info is not None and info.owner == holder and self.before(info.created, at):
            yield info.owner_source, "owner"
        if privilege == OWNERSHIP:
            return
        for grant in self.grants:
            if grant.grantee != holder or not (privilege in grant.privileges or ALL_PRIVILEGES in grant.privileges):
                continue
            if not self.before(grant.at, at):
                continue
            if self._covers(grant, securable, info):
                yield grant.source, "grant"

    def _covers(self, grant: PrivilegeGrant, securable: Securable, info: ObjectInfo | None) -> bool:
        scope = grant.scope
        if scope.bulk == "":
            return scope.on == securable
        if info is None or securable.kind != scope.kind or not _contains(scope.container, securable):
            return False
        if scope.bulk == "all":
            # Applies to the objects that exist when the grant runs.
            return self.before(info.created, grant.at)
        return grant in [g for _, _, g in self._applicable_future(
            securable, info.created,
            [(g.grantee, g.scope, g.source, g.at, g) for g in self.grants if g.scope.bulk == "future"],
            with_item=True)]

    def _applicable_future(self, securable: Securable, created: Moment, candidates: list, with_item=False):
        """The future grants (or future owners) that apply to an object created at `created`: those of
        its kind made before it, in its schema if any exists there, else in its database."""
        def made_before(entry) -> bool:
            return self.before(entry[3], created)
        matching = [e for e in candidates if e[1].kind == securable.kind and made_before(e)]
        in_schema = [e for e in matching if e[1].container == securable.schema and securable.schema is not None]
        chosen = in_schema or [e for e in matching if e[1].container == securable.database]
        if with_item:
            return [(e[0], e[1], e[4]) for e in chosen]
        return chosen


def _contains(container: Securable | None, securable: Securable) -> bool:
    if container is None:
        return False
    return container == securable.schema or container == securable.database
