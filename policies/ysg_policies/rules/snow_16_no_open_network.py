"""CKV_SNOW_16: no network rule or network policy admits every address (0.0.0.0/0)."""
import ipaddress

from ysg_policies.model import Resource, Rule, Stack, failed, passed


def _admits_everything(entry) -> bool:
    try:
        return ipaddress.ip_network(str(entry).strip(), strict=False).prefixlen == 0
    except ValueError:
        return str(entry).strip() in {"0.0.0.0", "::", "*"}


def check(resource: Resource, stack: Stack):
    if resource.type == "snowflake_network_rule":
        if str(resource.get("mode", "INGRESS")).upper() not in {"INGRESS", "INTERNAL_STAGE"}:
            return passed("egress rules admit no logins")
        entries = resource.get("value_list") or []
    else:
        entries = resource.get("allowed_ip_list") or []
    open_entries = [e for e in entries if _admits_everything(e)]
    if open_entries:
        return failed(f"admits every address: {', '.join(map(str, open_entries))}")
    return passed()


RULE = Rule(
    id="CKV_SNOW_16", name="No network rule or policy admits 0.0.0.0/0", control="platform guardrail",
    rationale="An allowlist containing the whole internet is no allowlist; it silently disables the "
              "network policy it belongs to.",
    resource_types=("snowflake_network_rule", "snowflake_network_policy"), check=check)
