"""Example values that must not reach an account: documentation network ranges, example cloud accounts
and placeholders, the example keys and certificates this repository ships.

Synthesis and the tests work with them offline; deploying them would lock everyone out (a network
policy of documentation ranges), point integrations at accounts nobody owns, and refuse every login of
the service users (keys whose private halves were discarded). `ysg validate --deployable`, `ysg deploy`,
the plan's prod section and a precondition in each stack (Terraform refuses to plan it) refuse them.
Each rule is a kind of value, so it holds for variants, not only for the values shipped today.
"""
from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ysg_core.config import EnvironmentConfig, field_source, load_environment
from ysg_core.errors import ConfigError
from ysg_core.paths import ENVIRONMENTS_DIR, REPO_ROOT

# RFC 5737, section 3: "The blocks 192.0.2.0/24 (TEST-NET-1), 198.51.100.0/24 (TEST-NET-2), and
# 203.0.113.0/24 (TEST-NET-3) are provided for use in documentation." RFC 2544 (benchmarking) and the
# special-purpose blocks of RFC 6890 that no client connects from are refused with them.
DOCUMENTATION_NETWORKS = tuple(ipaddress.IPv4Network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
BENCHMARKING_NETWORK = ipaddress.IPv4Network("198.18.0.0/15")
# RFC 2606 and RFC 6761: names reserved for examples and tests, which no registry will ever delegate.
RESERVED_TLDS = ("example", "test", "invalid", "localhost")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
# AWS documentation writes example account IDs as one digit repeated, a run of consecutive digits
# ("A 12-digit number, such as 012345678901", https://docs.aws.amazon.com/accounts/latest/reference/
# manage-acct-identifiers.html) or repeated quadruples (111122223333, 444455556666 in the IAM guide).
_AWS_ACCOUNT = re.compile(r"(?<!\d)(\d{12})(?!\d)")
# Placeholder spellings in identifiers of outside systems (API ids, issuers, subscriptions).
_PLACEHOLDER = re.compile(r"abc123|0{6,}|x{4,}|changeme|placeholder|your[-_]|<[^>]+>", re.IGNORECASE)

# The public keys this repository ships for every environment: their private halves were discarded
# when they were made (environments/keys/README.md), so they can authenticate nobody. SHA-256 of the
# DER SubjectPublicKeyInfo, as `openssl pkey -pubin -outform DER | sha256sum` prints it.
EXAMPLE_PUBLIC_KEYS = frozenset({
    "91d64b4553f9c2e8c369bad17734da52ac616976af5ebf3db1ee439da992e488",   # dev/kafka_ingest.pub
    "c77fd9370de10540ca51b73bde06313b55d434ba5351c47b17f274019d4624ff",   # dev/salesforce_sync.pub
    "3ea0291e7762a2e1f2d87ac9d9304021a05d22d544c01ef0ad07e3a6d00357fe",   # local/kafka_ingest.pub
    "cb1b5f29122261691b9f038008f5932234155831aff3d16e8f6cb91199e8c542",   # local/salesforce_sync.pub
    "50117602faf6fc518ad73cd9cfc73ac372604990f1e1814bb2c72aaae81dda32",   # prod/kafka_ingest.pub
    "1d77254e29b934035108ecc60549272d6a39862e0339c07e81dfc5723cea7e6e",   # prod/salesforce_sync.pub
    "7aa92cb00d7850bf90a2b34dd8279e7029504dc0bba8dc53b0c4b1ce6086ffd6",   # staging/kafka_ingest.pub
    "e3fc7fcf6eeaf2f88159e7df5f3a1abf762020e2abbc3abc06d11f8adcc944cd",   # staging/salesforce_sync.pub
})


# The construct id of the guard a stack carries while it holds example values (its Terraform resource
# is `<stack>/deployability/guard`); the plan reads the values back from it.
GUARD_CONSTRUCT_ID = "deployability"
_GUARD_LOCAL = re.compile(r"local\.([A-Za-z0-9_-]+)")


def stack_examples(document: dict | None) -> list[str]:
    """The example values a synthesized stack's guard refuses ([] when it has none)."""
    for body in ((document or {}).get("resource") or {}).get("terraform_data", {}).values():
        path = body.get("//", {}).get("metadata", {}).get("path", "")
        if path.endswith(f"/{GUARD_CONSTRUCT_ID}/guard"):
            condition = body["lifecycle"]["precondition"][0]["condition"]
            return list(document["locals"][_GUARD_LOCAL.search(condition)[1]])
    return []


@dataclass(frozen=True)
class ExampleValue:
    file: str       # the environment file (or _defaults.yaml) that set the field
    field: str      # its YAML path, e.g. network.waf_egress[0]
    value: str
    why: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.value} is {self.why}"


