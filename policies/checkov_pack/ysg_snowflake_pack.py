"""The checkov adapter: registers every rule of the pack as a checkov custom check.

checkov imports this file from `--external-checks-dir policies/checkov_pack`. The rules themselves stay
pure (ysg_policies); this file only translates. Rules judge a resource against its whole stack, and
checkov's terraform_json runner gives Python checks no graph (only its HCL runner does), so each check
reads the synthesized file it is scanning once and builds the stack's reference graph from it.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

# policies/ for the pack, and the repository root for the core module a rule shares with the
# environment model (ysg.network_allowlist, standard library only): checkov's venv installs neither.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parents[2])]

from checkov.common.models.enums import CheckCategories, CheckResult  # noqa: E402
from checkov.terraform.checks.provider.base_check import BaseProviderCheck  # noqa: E402
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck  # noqa: E402

from ysg_policies.model import Result, Rule, Stack  # noqa: E402
from ysg_policies.pack import pack_rules  # noqa: E402
from ysg_policies.suppressions import SUPPRESSED, valid_reason  # noqa: E402

# Built once: checkov calls every check per resource, and a failure looks its suppression up in the pack.
RULES = pack_rules()


@lru_cache(maxsize=None)
def _stack(path: str) -> Stack:
    return Stack.from_file(path)


def _locate(entity_path: str) -> tuple[Stack, str, str]:
    """checkov's `/<file relative to the working folder>:<type>:<name>` -> (stack, type, name)."""
    scanned_file, entity_type, entity_name = entity_path.rsplit(":", 2)
    path = scanned_file if os.path.isfile(scanned_file) else os.path.join(os.getcwd(), scanned_file.lstrip("/"))
    return _stack(os.path.normpath(path)), entity_type, entity_name


def _judge(check, rule: Rule) -> CheckResult:
    """checkov details of a finding: [address, what the rule found, "suppressed: <reason>" when suppressed]."""
    stack, entity_type, entity_name = _locate(check.entity_path)
    if entity_type == entity_name == "snowflake":
        resource = stack.provider
    else:
        resource = stack.get(f"{entity_type}.{entity_name}")
    if resource is None:
        check.details.append(f"{entity_type}.{entity_name} not found in the synthesized file")
        return CheckResult.FAILED
    outcome = rule.check(resource, stack)
    # checkov names a terraform_json resource `resource.<name>`, without its type: say which one it is.
    check.details.append(resource.address)
    if outcome.detail:
        check.details.append(outcome.detail)
    if outcome.result is Result.NOT_APPLICABLE:
        return CheckResult.UNKNOWN
    if outcome.result is Result.PASSED:
        return CheckResult.PASSED
    reason = valid_reason(resource, rule.id, RULES)
    if reason is not None:
        check.details.append(f"{SUPPRESSED}{reason}")
        return CheckResult.SKIPPED
    return CheckResult.FAILED


def _guideline(rule: Rule) -> str:
    return f"{rule.control}: {rule.rationale}"


class RuleResourceCheck(BaseResourceCheck):
    def __init__(self, rule: Rule, resource_types: list[str]):
        self.rule = rule
        super().__init__(name=rule.name, id=rule.id, categories=[CheckCategories.GENERAL_SECURITY],
                         supported_resources=resource_types, guideline=_guideline(rule))

    def scan_resource_conf(self, conf) -> CheckResult:
        return _judge(self, self.rule)


class RuleProviderCheck(BaseProviderCheck):
    def __init__(self, rule: Rule):
        self.rule = rule
        super().__init__(name=rule.name, id=rule.id, categories=[CheckCategories.GENERAL_SECURITY],
                         supported_provider=["snowflake"], guideline=_guideline(rule))

    def scan_provider_conf(self, conf) -> CheckResult:
        return _judge(self, self.rule)


CHECKS = []
for _rule, _level in RULES.values():
    _resource_types = [t for t in _rule.resource_types if t != "provider.snowflake"]
    if _resource_types:
        CHECKS.append(RuleResourceCheck(_rule, _resource_types))
    if "provider.snowflake" in _rule.resource_types:
        CHECKS.append(RuleProviderCheck(_rule))
