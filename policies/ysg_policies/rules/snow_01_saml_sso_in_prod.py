"""CKV_SNOW_1: production signs people in through a SAML2 identity provider."""
from ysg_policies.model import NOT_APPLICABLE, Resource, Rule, Stack, as_bool, failed, passed


def check(provider: Resource, stack: Stack):
    if not stack.is_production:
        return NOT_APPLICABLE
    enabled = [r for r in stack.of_type("snowflake_saml2_integration") if as_bool(r.get("enabled")) is not False]
    if not enabled:
        return failed("no enabled snowflake_saml2_integration in the production stack")
    return passed(", ".join(r.get("name", r.name) for r in enabled))


RULE = Rule(
    id="CKV_SNOW_1", name="Production has an enabled SAML2 SSO integration", control="CIS 1.1",
    rationale="People authenticate through the corporate IdP (MFA, joiner/leaver process) instead of "
              "Snowflake passwords.",
    resource_types=("provider.snowflake",), check=check)
