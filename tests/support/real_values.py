"""Put real-looking values in a copy of the environments: fresh keys and a certificate of the test's
own, routable ranges, an account and ids of no documentation's. What a platform team does before its
first deploy (README, "First deploy"), so a test can show the deployability check lets them through."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ACCOUNT = "483921076514"
GATEWAY = "k7q2m9x4pd"


def public_key_file(path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)   # the private half is dropped
    path.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo))
    return path


def certificate_file(path: Path, common_name: str = "yousoundgreat.okta.com") -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, common_name)])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(7).not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
                   .sign(key, hashes.SHA256()))
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


def make_deployable(env_dir: Path, environment: str) -> None:
    """Replace every example value `environment` holds (in its file; defaults are overridden there)."""
    path = env_dir / f"{environment}.yaml"
    data = yaml.safe_load(path.read_text()) or {}
    files = env_dir / "real"
    files.mkdir(exist_ok=True)
    data.setdefault("network", {}).update(
        waf_egress=["52.10.0.0/28"], kafka_rest_proxy_egress=["34.211.4.16/29"], corporate=["81.2.69.0/26"])
    data.setdefault("integrations", {})["salesforce"] = {
        "api_aws_role_arn": f"arn:aws:iam::{ACCOUNT}:role/ysg-salesforce-sync",
        "proxy_url": f"https://{GATEWAY}.execute-api.us-west-2.amazonaws.com/prod/salesforce-sync",
        "allowed_prefixes": [f"https://{GATEWAY}.execute-api.us-west-2.amazonaws.com/prod/"]}
    if data.get("sso", {}).get("enabled"):
        data["sso"].update(issuer="http://www.okta.com/exk9f3k2l1Qz8Yb7d5d7",
                           sso_url="https://yousoundgreat.okta.com/app/snowflake/exk9f3k2l1Qz8Yb7d5d7/sso/saml",
                           x509_cert_path=str(certificate_file(files / f"okta-{environment}.pem")))
    data["service_users"] = {user: {"rsa_public_key_path": str(public_key_file(files / f"{environment}-{user}.pub"))}
                             for user in ("kafka_ingest", "salesforce_sync")}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
