"""CKV_SNOW_3: service users are of type SERVICE, hold an RSA public key and no password."""
from ysg_policies.model import Resource, Rule, Stack, failed, passed


def check(user: Resource, stack: Stack):
    if user.type == "snowflake_legacy_service_user":
        return failed("LEGACY_SERVICE users may log in with a password; use snowflake_service_user")
    if user.get("password"):
        return failed("a password is set on a service user")
    if not (user.get("rsa_public_key") or user.get("rsa_public_key_2") or user.get("rsa_public_key2")):
        return failed("no rsa_public_key: the user cannot authenticate with a key pair")
    return passed()


RULE = Rule(
    id="CKV_SNOW_3", name="Service users are SERVICE type with an RSA key and no password", control="CIS 1.6",
    rationale="Machine identities should not hold passwords, which leak and cannot carry MFA; key pairs "
              "rotate and the private half never leaves the client.",
    resource_types=("snowflake_service_user", "snowflake_legacy_service_user"), check=check)
