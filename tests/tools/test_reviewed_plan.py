"""tools/reviewed_plan.py: a saved plan is applied only to the configuration it was made from, applying it
runs the stack's local-exec hook trigger, a stale one is refused, and the deploy finds only the plan of the
pull request that was merged.

The Terraform tests run the real `terraform` on a stack shaped like ours (a terraform_data with a local-exec
provisioner, run from the stack's folder), with a local backend: Terraform itself writes the plan file
whose configuration snapshot the tool reads. They are skipped where Terraform is not installed.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ysg_core.paths import REPO_ROOT

SCRIPT = REPO_ROOT / "tools" / "reviewed_plan.py"
needs_terraform = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("reviewed_plan_tool", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def write_stack(stack: Path, checksum: str = "sha256:1") -> Path:
    """A stack like billing-<env>: JSON configuration, HCL imports, a hook manifest Terraform does not read,
    and a hook trigger whose command, like ours, is relative to the stack's folder."""
    stack.mkdir(parents=True, exist_ok=True)
    (stack / "cdk.tf.json").write_text(json.dumps({
        "terraform": {"backend": {"local": {"path": "../state/terraform.tfstate"}}},
        "resource": {"terraform_data": {"post-apply-hooks": {
            "triggers_replace": {"hook_manifest": checksum},
            "provisioner": [{"local-exec": {"command": f"../bin/ysg hooks apply --expect-checksum {checksum}"}}]}}}},
        indent=2))
    (stack / "imports.tf").write_text("# imports\n")
    (stack / "hooks.json").write_text("{}\n")
    ysg = stack.parent / "bin" / "ysg"
    ysg.parent.mkdir(exist_ok=True)
    ysg.write_text('#!/bin/sh\necho "$PWD $*" >> ../hooks-ran.log\n')
    ysg.chmod(0o755)
    return stack


def saved_plan(tool, stack: Path, tmp_path: Path) -> Path:
    summary = tmp_path / "summary.md"
    assert tool.plan("dev", stack, summary, "tfplan-dev-x") == 0, summary.read_text()
    moved = tmp_path / "reviewed" / "tfplan"          # as the deploy finds it: downloaded, outside the stack
    moved.parent.mkdir()
    shutil.move(stack / "tfplan", moved)
    return moved


@needs_terraform
def test_a_saved_plan_applies_and_runs_the_hook_trigger_from_the_stacks_folder(tool, tmp_path):
    stack = write_stack(tmp_path / "stacks" / "billing-dev")
    plan_file = saved_plan(tool, stack, tmp_path)
    assert tool.apply(plan_file, stack) == 0
    assert (tmp_path / "stacks" / "hooks-ran.log").read_text() == (
        f"{stack} hooks apply --expect-checksum sha256:1\n")


@needs_terraform
def test_the_pull_requests_section_shows_terraforms_plan_and_names_the_artifact(tool, tmp_path):
    stack = write_stack(tmp_path / "stacks" / "billing-dev")
    saved_plan(tool, stack, tmp_path)
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("## Terraform plan of `billing-dev` against its state\n")
    assert "`tfplan-dev-x`" in summary and "terraform_data.post-apply-hooks will be created" in summary


@needs_terraform
def test_a_plan_whose_configuration_differs_from_the_stack_is_refused_before_terraform_runs(tool, tmp_path):
    stack = write_stack(tmp_path / "stacks" / "billing-dev")
    plan_file = saved_plan(tool, stack, tmp_path)
    write_stack(stack, checksum="sha256:2")                       # this commit's stack runs other hooks
    with pytest.raises(tool.ReviewedPlanError, match=r"cdk\.tf\.json: differs"):
        tool.apply(plan_file, stack)
    assert not (tmp_path / "stacks" / "hooks-ran.log").exists()


@needs_terraform
def test_a_configuration_file_the_plan_does_not_hold_is_refused(tool, tmp_path):
    stack = write_stack(tmp_path / "stacks" / "billing-dev")
    plan_file = saved_plan(tool, stack, tmp_path)
    (stack / "extra.tf").write_text("# more\n")
    (stack / ".terraform.lock.hcl").write_text("# hidden: not configuration\n")
    with pytest.raises(tool.ReviewedPlanError, match=r"extra\.tf: not in the plan$"):
        tool.check(plan_file, stack)


