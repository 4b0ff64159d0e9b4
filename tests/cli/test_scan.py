"""The scan end to end, through the real checkov in .venv-checkov: two checkov runs in all.

Run one scans a production stack broken five ways, and two stacks with bad suppressions; run two scans
every shipped environment plus one stack with a reasoned suppression.
"""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from ysg import conformance, scan



def _require_checkov() -> None:
    if not scan.CHECKOV.is_file():
        pytest.skip(f"checkov is not installed at {scan.CHECKOV} (run `make setup`)")


def _variant(synthesized, root, env: str, name: str, edit):
    target = root / name
    shutil.copytree(synthesized[env], target)
    document = json.loads((target / "cdk.tf.json").read_text())
    edit(document)
    (target / "cdk.tf.json").write_text(json.dumps(document, indent=2))
    return target


def _only(document: dict, rtype: str) -> tuple[str, dict]:
    [(name, conf)] = [(n, c) for n, c in document["resource"][rtype].items()
                      if rtype != "snowflake_service_user" or "KAFKA" in c["name"]]
    return f"{rtype}.{name}", conf


BROKEN: dict[tuple[str, str], str] = {}


def _break_five_ways(document: dict) -> None:
    BROKEN.clear()
    address, warehouse = _only(document, "snowflake_warehouse")
    warehouse["auto_suspend_mode"] = "NEVER"        # not an attribute of the provider: a conformance finding
    warehouse["auto_suspend"] = 3600
    BROKEN[("CKV_SNOW_13", address)] = "auto-suspend of an hour"
    warehouse["resource_monitor"] = "SFE_BILLING_WH_MONITOR"
    BROKEN[("CKV_SNOW_14", address)] = "monitor named, not referenced"
    # The internet in two halves, in the policy's own list (a rule's open range would fail the rule and the
    # policy that allows it: two findings for one break).
    address, policy = _only(document, "snowflake_network_policy")
    policy["allowed_ip_list"] = ["0.0.0.0/1", "128.0.0.0/1"]
    BROKEN[("CKV_SNOW_16", address)] = "network policy open to the internet, split in two"
    address, user = _only(document, "snowflake_service_user")
    del user["network_policy"]
    BROKEN[("CKV_SNOW_9", address)] = "service user without network policy"
    del document["resource"]["snowflake_saml2_integration"]
    BROKEN[("CKV_SNOW_1", "provider.snowflake")] = "production without SSO"


def _suppress(rule_id: str, reason: str, break_it: bool, **more: str):
    def edit(document):
        _, warehouse = _only(document, "snowflake_warehouse")
        if break_it:
            warehouse["auto_suspend"] = 600
        warehouse["//"]["ysg_suppressions"] = {rule_id: reason, **more}
    return edit


@pytest.fixture(scope="module")
def failing_run(synthesized, tmp_path_factory):
    _require_checkov()
    root = tmp_path_factory.mktemp("failing")
    dirs = {
        "broken": _variant(synthesized, root, "prod", "billing-broken", _break_five_ways),
        "no-reason": _variant(synthesized, root, "dev", "billing-no-reason", _suppress("CKV_SNOW_13", "because", True)),
        "unknown-rule": _variant(synthesized, root, "dev", "billing-unknown-rule",
                                 _suppress("CKV_SNOW_99", "a reason long enough", False)),
    }
    return scan.scan(dirs, root / "policy-scan")


@pytest.fixture(scope="module")
def passing_run(synthesized, tmp_path_factory):
    _require_checkov()
    root = tmp_path_factory.mktemp("passing")
    dirs = dict(synthesized)
    dirs["suppressed"] = _variant(synthesized, root, "dev", "billing-suppressed",
                                  _suppress("CKV_SNOW_13", "nightly batch keeps its cache warm", True,
                                            CKV_SNOW_14="kept while the monitor moves"))
    return scan.scan(dirs, root / "policy-scan")


def test_a_stack_broken_five_ways_is_caught_five_times(failing_run):
    caught = {(f.rule_id, f.resource) for f in failing_run.failed if f.stack == "billing-broken"}
    assert caught == set(BROKEN)


def test_a_suppression_without_a_reason_fails_the_scan(failing_run):
    assert (not failing_run.ok and
            ["billing-no-reason" in p and "without a reason" in p for p in failing_run.invalid_suppressions]
            .count(True) == 1 and
            any(f.stack == "billing-no-reason" and f.rule_id == "CKV_SNOW_13" for f in failing_run.failed))


