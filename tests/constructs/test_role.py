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


def test_account_privileges_only_from_the_allowlist(synth_stack):
    def build(stack):
        FunctionalRole(stack, "p", FunctionalRoleProps(name="P_T", comment="p")).grant_on_account("APPLY MASKING POLICY")
    grant = resources(synth_stack(build), "snowflake_grant_privileges_to_account_role")
    assert [(g["privileges"], g["on_account"]) for g in grant.values()] == [(["APPLY MASKING POLICY"], True)]
    with pytest.raises(ValueError, match=r"\['MANAGE GRANTS'\] are not for functional roles"):
        synth_stack(lambda s: FunctionalRole(s, "q", FunctionalRoleProps(name="Q_T", comment="q"))
                    .grant_on_account("MANAGE GRANTS"))
