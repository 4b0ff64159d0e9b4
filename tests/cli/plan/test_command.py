"""cli/ysg/plan/command.py: the plan shows the real policy scan of the working tree's stacks."""
import shutil

import pytest

from ysg import conformance, scan
from ysg.plan.command import policy_scan


def test_the_plan_carries_the_policy_scan_of_the_stacks(synthesized, tmp_path):
    if not scan.CHECKOV.exists():
        pytest.skip(f"checkov is not installed at {scan.CHECKOV}: run `make test` (it installs it)")
    # A copy, so the scan's reports land beside the copy and not in the session's shared output.
    stacks = {env: shutil.copytree(d, tmp_path / "stacks" / d.name) for env, d in synthesized.items()}
    summary = policy_scan(stacks)
    findings = [f for d in stacks.values() for f in conformance.check_stack_dir(d)]
    assert (findings, summary.startswith("The scan passes."), " 0 failed" in summary) == ([], True, True)


def test_a_scan_that_cannot_run_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "CHECKOV", tmp_path / "no-checkov")
    (tmp_path / "stacks" / "billing-x").mkdir(parents=True)
    (tmp_path / "stacks" / "billing-x" / "cdk.tf.json").write_text("{}")
    assert policy_scan({"x": tmp_path / "stacks" / "billing-x"}).startswith("Not run: ")
