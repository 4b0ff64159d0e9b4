"""How much an ingress allowlist admits, judged on the union of its ranges: the one rule that both the
environment model (core/ysg_core/config.py) and the policy pack (CKV_SNOW_16) apply. Standard library only, since
checkov's own environment imports it too.

The limit (README, "Environments"): all ranges of one network policy together admit at most a /16's worth
of IPv4 addresses (65,536) and a /48's worth of IPv6 addresses. The allowlists name the egress addresses
of systems the company runs (its WAF, its Kafka REST proxy, its offices and VPN), which fit in a few
/24s; a union larger than a /16 takes in addresses the company does not control (a cloud region's or a
CDN's ranges, from which any of its customers can connect). A /48 is what one site is given in IPv6.
Judging the union, not each range, is what catches `0.0.0.0/1` + `128.0.0.0/1`, or 64 /8s.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable

IPV4_LIMIT_PREFIX = 16
IPV6_LIMIT_PREFIX = 48
MAX_ADDRESSES = {4: 2 ** (32 - IPV4_LIMIT_PREFIX), 6: 2 ** (128 - IPV6_LIMIT_PREFIX)}
_LIMIT_NAME = {4: f"/{IPV4_LIMIT_PREFIX}", 6: f"/{IPV6_LIMIT_PREFIX}"}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse(entry: str) -> Network:
    """An allowlist entry (`203.0.113.0/28`, or one address) as a network; ValueError if it is neither.
    Host bits are tolerated here (Snowflake masks them); the environment model refuses them itself."""
    return ipaddress.ip_network(str(entry).strip(), strict=False)


def union(networks: Iterable[Network]) -> dict[int, list[Network]]:
    """The admitted addresses per IP version, as the fewest networks that cover exactly the same set."""
    by_version: dict[int, list[Network]] = {4: [], 6: []}
    for network in networks:
        by_version[network.version].append(network)
    return {version: list(ipaddress.collapse_addresses(nets)) for version, nets in by_version.items()}


def admitted(networks: Iterable[Network]) -> dict[int, int]:
    """How many addresses of each IP version the networks admit together (overlaps counted once)."""
    return {version: sum(n.num_addresses for n in nets) for version, nets in union(networks).items()}


def too_open(networks: Iterable[Network]) -> str | None:
    """None when the union is within the limit; else what it admits and the limit, as a predicate
    ("admits ..."), for the caller to put its subject before."""
    counts = admitted(networks)
    for version in (4, 6):
        count = counts[version]
        if count > MAX_ADDRESSES[version]:
            how_many = (f"every address ({count:,} IPv{version} addresses)" if count == 2 ** (32 if version == 4 else 128)
                        else f"{count:,} IPv{version} addresses")
            return (f"admits {how_many}, more than a {_LIMIT_NAME[version]} ({MAX_ADDRESSES[version]:,}): list the "
                    "egress ranges of the systems that connect, not a provider's or the internet's")
    return None
