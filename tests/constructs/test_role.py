import pytest

from ysg_constructs.role import FunctionalRole, FunctionalRoleProps

from tfdoc import resources


def test_rolls_up_to_sysadmin_by_default_and_to_a_functional_parent_by_reference(synth_stack):
    def build(stack):
        admin = FunctionalRole(stack, "admin", FunctionalRoleProps(name="ADMIN_T", comment="a"))
        FunctionalRole(stack, "analyst", FunctionalRoleProps(name="ANALYST_T", comment="b"), parent=admin)
    grants = resources(synth_stack(build), "snowflake_grant_account_role")
    parents = sorted(g["parent_role_name"] for g in grants.values())
    assert parents[1] == "SYSADMIN"
    assert parents[0].startswith("${snowflake_account_role.admin_role_")


@pytest.mark.parametrize("props,message", [
    (FunctionalRoleProps(name="X_T", comment="x", parent_role="ACCOUNTADMIN"), "never to an admin role"),
    (FunctionalRoleProps(name="X_T", comment="x", parent_role="SECURITYADMIN"), "never to an admin role"),
    (FunctionalRoleProps(name="ACCOUNTADMIN", comment="x"), "is a system role"),
])
def test_admin_roles_are_refused(synth_stack, props, message):
    with pytest.raises(ValueError, match=message):
        synth_stack(lambda s: FunctionalRole(s, "r", props))
