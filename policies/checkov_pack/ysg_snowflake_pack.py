"""The checkov adapter: registers every rule of the pack as a checkov custom check.

checkov imports this file from `--external-checks-dir policies/checkov_pack`. The rules themselves stay
pure (ysg_policies); this file only translates. Rules judge a resource against its whole stack, and
checkov's terraform_json runner gives Python checks no graph (only its HCL runner does), so each check
reads the synthesized file it is scanning once and builds the stack's reference graph from it.

Which file: checkov gives a Python check only the resource's configuration and the scanned file's path
relative to the scan's root (`/<relpath>`, checkov/terraform_json/runner.py, `add_python_check_results`),
never the root. So the file is looked for under every root the scan may have (the working folder, for
`-f`, and each `-d` folder, which checkov records in `bc_integration.scan_dir`, checkov/main.py), and a
candidate counts only when it holds this very resource (its address, construct path and plain values).
None or several: the check FAILS, saying so. Any error of a check fails it too: checkov turns an
exception into UNKNOWN, no record at all (base_check_registry.py, `run_check`), a scan that passes.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

# policies/ for the pack, and core/ for the two standard-library-only core modules it imports
# (ysg_core.paths, ysg_core.network_allowlist): checkov's venv installs neither.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parents[2] / "core")]

from checkov.common.models.enums import CheckCategories, CheckResult  # noqa: E402
from checkov.terraform.checks.provider.base_check import BaseProviderCheck  # noqa: E402
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck  # noqa: E402

from ysg_policies.model import Result, Rule, Stack, unwrap  # noqa: E402
from ysg_policies.pack import pack_rules  # noqa: E402
from ysg_policies.suppressions import SUPPRESSED, valid_reason  # noqa: E402

# Built once: checkov calls every check per resource, and a failure looks its suppression up in the pack.
RULES = pack_rules()


@lru_cache(maxsize=None)
def _stack(path: str) -> Stack:
    return Stack.from_file(path)


class NotLocated(Exception):
    """The stack file a check is given cannot be found, or not told apart from another."""


def _roots() -> list[str]:
    """Where checkov's `/<relpath>` may be relative to: the working folder (`-f`: relative to it), and
    the `-d` folders of this run (checkov's main sets `bc_integration.scan_dir` to them)."""
    try:
        from checkov.common.bridgecrew.platform_integration import bc_integration
        directories = list(getattr(bc_integration, "scan_dir", None) or [])
    except ImportError:     # checkov moved it: then only the working folder, and a miss fails the check
        directories = []
    return [os.getcwd(), *directories]


def _same_resource(conf: dict, resource) -> bool:
    """Whether checkov's configuration of an entity is this resource of a stack file: the same construct
    path, and every plain value the same (checkov wraps values in lists and reads "true" as true)."""
    if resource is None:
        return False
    for key, value in conf.items():
        if key.startswith("__"):
            continue
        raw = resource.conf.get(key)
        if key == "//":
            if _construct_path(unwrap(value)) != _construct_path(raw):
                return False
        elif isinstance(raw, (str, int, float, bool)) and not isinstance(unwrap(value), (dict, list)):
            if str(unwrap(value)).lower() != str(raw).lower():
                return False
    return True


def _construct_path(metadata) -> str | None:
    inner = metadata.get("metadata") if isinstance(metadata, dict) else None
    return unwrap(inner.get("path")) if isinstance(inner, dict) else None


def _entity(stack: Stack, entity_type: str, entity_name: str):
    if entity_type == entity_name == "snowflake":
        return stack.provider
    return stack.get(f"{entity_type}.{entity_name}")


def _locate(entity_path: str, conf: dict) -> tuple[Stack, str, str]:
    """checkov's `/<file relative to the scan root>:<type>:<name>` -> (stack, type, name), or NotLocated."""
    scanned_file, entity_type, entity_name = entity_path.rsplit(":", 2)
    relative = scanned_file.lstrip("/")
    paths = {os.path.normpath(scanned_file)} if os.path.isabs(scanned_file) and os.path.isfile(scanned_file) else set()
    paths |= {os.path.normpath(os.path.join(os.path.abspath(root), relative)) for root in _roots()}
    matches = [path for path in sorted(paths) if os.path.isfile(path)
               and _same_resource(conf, _entity(_stack(path), entity_type, entity_name))]
    if len(matches) != 1:
        found = "no file holds it" if not matches else f"{len(matches)} files hold it: {', '.join(matches)}"
        raise NotLocated(f"cannot tell which stack {scanned_file} is ({found}; roots: {', '.join(_roots())})")
    return _stack(matches[0]), entity_type, entity_name


def _judge(check, rule: Rule, conf: dict) -> CheckResult:
    """Never raises: a check that cannot run FAILS, with the reason as its detail."""
    try:
        return _verdict(check, rule, conf)
    except Exception as exc:  # noqa: BLE001 - checkov would count an exception as no result at all
        check.details.append(f"the check could not run: {type(exc).__name__}: {exc}")
        return CheckResult.FAILED


def _verdict(check, rule: Rule, conf: dict) -> CheckResult:
    """checkov details of a finding: [address, what the rule found, "suppressed: <reason>" when suppressed]."""
    stack, entity_type, entity_name = _locate(check.entity_path, conf)
    resource = _entity(stack, entity_type, entity_name)
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
        return _judge(self, self.rule, conf)


class RuleProviderCheck(BaseProviderCheck):
    def __init__(self, rule: Rule):
        self.rule = rule
        super().__init__(name=rule.name, id=rule.id, categories=[CheckCategories.GENERAL_SECURITY],
                         supported_provider=["snowflake"], guideline=_guideline(rule))

    def scan_provider_conf(self, conf) -> CheckResult:
        return _judge(self, self.rule, conf)


CHECKS = []
for _rule, _level in RULES.values():
    _resource_types = [t for t in _rule.resource_types if t != "provider.snowflake"]
    if _resource_types:
        CHECKS.append(RuleResourceCheck(_rule, _resource_types))
    if "provider.snowflake" in _rule.resource_types:
        CHECKS.append(RuleProviderCheck(_rule))
