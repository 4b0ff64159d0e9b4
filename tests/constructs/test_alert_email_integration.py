import pytest

from ysg_constructs.alert_email_integration import AlertEmailIntegration, AlertEmailIntegrationProps
from ysg_constructs.role import FunctionalRole, FunctionalRoleProps

from tfdoc import only


def test_an_enabled_integration_limited_to_the_recipients_and_usage_for_the_alert_owner(synth_stack):
    def build(stack):
        owner = FunctionalRole(stack, "pipeline", FunctionalRoleProps(name="PIPE_T", comment="alerts"))
        AlertEmailIntegration(stack, "mail", AlertEmailIntegrationProps(
            name="ALERTS_T", allowed_recipients=("a@example.com", "b@example.org"))).grant_usage(owner)
    doc = synth_stack(build)
    integration = only(doc, "snowflake_email_notification_integration")
    grant = only(doc, "snowflake_grant_privileges_to_account_role")
    assert ((integration["name"], integration["enabled"], integration["allowed_recipients"]),
            (grant["privileges"], grant["on_account_object"]["object_type"])) == (
        ("ALERTS_T", True, ["a@example.com", "b@example.org"]), (["USAGE"], "INTEGRATION"))


@pytest.mark.parametrize("recipients,message", [
    ((), "allowed_recipients is empty"),
    (("not-an-address",), "'not-an-address' is not an e-mail address"),
    (("a@b.com', 'c@d.com",), "is not an e-mail address"),
])
def test_invalid_recipients_are_refused(synth_stack, recipients, message):
    with pytest.raises(ValueError, match=message):
        synth_stack(lambda s: AlertEmailIntegration(s, "mail", AlertEmailIntegrationProps(
            name="ALERTS_T", allowed_recipients=recipients)))
