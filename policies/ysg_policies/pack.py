"""The pack as data: which rules run, and at what level. `error` fails the scan; `warning` is reported."""
from __future__ import annotations

from ysg_policies.model import Rule
from ysg_policies.rules import all_rules

ERROR, WARNING = "error", "warning"

PACK: dict[str, str] = {
    "CKV_SNOW_1": ERROR, "CKV_SNOW_2": ERROR, "CKV_SNOW_3": ERROR, "CKV_SNOW_4": ERROR,
    "CKV_SNOW_5": ERROR, "CKV_SNOW_6": ERROR, "CKV_SNOW_7": ERROR, "CKV_SNOW_8": ERROR,
    "CKV_SNOW_9": ERROR, "CKV_SNOW_10": ERROR, "CKV_SNOW_11": ERROR, "CKV_SNOW_12": ERROR,
    "CKV_SNOW_13": ERROR, "CKV_SNOW_14": ERROR, "CKV_SNOW_15": ERROR, "CKV_SNOW_16": ERROR,
    "CKV_SNOW_17": ERROR, "CKV_SNOW_18": ERROR, "CKV_SNOW_19": ERROR, "CKV_SNOW_20": ERROR,
}


def pack_rules() -> dict[str, tuple[Rule, str]]:
    """rule id -> (rule, level), for every rule of the pack; a pack entry without a rule is an error."""
    rules = all_rules()
    unknown = sorted(set(PACK) - set(rules))
    if unknown:
        raise RuntimeError(f"the pack names rules that do not exist: {', '.join(unknown)}")
    return {rule_id: (rules[rule_id], level) for rule_id, level in PACK.items()}
