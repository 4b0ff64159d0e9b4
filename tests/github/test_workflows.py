"""The workflows under .github/workflows: zizmor (security), the workflow schema, and the expressions.

The linters live in .venv-lint (`make setup`), apart from .venv, and run offline. Each check is also
shown to catch a known-bad workflow, so a linter that silently checks nothing fails here.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from workflow_expressions import check_workflow

from ysg.plan.report import MARKER
from ysg_core.paths import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
LINT_BIN = REPO_ROOT / ".venv-lint" / "bin"
BAD_WORKFLOW = """\
name: bad
on: pull_request
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"""


def tool(name: str) -> str:
    path = LINT_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make setup` (it installs requirements-lint.lock into .venv-lint)")
    return str(path)


def zizmor(*targets: Path) -> tuple[int, list[dict]]:
    done = subprocess.run([tool("zizmor"), "--offline", "--persona=auditor", "--format=json", "--quiet",
                           *map(str, targets)], capture_output=True, text=True, cwd=REPO_ROOT)
    return done.returncode, json.loads(done.stdout or "[]")


def schema_check(*targets: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                           *map(str, targets)], capture_output=True, text=True)


def test_there_are_workflows_to_check():
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "pull-request.yml"]


def test_zizmor_has_no_finding_in_any_persona():
    code, findings = zizmor(REPO_ROOT / ".github")
    assert ([(f["ident"], f["locations"][0]["symbolic"]["key"]) for f in findings], code) == ([], 0)


def test_zizmor_catches_an_unpinned_action_and_a_template_injection(tmp_path):
    (tmp_path / "bad.yml").write_text(BAD_WORKFLOW)
    _, findings = zizmor(tmp_path / "bad.yml")
    assert {"unpinned-uses", "template-injection", "artipacked"} <= {f["ident"] for f in findings}


def test_the_workflows_match_the_github_workflow_schema():
    done = schema_check(*WORKFLOWS)
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done")


def test_the_schema_check_catches_a_misspelt_key(tmp_path):
    (tmp_path / "bad.yml").write_text(BAD_WORKFLOW.replace("runs-on:", "run-on:"))
    assert schema_check(tmp_path / "bad.yml").returncode == 1


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_expression_names_what_exists_where_it_stands(workflow):
    assert check_workflow(workflow) == []


@pytest.mark.parametrize("expression, message", [
    ("${{ steps.later.outputs.x }}", "steps.later is not defined here"),
    ("${{ needs.nobody.result }}", "needs.nobody is not defined here"),
    ("${{ github.sha }}${{ secret.KEY }}", "unknown context 'secret'"),
    ("${{ toJson(github) && starts_with(github.ref, 'x') }}", "unknown function starts_with()"),
    ("${{ env.NOT_SET }}", "env.NOT_SET is not set at workflow, job or step level"),
])
def test_the_expression_check_catches_mistakes(tmp_path, expression, message):
    workflow = BAD_WORKFLOW.replace('"${{ github.event.pull_request.title }}"', f'"{expression}"')
    (tmp_path / "bad.yml").write_text(workflow)
    assert message in [p.message.split(" in ")[0] for p in check_workflow(tmp_path / "bad.yml")]


def test_a_runner_context_in_a_job_condition_is_refused(tmp_path):
    (tmp_path / "bad.yml").write_text(BAD_WORKFLOW.replace("    runs-on:", "    if: runner.os == 'Linux'\n    runs-on:"))
    assert [p.message for p in check_workflow(tmp_path / "bad.yml")] == ["context 'runner' is not available here"]


def steps_of(workflow: Path):
    for job_id, job in yaml.safe_load(workflow.read_text())["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_reach_steps_only_through_env_and_no_script_traces(workflow):
    leaks = [(job, step.get("name", step.get("uses"))) for job, step in steps_of(workflow)
             if "secrets." in json.dumps({k: v for k, v in step.items() if k != "env"})
             or re.search(r"set -\w*x|set -o xtrace", step.get("run", ""))]
    assert leaks == []


def test_the_pull_request_comment_is_found_by_the_plan_marker():
    text = (REPO_ROOT / ".github" / "workflows" / "pull-request.yml").read_text()
    assert f"marker='{MARKER}'" in text


def test_prod_is_deployed_only_by_a_dispatch_from_main_behind_its_environment():
    prod = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "deploy.yml").read_text())["jobs"]["prod"]
    assert (prod["environment"], prod["if"]) == (
        "prod", "github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'")


def test_a_key_written_for_the_hook_runner_is_private_temporary_and_outside_the_checkout():
    deploy = REPO_ROOT / ".github" / "workflows" / "deploy.yml"
    writers = [step["run"] for _, step in steps_of(deploy) if '"$SNOWFLAKE_PRIVATE_KEY" >' in step.get("run", "")]
    assert (len(writers), all(run.startswith("umask 077\n") and "trap 'rm -f \"$key_file\"' EXIT" in run
                              and 'key_file="${RUNNER_TEMP}/' in run for run in writers)) == (3, True)
