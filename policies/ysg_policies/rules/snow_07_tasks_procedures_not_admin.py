"""CKV_SNOW_7: tasks and stored procedures are neither owned by nor run as an admin role."""
from ysg_policies.model import ADMIN_ROLES, Resource, Rule, Stack, failed, passed, unwrap

OBJECT_TYPES = frozenset({"TASK", "TASKS", "PROCEDURE", "PROCEDURES"})


def _object_types(on: dict) -> set[str]:
    types = {str(unwrap(on.get("object_type")) or "").upper()}
    for scope in ("all", "future"):
        block = unwrap(on.get(scope)) or {}
        types.add(str(unwrap(block.get("object_type_plural")) or "").upper())
    return types


def check(resource: Resource, stack: Stack):
    if resource.type == "snowflake_grant_ownership":
        role = stack.role_name(unwrap(resource.get("account_role_name")))
        on = unwrap(resource.get("on")) or {}
        if role in ADMIN_ROLES and _object_types(on) & OBJECT_TYPES:
            return failed(f"ownership of tasks/procedures is granted to {role}")
        return passed()
    owner = stack.role_name(unwrap(resource.get("owner")))
    if owner in ADMIN_ROLES:
        return failed(f"owned by {owner}")
    execute_as = str(unwrap(resource.get("execute_as")) or "").upper()
    if execute_as in ADMIN_ROLES:
        return failed(f"runs as {execute_as}")
    return passed()


RULE = Rule(
    id="CKV_SNOW_7", name="Tasks and procedures are not owned by or run as admin roles", control="CIS 1.14-1.17",
    rationale="A task or owner's-rights procedure runs with its owner's privileges; owned by an admin role it "
              "turns anyone who can alter or call it into an admin.",
    resource_types=("snowflake_grant_ownership", "snowflake_task", "snowflake_procedure_*"), check=check)
