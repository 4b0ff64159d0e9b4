"""core/ysg_core/deployable.py and `ysg validate --deployable`: example values are refused before any deploy."""
from __future__ import annotations

import hashlib
import re

import pytest
from cryptography.hazmat.primitives import serialization
from real_values import certificate_file, make_deployable, public_key_file

from ysg.cli import main
from ysg_core import deployable
from ysg_core.deployable import EXAMPLE_PUBLIC_KEYS, _file, _network, _text, environment_examples
from ysg_core.errors import ConfigError

# Every example value prod holds today, by field: the documentation ranges of the network allowlists,
# the example AWS account and API gateway, the placeholder Okta ids, the example certificate and keys.
PROD_EXAMPLES = {
    "network.waf_egress[0]", "network.kafka_rest_proxy_egress[0]", "network.corporate[0]",
    "integrations.salesforce.api_aws_role_arn", "integrations.salesforce.proxy_url",
    "integrations.salesforce.allowed_prefixes[0]", "sso.issuer", "sso.sso_url", "sso.x509_cert_path",
    "service_users.kafka_ingest.rsa_public_key_path", "service_users.salesforce_sync.rsa_public_key_path",
}


def test_prod_is_not_deployable_today_and_every_example_is_named(capsys):
    code = main(["validate", "--deployable", "prod"])
    out = capsys.readouterr().out
    assert code == 1 and "prod: NOT deployable, 11 example value(s)" in out
    assert {e.field for e in environment_examples("prod")} == PROD_EXAMPLES
    for field in PROD_EXAMPLES:
        assert f": {field}: " in out


def test_a_copy_with_real_looking_values_is_deployable(env_dir, capsys):
    make_deployable(env_dir, "prod")
    code = main(["validate", "--deployable", "prod", "--environments-dir", str(env_dir)])
    assert (code, "prod: deployable, no example values" in capsys.readouterr().out) == (0, True)


def test_each_example_names_the_file_that_set_it():
    files = {e.field: e.file for e in environment_examples("prod")}
    assert files["network.waf_egress[0]"] == "environments/_defaults.yaml"
    assert files["sso.issuer"] == "environments/prod.yaml"


def test_the_emulator_environment_is_never_deployed(capsys):
    assert main(["validate", "--deployable", "local"]) == 2
    assert "local runs on the emulator" in capsys.readouterr().err
    with pytest.raises(ConfigError):
        environment_examples("local")


@pytest.mark.parametrize("cidr", ["192.0.2.128/25", "198.51.100.0/24", "203.0.113.7/32", "203.0.0.0/16",
                                  "198.18.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/8"])
def test_ranges_no_client_connects_from_are_examples_variants_included(cidr):
    assert _network(cidr)


@pytest.mark.parametrize("cidr", ["52.10.0.0/28", "10.0.0.0/8", "81.2.69.0/26"])   # private ranges: PrivateLink
def test_routable_and_private_ranges_are_not(cidr):
    assert _network(cidr) is None


@pytest.mark.parametrize("text", [
    "arn:aws:iam::111122223333:role/x", "arn:aws:iam::012345678901:role/x", "arn:aws:iam::999999999999:role/x",
    "arn:aws:iam::444455556666:role/x", "https://login.example.com/sso", "https://idp.okta.example/app",
    "https://sso.test/saml", "https://abc123xyz9.execute-api.eu-west-1.amazonaws.com/",
    "http://www.okta.com/exk1000000000000", "projects/<your-project>/subscriptions/s"])
def test_example_accounts_reserved_hosts_and_placeholders_are_examples(text):
    assert _text(text)


@pytest.mark.parametrize("text", ["arn:aws:iam::483921076514:role/x", "https://yousoundgreat.okta.com/app/sso",
                                  "http://www.okta.com/exk9f3k2l1Qz8Yb7d5d7"])
def test_real_looking_values_are_not(text):
    assert _text(text) is None


def test_self_signed_certificates_of_example_domains_are_examples(tmp_path):
    assert _file(certificate_file(tmp_path / "example.pem", "idp.example.org"), tmp_path)
    assert _file(certificate_file(tmp_path / "real.pem"), tmp_path) is None


def test_a_shipped_example_key_is_known_by_its_fingerprint(tmp_path, monkeypatch):
    key = public_key_file(tmp_path / "fresh.pub")
    assert _file(key, tmp_path) is None
    der = serialization.load_pem_public_key(key.read_bytes()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    monkeypatch.setattr(deployable, "EXAMPLE_PUBLIC_KEYS", frozenset({hashlib.sha256(der).hexdigest()}))
    assert "example public key" in _file(key, tmp_path)
    assert all(re.fullmatch(r"[0-9a-f]{64}", f) for f in EXAMPLE_PUBLIC_KEYS) and len(EXAMPLE_PUBLIC_KEYS) == 8
