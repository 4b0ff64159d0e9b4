"""CKV_SNOW_12: the section-4 account parameters, wherever the stack sets them, hold the CIS values."""
import re

from ysg_policies.model import NOT_APPLICABLE, Resource, Rule, Stack, failed, passed, unwrap

# Parameter -> the value CIS Snowflake v1.0.0 section 4 asks for.
REQUIRED = {
    "PERIODIC_DATA_REKEYING": "TRUE",                           # 4.1
    "CLIENT_ENCRYPTION_KEY_SIZE": "256",                        # 4.2
    "REQUIRE_STORAGE_INTEGRATION_FOR_STAGE_CREATION": "TRUE",   # 4.5
    "REQUIRE_STORAGE_INTEGRATION_FOR_STAGE_OPERATION": "TRUE",  # 4.6
    "PREVENT_UNLOAD_TO_INLINE_URL": "TRUE",                     # 4.8
}
SET = re.compile(r"ALTER\s+ACCOUNT\s+SET\s+(.*)$", re.I | re.S)
ASSIGNMENT = re.compile(r"([A-Z_]+)\s*=\s*'?([A-Za-z0-9_]+)'?", re.I)


def _settings(resource: Resource) -> dict[str, str]:
    if resource.type == "snowflake_account_parameter":
        return {str(resource.get("key", "")).upper(): str(unwrap(resource.get("value"))).upper()}
    if resource.type == "snowflake_execute":
        match = SET.search(str(resource.get("execute", "")))
        return {k.upper(): v.upper() for k, v in ASSIGNMENT.findall(match.group(1))} if match else {}
    return {key.upper(): str(unwrap(value)).upper() for key, value in resource.conf.items()
            if key.upper() in REQUIRED}


def check(resource: Resource, stack: Stack):
    relevant = {k: v for k, v in _settings(resource).items() if k in REQUIRED}
    if not relevant:
        return NOT_APPLICABLE
    wrong = [f"{k}={v} (CIS wants {REQUIRED[k]})" for k, v in sorted(relevant.items()) if v != REQUIRED[k]]
    return failed(", ".join(wrong)) if wrong else passed(", ".join(sorted(relevant)))


RULE = Rule(
    id="CKV_SNOW_12", name="Section-4 account parameters hold their CIS values", control="CIS 4.1, 4.2, 4.5, 4.6, 4.8",
    rationale="Re-keying, 256-bit client keys, integration-only stages and no unloads to inline URLs close "
              "the data-exfiltration paths section 4 describes; a stack that sets them must set them right.",
    resource_types=("snowflake_account_parameter", "snowflake_execute", "snowflake_current_account",
                    "snowflake_account"), check=check)
