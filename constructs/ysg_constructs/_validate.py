"""Checks shared by constructs that open the account to the outside."""
from __future__ import annotations

from ysg_core.pem import PemError, PrivateKeyFound, single_block

WILDCARD_PREFIXES = frozenset({"*", "", "https://", "http://", "gcs://", "s3://", "azure://"})


def check_prefixes(owner: str, prefixes: tuple[str, ...], scheme: str = "https://",
                   target: tuple[str, str] | None = None) -> None:
    """Refuse an allowlist that is empty or admits every prefix; with `target` (what, url), also a
    target outside it."""
    if not prefixes:
        raise ValueError(f"{owner}: at least one allowed prefix is required")
    for prefix in prefixes:
        if prefix.strip() in WILDCARD_PREFIXES or "*" in prefix or not prefix.startswith(scheme):
            raise ValueError(f"{owner}: allowed prefix {prefix!r} is not a narrow {scheme} prefix")
    if target and not any(target[1].startswith(prefix) for prefix in prefixes):
        raise ValueError(f"{owner}: {target[0]} {target[1]} is outside the allowed prefixes {list(prefixes)}")


def pem_body(pem: str, label: str) -> str:
    """The base64 body of the one PEM block of the given label that `pem` holds (Snowflake wants it without
    the armour); anything else in the text (a private key, a second block) is refused (core/ysg_core/pem.py)."""
    try:
        return single_block(pem, label).body
    except PrivateKeyFound:
        raise ValueError("a private key was given where a public key belongs; private keys never enter "
                         "configuration or synthesized output") from None
    except PemError as exc:
        raise ValueError(f"expected a PEM {label.lower()} and nothing else: the text {exc}") from None