@needs_terraform
def test_terraform_refuses_a_plan_made_before_the_state_changed(tool, tmp_path):
    stack = write_stack(tmp_path / "stacks" / "billing-dev")
    first = saved_plan(tool, stack, tmp_path)
    second = tmp_path / "second-tfplan"
    shutil.copy(first, second)
    assert tool.apply(first, stack) == 0
    done = subprocess.run([sys.executable, str(SCRIPT), "apply", str(second), str(stack)], capture_output=True,
                          text=True)
    assert (done.returncode, "Saved plan is stale" in done.stdout + done.stderr) == (1, True)


def test_a_file_that_is_not_a_plan_is_refused_naming_it(tool, tmp_path):
    (tmp_path / "tfplan").write_text("not a zip")
    with pytest.raises(tool.ReviewedPlanError, match="tfplan: not a Terraform plan file"):
        tool.check(tmp_path / "tfplan", write_stack(tmp_path / "stack"))


def test_a_plan_with_modules_is_refused(tool, tmp_path):
    with zipfile.ZipFile(tmp_path / "tfplan", "w") as archive:
        archive.writestr("tfconfig/m-/cdk.tf.json", "{}")
        archive.writestr("tfconfig/m-network/main.tf", "")
    with pytest.raises(tool.ReviewedPlanError, match="not one root module: tfconfig/m-network/main.tf"):
        tool.check(tmp_path / "tfplan", write_stack(tmp_path / "stack"))


# --- finding the plan: a fake GitHub API -------------------------------------------------------------

MERGED_HEAD, OTHER_HEAD = "a" * 40, "b" * 40


def artifact(id_: int, run: int, head: str, expired: bool = False, fork: bool = False) -> dict:
    return {"id": id_, "expired": expired, "workflow_run": {"id": run, "head_sha": head, "repository_id": 1,
                                                            "head_repository_id": 2 if fork else 1}}


def fake_api(artifacts: list[dict], runs: dict[int, dict], merged: bool = True):
    asked = []

    def get(path: str):
        asked.append(path)
        if path.startswith("/repos/o/r/commits/"):
            return [{"head": {"sha": MERGED_HEAD}, "merged_at": "2026-11-29T10:00:00Z" if merged else None}]
        if path.startswith("/repos/o/r/actions/artifacts?"):
            return {"artifacts": artifacts}
        return runs[int(path.rsplit("/", 1)[1])]
    return get, asked


PR_RUN = {"path": ".github/workflows/pull-request.yml", "event": "pull_request"}


def test_the_newest_plan_of_the_merged_pull_requests_run_is_found(tool):
    api, asked = fake_api([artifact(5, 50, MERGED_HEAD), artifact(7, 70, MERGED_HEAD), artifact(9, 90, OTHER_HEAD)],
                          {50: {**PR_RUN, "id": 50}, 70: {**PR_RUN, "id": 70}})
    assert tool.find(api, "o/r", "c" * 40, "prod", TREE) == (70, f"tfplan-prod-{TREE}")
    assert f"/repos/o/r/actions/artifacts?name=tfplan-prod-{TREE}&per_page=100" in asked


@pytest.mark.parametrize("artifacts, runs", [
    ([artifact(9, 90, OTHER_HEAD)], {}),                                        # another pull request's plan
    ([artifact(5, 50, MERGED_HEAD, expired=True)], {}),
    ([artifact(5, 50, MERGED_HEAD, fork=True)], {}),
    ([artifact(5, 50, MERGED_HEAD)], {50: {"id": 50, "path": ".github/workflows/other.yml", "event": "pull_request"}}),
    ([artifact(5, 50, MERGED_HEAD)], {50: {**PR_RUN, "id": 50, "event": "workflow_dispatch"}}),
], ids=["other-pull-request", "expired", "fork", "other-workflow", "other-event"])
def test_no_plan_but_the_merged_pull_requests_own_is_taken(tool, artifacts, runs):
    api, _ = fake_api(artifacts, runs)
    with pytest.raises(tool.ReviewedPlanError, match="no reviewed plan of prod"):
        tool.find(api, "o/r", "c" * 40, "prod", TREE)


def test_a_commit_pushed_without_a_pull_request_has_no_reviewed_plan(tool):
    api, _ = fake_api([artifact(5, 50, MERGED_HEAD)], {50: {**PR_RUN, "id": 50}}, merged=False)
    with pytest.raises(tool.ReviewedPlanError, match="is not the merge of a pull request"):
        tool.find(api, "o/r", "c" * 40, "prod", TREE)
