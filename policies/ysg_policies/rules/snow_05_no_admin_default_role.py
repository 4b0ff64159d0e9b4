"""CKV_SNOW_5: no user has ACCOUNTADMIN or SECURITYADMIN as its default role."""
from ysg_policies.model import ADMIN_ROLES, Resource, Rule, Stack, failed, passed, unwrap


def check(user: Resource, stack: Stack):
    role = unwrap(user.get("default_role"))
    if stack.role_name(role) in ADMIN_ROLES:
        target = stack.resolve(role)  # the detail names the role as written
        return failed(f"default_role is {target.get('name') if target else role}")
    return passed()


RULE = Rule(
    id="CKV_SNOW_5", name="No user defaults to ACCOUNTADMIN or SECURITYADMIN", control="CIS 1.12",
    rationale="A default admin role makes every session of that user an admin session, including scripts "
              "and tools that never needed it.",
    resource_types=("snowflake_user", "snowflake_service_user", "snowflake_legacy_service_user"), check=check)
