"""Okta SAML2 single sign-on for people (service users authenticate with keys instead)."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs._validate import pem_body
from ysg_core.naming import identifier


def certificate_body(pem: str) -> str:
    return pem_body(pem, "CERTIFICATE")


@dataclass(frozen=True)
class OktaSsoProps:
    name: str
    issuer: str
    sso_url: str
    x509_certificate_pem: str


class OktaSso(Construct):
    def __init__(self, scope: Construct, id: str, props: OktaSsoProps):
        super().__init__(scope, id)
        identifier(props.name, what="security integration name")
        if not props.sso_url.startswith("https://"):
            raise ValueError(f"SAML integration {props.name}: sso_url must be https://, got {props.sso_url!r}")
        self._integration = b.Saml2Integration(
            self, "integration", name=props.name, enabled="true", saml2_provider="OKTA",
            saml2_issuer=props.issuer, saml2_sso_url=props.sso_url,
            saml2_x509_cert=certificate_body(props.x509_certificate_pem),
            saml2_enable_sp_initiated="true", saml2_sp_initiated_login_page_label="YouSoundGreat Okta",
            saml2_sign_request="true", saml2_force_authn="false",
            comment="Okta SSO for billing analysts and finance")
        self._name = props.name

    @property
    def integration_name(self) -> str:
        return self._name
