"""A functional account role that rolls up to its parent (SYSADMIN or another functional role)."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_core.naming import identifier

# Granting these to a custom role hands it the keys to the account (CIS Snowflake 1.13).
FORBIDDEN_PARENTS = frozenset({"ACCOUNTADMIN", "SECURITYADMIN", "ORGADMIN"})
# Account-level privileges a functional role may hold. Anything else (MANAGE GRANTS, CREATE ROLE,
# CREATE USER, ...) is an administrator's, and refused.
ACCOUNT_PRIVILEGES = frozenset({"APPLY MASKING POLICY", "EXECUTE TASK", "EXECUTE MANAGED TASK", "EXECUTE ALERT"})


@dataclass(frozen=True)
class FunctionalRoleProps:
    name: str
    comment: str
    # Defaults to SYSADMIN, so every object the role owns stays manageable by the system admins.
    parent_role: str = "SYSADMIN"


class FunctionalRole(Construct):
    def __init__(self, scope: Construct, id: str, props: FunctionalRoleProps,
                 parent: "FunctionalRole | None" = None):
        """`parent`, when given, is the functional role this one rolls up to (overrides parent_role)."""
        super().__init__(scope, id)
        identifier(props.name, what="role name")
        identifier(props.parent_role, what="parent role")
        if props.name in FORBIDDEN_PARENTS:
            raise ValueError(f"role name {props.name!r} is a system role; functional roles need their own names")
        if props.parent_role in FORBIDDEN_PARENTS:
            raise ValueError(f"role {props.name} would roll up to {props.parent_role}; functional roles roll up "
                             "to SYSADMIN or another functional role, never to an admin role")
        self._name = props.name
        self._key = id
        self._role = b.AccountRole(self, "role", name=props.name, comment=props.comment)
        # Read once: every read of a resource attribute is a round trip to the jsii runtime.
        self._reference = self._role.name
        self._parent_name = parent.role_name if parent else props.parent_role
        b.GrantAccountRole(self, "parent", role_name=self._reference,
                           parent_role_name=parent.role_reference if parent else props.parent_role)

    @property
    def role_name(self) -> str:
        return self._name

    @property
    def parent_role_name(self) -> str:
        return self._parent_name

    @property
    def role_resource(self) -> b.AccountRole:
        """The role's resource, for what must wait for it without referencing it (snowflake_execute)."""
        return self._role

    @property
    def role_reference(self) -> str:
        """The role's name as a Terraform reference, so grants depend on the role existing."""
        return self._reference

    @property
    def key(self) -> str:
        """This construct's id, for naming the grants other constructs make to it."""
        return self._key

    def grant_on_account(self, *privileges: str) -> None:
        refused = sorted(set(privileges) - ACCOUNT_PRIVILEGES)
        if refused or not privileges:
            raise ValueError(f"role {self._name}: account privileges {refused or '(none)'} are not for functional "
                             f"roles; allowed: {sorted(ACCOUNT_PRIVILEGES)}")
        b.GrantPrivilegesToAccountRole(self, "on-account", account_role_name=self._reference,
                                       privileges=sorted(privileges), on_account=True)

    def grant_role(self, id: str, role_name: str) -> None:
        """Make this role inherit `role_name`, a role the deploy role owns but Terraform does not create
        (a bridge role of bootstrap/): the owner of a role may grant it (GRANT ROLE, "OWNERSHIP | Role",
        https://docs.snowflake.com/en/sql-reference/sql/grant-role)."""
        b.GrantAccountRole(self, f"inherits-{id}", role_name=identifier(role_name, what="granted role"),
                           parent_role_name=self._reference)

    def grant_to_user(self, user_id: str, user_name_reference: str) -> None:
        b.GrantAccountRole(self, f"user-{user_id}", role_name=self._reference, user_name=user_name_reference)
