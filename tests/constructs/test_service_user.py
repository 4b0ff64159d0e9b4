import pytest

from ysg_constructs.network_policy import BillingNetworkPolicy, NetworkPolicyProps
from ysg_constructs.role import FunctionalRole, FunctionalRoleProps
from ysg_constructs.service_user import BillingServiceUser, ServiceUserProps, public_key_body

from tfdoc import only, resources

PEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\nhkiG9w0BAQEF\n-----END PUBLIC KEY-----\n"


def test_service_user_with_key_role_and_network_policy(synth_stack, raw_schema):
    def build(stack):
        role = FunctionalRole(stack, "ingest", FunctionalRoleProps(name="INGEST_T", comment="i"))
        policy = BillingNetworkPolicy(stack, "np", raw_schema(stack), NetworkPolicyProps(
            name="NP_T", allowlists={"A_T": ("198.51.100.0/29",)}))
        BillingServiceUser(stack, "kafka", role, "WH_T", policy, ServiceUserProps(
            name="KAFKA_T", rsa_public_key_pem=PEM, comment="k"))
    doc = synth_stack(build)
    (policy_id,) = resources(doc, "snowflake_network_policy")
    user = only(doc, "snowflake_service_user")
    assert (user["rsa_public_key"], user["network_policy"], user["default_warehouse"]) == (
        "MIIBIjANBgkqhkiG9w0BAQEF", f"${{snowflake_network_policy.{policy_id}.name}}", "WH_T")
    assert "password" not in user
    user_grants = [g for g in resources(doc, "snowflake_grant_account_role").values() if "user_name" in g]
    assert len(user_grants) == 1 and user_grants[0]["role_name"].startswith("${snowflake_account_role.ingest_role_")


@pytest.mark.parametrize("pem,message", [
    ("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----", "a private key was given"),
    ("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----", "a private key was given"),
    ("ssh-rsa AAAAB3Nza", "expected a PEM public key"),
])
def test_only_pem_public_keys_are_accepted(pem, message):
    with pytest.raises(ValueError, match=message):
        public_key_body(pem)
