"""CKV_SNOW_16: no network rule or network policy admits too much: the union of its IP ranges is judged
against the limit the environment model applies too (ysg_core.network_allowlist, README "Environments")."""
from ysg_core.network_allowlist import parse, too_open
from ysg_policies.model import Resource, Rule, Stack, failed, passed


def _entries(resource: Resource, stack: Stack) -> list:
    if resource.type == "snowflake_network_rule":
        return list(resource.get("value_list") or [])
    entries = list(resource.get("allowed_ip_list") or [])
    # A policy admits what every rule it allows admits: judge them together, not one by one.
    for reference in resource.get("allowed_network_rule_list") or []:
        rule = stack.resolve(reference)
        if rule is not None and _is_ip_allowlist(rule):
            entries += list(rule.get("value_list") or [])
    return entries


def _is_ip_allowlist(resource: Resource) -> bool:
    return (str(resource.get("mode", "INGRESS")).upper() in {"INGRESS", "INTERNAL_STAGE"}
            and str(resource.get("type", "IPV4")).upper() == "IPV4")


def check(resource: Resource, stack: Stack):
    if resource.type == "snowflake_network_rule" and not _is_ip_allowlist(resource):
        return passed("egress rules admit no logins; other types list no IP ranges")
    networks, unreadable = [], []
    for entry in _entries(resource, stack):
        try:
            networks.append(parse(entry))
        except ValueError:
            unreadable.append(str(entry))
    if unreadable:
        return failed(f"not an IP address or range, so what it admits cannot be judged: {', '.join(unreadable)}")
    problem = too_open(networks)
    whose = "the policy's rules and list" if resource.type == "snowflake_network_policy" else "the rule's list"
    return failed(f"the union of {whose} {problem}") if problem else passed()


RULE = Rule(
    id="CKV_SNOW_16", name="No network rule or policy admits more than a /16 of addresses together",
    control="platform guardrail",
    rationale="An allowlist that admits a provider's or the internet's ranges (0.0.0.0/0, or 0.0.0.0/1 with "
              "128.0.0.0/1) is no allowlist; it silently disables the network policy it belongs to.",
    resource_types=("snowflake_network_rule", "snowflake_network_policy"), check=check)