def environment_examples(environment: str, environments_dir: Path = ENVIRONMENTS_DIR,
                         repo_root: Path = REPO_ROOT) -> list[ExampleValue]:
    """The example values of one environment file; a ConfigError when it is not a Snowflake environment
    (an emulator environment is never deployed, by design: see ysg_stacks.billing_stack)."""
    path = Path(environments_dir) / f"{environment}.yaml"
    config = load_environment(path)
    source_of = field_source(path)
    if config.target != "snowflake":
        raise ConfigError([f"{source_of(('target',))}: target: {environment} runs on the {config.target}; "
                           "it is never deployed, so it has nothing to check"])
    return example_values(config, source_of, repo_root)


def example_values(config: EnvironmentConfig, source_of: Callable[[tuple], str],
                   repo_root: Path = REPO_ROOT) -> list[ExampleValue]:
    """Every example value of an environment, in field order; `source_of` names the file of a field."""
    found = []
    for loc, value in _fields(config):
        why = _judge(loc, value, repo_root)
        if why:
            found.append(ExampleValue(source_of(loc), _path(loc), str(value), why))
    return found


def _fields(config: EnvironmentConfig) -> Iterator[tuple[tuple, object]]:
    """(location, value) of every field that names something outside the account, or a file."""
    data = config.model_dump(mode="python")
    for section in ("network", "integrations", "sso", "service_users"):
        yield from _walk((section,), data.get(section))


def _walk(loc: tuple, value) -> Iterator[tuple[tuple, object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(loc + (key,), item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(loc + (index,), item)
    elif value is not None and not isinstance(value, bool):
        yield loc, value


def _path(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))


def _judge(loc: tuple, value, repo_root: Path) -> str | None:
    if loc[0] == "network":
        return _network(str(value))
    if isinstance(value, Path):
        return _file(value, repo_root)
    return _text(str(value))


def _network(cidr: str) -> str | None:
    network = ipaddress.IPv4Network(cidr, strict=False)
    if any(network.overlaps(doc) for doc in DOCUMENTATION_NETWORKS):
        return "a documentation range (RFC 5737): no client connects from it"
    if network.overlaps(BENCHMARKING_NETWORK):
        return "the benchmarking range (RFC 2544): no client connects from it"
    for attribute, what in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                            ("is_multicast", "multicast"), ("is_reserved", "reserved"),
                            ("is_unspecified", "unspecified")):
        if getattr(network, attribute):
            return f"a {what} range (RFC 6890): no client connects from it"
    return None


def _text(text: str) -> str | None:
    for match in _AWS_ACCOUNT.finditer(text):
        if _example_account(match[1]):
            return f"an example AWS account ({match[1]}), the kind AWS documentation uses"
    host = urlsplit(text).hostname if "://" in text else None
    if host and _reserved_host(host):
        return f"a host under a name reserved for examples ({host}; RFC 2606, RFC 6761)"
    placeholder = _PLACEHOLDER.search(text)
    if placeholder:
        return f"a placeholder ({placeholder[0]!r})"
    return None


def _example_account(digits: str) -> bool:
    if len(set(digits)) == 1:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:])}
    if steps in ({1}, {9}):
        return True   # 012345678901, 123456789012, 987654321098
    quads = [digits[i:i + 4] for i in range(0, 12, 4)]
    return all(len(set(q)) == 1 for q in quads)   # 111122223333, 444455556666


def _reserved_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host.rsplit(".", 1)[-1] in RESERVED_TLDS or any(
        host == d or host.endswith("." + d) for d in RESERVED_DOMAINS)


def _file(path: Path, repo_root: Path) -> str | None:
    data = (repo_root / path).read_bytes()   # the configuration model checked that it exists and parses
    if b"CERTIFICATE" in data:
        certificate = x509.load_pem_x509_certificate(data)
        names = [a.value for a in certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)]
        reserved = [n for n in names if isinstance(n, str) and _reserved_host(n)]
        if reserved and certificate.subject == certificate.issuer:
            return f"a self-signed example certificate (CN {reserved[0]}): replace it with the IdP's"
        return None
    key = serialization.load_pem_public_key(data)
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if hashlib.sha256(der).hexdigest() in EXAMPLE_PUBLIC_KEYS:
        return "an example public key shipped with this repository (its private half was discarded)"
    return None
