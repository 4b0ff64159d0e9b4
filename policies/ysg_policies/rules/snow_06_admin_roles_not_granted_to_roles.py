"""CKV_SNOW_6: ACCOUNTADMIN and SECURITYADMIN are never granted to a custom role."""
from ysg_policies.model import ADMIN_ROLES, Resource, Rule, Stack, failed, passed, unwrap


def check(grant: Resource, stack: Stack):
    granted = stack.role_name(unwrap(grant.get("role_name")))
    parent = unwrap(grant.get("parent_role_name"))
    if granted in ADMIN_ROLES and parent:
        return failed(f"{granted} is granted to role {stack.role_name(parent) or parent}")
    return passed()


RULE = Rule(
    id="CKV_SNOW_6", name="ACCOUNTADMIN and SECURITYADMIN are not granted to custom roles", control="CIS 1.13",
    rationale="Granting an admin role to a custom role hands its full power to everyone holding that role, "
              "outside the small, audited set of admin users.",
    resource_types=("snowflake_grant_account_role",), check=check)
