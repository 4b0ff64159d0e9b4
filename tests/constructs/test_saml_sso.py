import pytest

from ysg_constructs.saml_sso import OktaSso, OktaSsoProps

from tfdoc import only

CERT = "-----BEGIN CERTIFICATE-----\nMIIC\nqzCC\n-----END CERTIFICATE-----\n"


def test_okta_saml2_integration(synth_stack):
    integration = only(synth_stack(lambda s: OktaSso(s, "sso", OktaSsoProps(
        name="SSO_T", issuer="http://www.okta.com/exk1", sso_url="https://ysg.okta.com/app/x/sso/saml",
        x509_certificate_pem=CERT))), "snowflake_saml2_integration")
    assert (integration["saml2_provider"], integration["saml2_x509_cert"], integration["enabled"]) == ("OKTA", "MIICqzCC", "true")


@pytest.mark.parametrize("url,cert,message", [
    ("http://ysg.okta.com/sso", CERT, "sso_url must be https://"),
    ("https://ysg.okta.com/sso", "not a cert", "expected a PEM certificate"),
])
def test_bad_url_or_certificate_is_refused(synth_stack, url, cert, message):
    with pytest.raises(ValueError, match=message):
        synth_stack(lambda s: OktaSso(s, "sso", OktaSsoProps(name="SSO_T", issuer="i", sso_url=url,
                                                             x509_certificate_pem=cert)))
