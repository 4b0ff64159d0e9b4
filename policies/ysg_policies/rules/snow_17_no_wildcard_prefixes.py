"""CKV_SNOW_17: no integration or stage admits every prefix (a bare scheme, `*`, or a wildcard)."""
from ysg_policies.model import NOT_APPLICABLE, Resource, Rule, Stack, failed, passed, unwrap

BARE = frozenset({"", "*", "https://", "http://", "s3://", "s3gov://", "gcs://", "azure://"})
LISTS = {
    "snowflake_api_integration": ("api_allowed_prefixes",),
    "snowflake_storage_integration": ("storage_allowed_locations",),
    "snowflake_external_access_integration": ("allowed_network_rules",),
}


def _too_wide(prefix) -> bool:
    text = str(prefix).strip()
    if text in BARE or "*" in text:
        return True
    # `https://github.com/` admits all of GitHub: web prefixes must name a path under the host.
    if text.lower().startswith(("https://", "http://")):
        return not text.split("/", 3)[3:] or not text.split("/", 3)[3].strip("/")
    return False


def check(resource: Resource, stack: Stack):
    if resource.type == "snowflake_stage":
        url = unwrap(resource.get("url"))
        if not url:
            return NOT_APPLICABLE
        prefixes = [url]
    else:
        prefixes = [p for key in LISTS.get(resource.type, ()) for p in (resource.get(key) or [])]
        if resource.type == "snowflake_external_access_integration":
            return NOT_APPLICABLE if not prefixes else passed()  # rules are checked as network rules
    if not prefixes:
        return failed("no allowed prefix at all")
    wide = [p for p in prefixes if _too_wide(p)]
    return failed(f"admits every prefix: {', '.join(map(str, wide))}") if wide else passed()


RULE = Rule(
    id="CKV_SNOW_17", name="Integrations and stages do not allow every prefix", control="platform guardrail",
    rationale="An integration is a standing permission to reach outside the account; its allowed prefixes "
              "must name the exact endpoints or buckets, or it becomes an exfiltration channel.",
    resource_types=("snowflake_api_integration", "snowflake_storage_integration", "snowflake_stage"), check=check)
