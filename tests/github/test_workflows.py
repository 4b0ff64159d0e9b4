"""The workflows under .github: zizmor (security), the schemas, the expressions, and what they promise:
one set-up, prod only after staging on the same commit, and a deploy that applies the reviewed plan.

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
from workflow_expressions import check_action, check_workflow

from ysg.plan.report import MARKER
from ysg_core.paths import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONS = sorted((REPO_ROOT / ".github" / "actions").glob("*/action.yml"))
SETUP_ACTION = "$/.github/actions/setup"
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
        pytest.fail(f"{path} is missing: run `make setup` (it installs requirements-lint.txt into .venv-lint)")
    return str(path)


def zizmor(*targets: Path) -> tuple[int, list[dict]]:
    done = subprocess.run([tool("zizmor"), "--offline", "--persona=auditor", "--format=json", "--quiet",
                           *map(str, targets)], capture_output=True, text=True, cwd=REPO_ROOT)
    return done.returncode, json.loads(done.stdout or "[]")


def schema_check(*targets: Path, schema: str = "vendor.github-workflows") -> subprocess.CompletedProcess:
    return subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, *map(str, targets)],
                          capture_output=True, text=True)


def test_there_are_workflows_to_check():
    assert ([p.name for p in WORKFLOWS], [p.parent.name for p in ACTIONS]) == (
        ["deploy.yml", "pull-request.yml"], ["setup"])


def test_zizmor_has_no_finding_in_any_persona():
    code, findings = zizmor(REPO_ROOT / ".github")
    assert ([(f["ident"], f["locations"][0]["symbolic"]["key"]) for f in findings], code) == ([], 0)


def test_zizmor_catches_an_unpinned_action_and_a_template_injection(tmp_path):
    (tmp_path / "bad.yml").write_text(BAD_WORKFLOW)
    _, findings = zizmor(tmp_path / "bad.yml")
    assert {"unpinned-uses", "template-injection", "artipacked"} <= {f["ident"] for f in findings}


@pytest.mark.parametrize("targets, schema", [
    (WORKFLOWS, "vendor.github-workflows"),
    (ACTIONS, "vendor.github-actions"),
    ([REPO_ROOT / ".github" / "dependabot.yml"], "vendor.dependabot"),
], ids=["workflows", "actions", "dependabot"])
def test_the_files_match_their_github_schema(targets, schema):
    done = schema_check(*targets, schema=schema)
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done")


def test_the_schema_check_catches_a_misspelt_key(tmp_path):
    (tmp_path / "bad.yml").write_text(BAD_WORKFLOW.replace("runs-on:", "run-on:"))
    assert schema_check(tmp_path / "bad.yml").returncode == 1


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_expression_names_what_exists_where_it_stands(workflow):
    assert check_workflow(workflow) == []


@pytest.mark.parametrize("action", ACTIONS, ids=lambda p: p.parent.name)
def test_every_expression_of_an_action_names_its_inputs_and_earlier_steps(action):
    assert check_action(action) == []


def test_the_action_check_catches_an_undeclared_input_and_a_secret(tmp_path):
    action = tmp_path / "action.yml"
    action.write_text("name: a\ndescription: a\ninputs: {known: {description: x}}\nruns:\n  using: composite\n"
                      "  steps:\n    - run: echo ${{ inputs.unknown }} ${{ secrets.KEY }}\n      shell: bash\n")
    assert [p.message for p in check_action(action)] == ["inputs.unknown is not defined here",
                                                       "context 'secrets' is not available here"]


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


def jobs(name: str) -> dict:
    return yaml.safe_load((REPO_ROOT / ".github" / "workflows" / name).read_text())["jobs"]


def test_each_environment_is_deployed_only_after_the_one_before_succeeded_in_the_same_run():
    # `needs` waits for success; a status function in `if` (always(), failure()) would undo that, and the
    # exact conditions here leave none.
    deploy = jobs("deploy.yml")
    assert {job: (spec.get("needs"), spec["environment"], spec["if"]) for job, spec in deploy.items()} == {
        "dev": (None, "dev", "github.ref == 'refs/heads/main'"),
        "staging": ("dev", "staging", "github.ref == 'refs/heads/main'"),
        "prod": ("staging", "prod", "github.ref == 'refs/heads/main'"),
    }


def steps_using(workflow: str, prefix: str) -> list[tuple[str, dict]]:
    return [(job, step) for job, step in steps_of(REPO_ROOT / ".github" / "workflows" / workflow)
            if step.get("uses", "").startswith(prefix)]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_that_checks_out_the_code_sets_up_through_the_one_action(workflow):
    per_job = {}
    for job, step in steps_of(workflow):
        per_job.setdefault(job, []).append(step.get("uses", "").split("@")[0])
    set_up = {job: uses[1] == SETUP_ACTION for job, uses in per_job.items() if uses[0] == "actions/checkout"}
    copied = [u for uses in per_job.values() for u in uses
              if u in ("actions/setup-python", "actions/setup-node", "actions/cache", "hashicorp/setup-terraform")]
    assert (set(set_up.values()), copied) == ({True}, [])


def test_terraform_is_one_version_for_the_plan_and_the_apply():
    action = yaml.safe_load((REPO_ROOT / ".github" / "actions" / "setup" / "action.yml").read_text())
    versions = [s["with"]["terraform_version"] for s in action["runs"]["steps"]
                if s.get("uses", "").startswith("hashicorp/setup-terraform@")]
    assert len(versions) == 1 and re.fullmatch(r"\d+\.\d+\.\d+", versions[0])
    planners = [job for job, step in steps_using("pull-request.yml", SETUP_ACTION) if step["with"].get("terraform")]
    appliers = [job for job, step in steps_using("deploy.yml", SETUP_ACTION) if step["with"].get("terraform")]
    assert (planners, appliers) == (["terraform-plan"], ["dev", "staging", "prod"])


def test_the_pull_request_plans_every_snowflake_environment_with_credentials_that_are_not_the_deploys(configs):
    plan = jobs("pull-request.yml")["terraform-plan"]
    snowflake = sorted(name for name, config in configs.items() if config.target == "snowflake")
    assert (sorted(plan["strategy"]["matrix"]["environment"]), plan["environment"]) == (
        snowflake, "${{ matrix.environment }}-plan")
    assert "head.repo.full_name == github.repository" in plan["if"]          # never a fork's code


def test_the_pull_request_saves_the_plan_under_the_name_the_deploy_looks_for():
    steps = {s.get("id", s.get("name")): s for job, s in steps_of(REPO_ROOT / ".github" / "workflows" / "pull-request.yml")
             if job == "terraform-plan"}
    upload = next(s for s in steps.values() if s.get("name") == "Keep the saved plan for the deploy")
    assert "tools/reviewed_plan.py name" in steps["name"]["run"]
    assert (upload["with"]["name"], upload["with"]["path"]) == (
        "${{ steps.name.outputs.artifact }}", "cdktf.out/stacks/billing-${{ matrix.environment }}/tfplan")


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_with_reviewed_plans_the_deploy_applies_the_downloaded_plan_and_nothing_fresh(environment):
    steps = [s for job, s in steps_of(REPO_ROOT / ".github" / "workflows" / "deploy.yml") if job == environment]
    names = [s.get("name", s.get("uses", "").split("@")[0]) for s in steps]
    find, download, synth, deploy = (steps[names.index(n)] for n in (
        "Find the plan reviewed on the pull request", "Download it",
        "Synthesize this commit (the configuration the reviewed plan must have been made from)",
        f"Deploy {environment}"))
    assert [s["name"] for s in (find, download, synth, deploy)] == sorted(
        (s["name"] for s in (find, download, synth, deploy)), key=lambda n: names.index(n))   # in this order
    assert f"tools/reviewed_plan.py find {environment} " in find["run"]
    assert (download["with"]["name"], download["with"]["run-id"], download["with"]["path"]) == (
        "${{ steps.reviewed.outputs.name }}", "${{ steps.reviewed.outputs.run-id }}", "${{ runner.temp }}/reviewed-plan")
    reviewed, otherwise = deploy["run"].split('if [ "$REVIEWED_PLANS" = true ]; then\n')[1].split("else\n")
    assert reviewed.split() == [".venv/bin/python", "tools/reviewed_plan.py", "apply",
                                '"${RUNNER_TEMP}/reviewed-plan/tfplan"', f"cdktf.out/stacks/billing-{environment}"]
    assert f".venv/bin/ysg deploy {environment}" in otherwise
    for step in (find, download, synth):
        assert step["if"] == "vars.YSG_REVIEWED_PLANS == 'true'"
    assert deploy["env"]["REVIEWED_PLANS"] == "${{ vars.YSG_REVIEWED_PLANS }}"


def test_a_key_written_for_the_hook_runner_is_private_temporary_and_outside_the_checkout():
    deploy = REPO_ROOT / ".github" / "workflows" / "deploy.yml"
    writers = [step["run"] for _, step in steps_of(deploy) if '"$SNOWFLAKE_PRIVATE_KEY" >' in step.get("run", "")]
    assert (len(writers), all(run.startswith("umask 077\n") and "trap 'rm -f \"$key_file\"' EXIT" in run
                              and 'key_file="${RUNNER_TEMP}/' in run for run in writers)) == (3, True)