def test_a_suppression_of_an_unknown_rule_fails_the_scan(failing_run):
    assert [p for p in failing_run.invalid_suppressions if "billing-unknown-rule" in p] == [
        next(p for p in failing_run.invalid_suppressions if "CKV_SNOW_99" in p)]


def test_sarif_and_junit_are_written_with_the_failures(failing_run):
    sarif = json.loads((failing_run.report_dir / "results_sarif.sarif").read_text())
    junit = ET.parse(failing_run.report_dir / "results_junitxml.xml").getroot()
    assert (len(sarif["runs"][0]["results"]), int(junit.get("failures"))) == (len(failing_run.failed),) * 2


def test_shipped_environments_pass_and_a_reasoned_suppression_is_listed(passing_run):
    suppressed = [(f.stack, f.rule_id, f.detail) for f in passing_run.suppressed]
    assert (passing_run.ok, passing_run.failed, passing_run.invalid_suppressions,
            [str(f) for f in passing_run.conformance], suppressed) == (
        True, [], [], [], [("billing-suppressed", "CKV_SNOW_13", "nightly batch keeps its cache warm")])


def test_a_conformance_finding_is_printed_on_one_line(failing_run):
    lines = [line for line in scan.format_report(failing_run).splitlines() if "auto_suspend_mode" in line]
    assert [(line.split(" snowflake_warehouse.")[0], line.split(": ", 1)[1]) for line in lines] == [
        ("  CONFORMANCE billing-broken",
         'auto_suspend_mode = "NEVER" is not an attribute of the provider\'s schema of snowflake_warehouse at v2.11.0')]


def test_a_conformance_finding_alone_fails_the_scan():
    finding = conformance.Finding("billing-dev", "snowflake_warehouse.w", "warehouse_size", "HUGE", "is not allowed")
    assert (scan.ScanReport(passed=1).ok, scan.ScanReport(passed=1, conformance=[finding]).ok) == (True, False)


def test_every_shipped_stack_ran_the_pack(passing_run, synthesized):
    assert {d.name for d in synthesized.values()} <= {s for s, n in passing_run.passed_by_stack.items() if n > 0}


def test_the_summary_lists_the_suppression_with_its_reason(passing_run):
    assert ("SUPPRESSED CKV_SNOW_13 billing-suppressed" in scan.format_report(passing_run) and
            "nightly batch keeps its cache warm" in scan.format_report(passing_run))


@pytest.mark.parametrize("failed, access_ok, expected_exit", [
    ([], True, 0), ([scan.Finding("billing-dev", "CKV_SNOW_13", "", "", "")], True, 1), ([], False, 1)])
def test_ysg_scan_exits_non_zero_on_an_unsuppressed_failure_or_a_missing_privilege(monkeypatch, tmp_path, failed,
                                                                                    access_ok, expected_exit):
    from ysg import cli
    from ysg.access import command as access
    from ysg.access.check import Result
    from ysg.access.report import AccessReport

    from ysg_stacks import app

    monkeypatch.setattr(app, "current_stacks", lambda outdir: ({"dev": tmp_path / "stacks" / "billing-dev"}, False))
    monkeypatch.setattr(scan, "scan", lambda stack_dirs, jobs=1: scan.ScanReport(passed=1, failed=failed))
    report = AccessReport("dev", tmp_path / "stacks" / "billing-dev", "deployer", "none")
    if not access_ok:
        report.statements.append(Result("a.b #1", "GRANT ...", None, None, error="no requirements"))
    monkeypatch.setattr(access, "check_all", lambda stack_dirs: [report])
    assert cli.main(["scan", "--outdir", str(tmp_path)]) == expected_exit


def test_ysg_scan_checks_the_access_of_every_snowflake_environment_and_not_local(synthesized):
    from ysg.access import command as access

    assert sorted(r.environment for r in access.check_all(synthesized)) == sorted(
        env for env in synthesized if env != "local")


def test_a_suppression_whose_rule_passes_is_listed_as_unused(passing_run):
    [unused] = passing_run.unused_suppressions
    assert unused.startswith("billing-suppressed: snowflake_warehouse.") and "CKV_SNOW_14" in unused
