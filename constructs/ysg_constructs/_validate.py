"""Checks shared by constructs that open the account to the outside."""
from __future__ import annotations

WILDCARD_PREFIXES = frozenset({"*", "", "https://", "http://", "gcs://", "s3://", "azure://"})


def check_prefixes(owner: str, prefixes: tuple[str, ...], scheme: str = "https://") -> None:
    """Refuse an allowlist that is empty or admits every prefix."""
    if not prefixes:
        raise ValueError(f"{owner}: at least one allowed prefix is required")
    for prefix in prefixes:
        if prefix.strip() in WILDCARD_PREFIXES or "*" in prefix or not prefix.startswith(scheme):
            raise ValueError(f"{owner}: allowed prefix {prefix!r} is not a narrow {scheme} prefix")
