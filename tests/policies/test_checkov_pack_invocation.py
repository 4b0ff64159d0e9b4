"""The pack under checkov's ordinary command line: `-d` or `-f`, from any working folder, as the checkov
GitHub action runs it (`checkov -d "${INPUT_DIRECTORY:-.}" --external-checks-dir ...`), gives the same
findings; a check that cannot run fails the scan instead of vanishing.

Runs the real checkov of .venv-checkov over a production stack broken two ways.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap

import pytest

from ysg import scan
from ysg_core.paths import REPO_ROOT

PACK = REPO_ROOT / "policies" / "checkov_pack"
PLANTED = {"CKV_SNOW_13", "CKV_SNOW_16"}


def _require_checkov() -> None:
    if not scan.CHECKOV.is_file():
        pytest.skip(f"checkov is not installed at {scan.CHECKOV} (run `make setup`)")


def _checkov(args: list[str], cwd) -> tuple[int, set[tuple[str, str, str]], str]:
    """Exit code, {(rule, resource address, result)} of the pack's records, and stderr."""
    done = subprocess.run([str(scan.CHECKOV), *args, "--framework", "terraform_json", "--skip-download",
                           "--external-checks-dir", str(PACK), "--check", "CKV_SNOW_*", "-o", "json"],
                          cwd=cwd, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"}, capture_output=True, text=True)
    reports, text, decoder = [], done.stdout.strip(), json.JSONDecoder()
    while text:     # one JSON document per `-d` folder
        value, end = decoder.raw_decode(text)
        reports += value if isinstance(value, list) else [value]
        text = text[end:].strip()
    records = set()
    for report in reports:
        for kind in ("passed_checks", "failed_checks"):
            for record in report.get("results", {}).get(kind, []):
                details = record.get("details") or [""]
                records.add((record["check_id"], details[0], record["check_result"]["result"]))
    return done.returncode, records, done.stderr


@pytest.fixture(scope="module")
def broken_repo(synthesized, tmp_path_factory):
    """A folder laid out like the repository, holding a prod stack with an hour of auto-suspend and a
    network rule open to the internet."""
    _require_checkov()
    root = tmp_path_factory.mktemp("repo")
    target = root / "cdktf.out" / "stacks" / "billing-prod"
    shutil.copytree(synthesized["prod"], target)
    document = json.loads((target / "cdk.tf.json").read_text())
    [warehouse] = document["resource"]["snowflake_warehouse"].values()
    warehouse["auto_suspend"] = 3600
    next(iter(document["resource"]["snowflake_network_rule"].values()))["value_list"].append("0.0.0.0/0")
    (target / "cdk.tf.json").write_text(json.dumps(document, indent=2))
    (root / "elsewhere").mkdir()
    return root


@pytest.fixture(scope="module")
def by_file(broken_repo):
    """The reference: `-f` with a path relative to the working folder."""
    code, records, stderr = _checkov(["-f", "cdktf.out/stacks/billing-prod/cdk.tf.json"], broken_repo)
    assert code == 1 and {r for r, _, result in records if result == "FAILED"} == PLANTED, stderr[-2000:]
    return records


def test_the_issues_invocation_from_the_repository_root_finds_what_f_finds(broken_repo, by_file):
    code, records, stderr = _checkov(["-d", "cdktf.out/stacks/billing-prod"], broken_repo)
    assert (code, records) == (1, by_file), stderr[-2000:]


def test_d_with_an_absolute_folder_from_another_working_folder_finds_the_same(broken_repo, by_file):
    code, records, stderr = _checkov(["-d", str(broken_repo / "cdktf.out" / "stacks" / "billing-prod")],
                                     broken_repo / "elsewhere")
    assert (code, records) == (1, by_file), stderr[-2000:]


def test_d_on_the_output_folder_as_the_action_would_scan_it_finds_the_same(broken_repo, by_file):
    code, records, stderr = _checkov(["-d", "cdktf.out"], broken_repo)
    assert (code, records) == (1, by_file), stderr[-2000:]


def test_two_stacks_the_pack_cannot_tell_apart_fail_instead_of_passing(broken_repo, synthesized):
    """`-d A -d B` with both stacks at `/cdk.tf.json` and identical provider blocks: the provider's checks
    cannot know which stack they judge, so they fail, saying so. (A copy of prod: the provider blocks of
    different environments differ, in the deploy role and warehouse they pin.)"""
    shutil.copytree(synthesized["prod"], broken_repo / "prod-copy", dirs_exist_ok=True)
    code, records, _ = _checkov(["-d", str(broken_repo / "cdktf.out" / "stacks" / "billing-prod"),
                                 "-d", str(broken_repo / "prod-copy")], broken_repo / "elsewhere")
    assert code == 1
    assert any(result == "FAILED" and detail.startswith("the check could not run: NotLocated")
               for _, detail, result in records)


CHECK_THAT_RAISES = textwrap.dedent("""
    import importlib.util, json, sys
    spec = importlib.util.spec_from_file_location("pack", sys.argv[1])
    pack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pack)
    from ysg_policies.model import Rule

    def broken(resource, stack):
        raise KeyError("a rule that trips over a value")

    check = pack.RuleResourceCheck(Rule("CKV_SNOW_13", "x", "y", "z", ("snowflake_warehouse",), broken),
                                   ["snowflake_warehouse"])
    result = check.run(scanned_file=sys.argv[2], entity_configuration={"name": ["W"]}, entity_name="w",
                       entity_type="snowflake_warehouse", skip_info={})
    print(json.dumps([str(result["result"]), check.details]))
""")


def test_a_check_that_raises_fails_and_says_why(synthesized):
    _require_checkov()
    stack_file = synthesized["prod"] / "cdk.tf.json"
    document = json.loads(stack_file.read_text())
    [(name, warehouse)] = document["resource"]["snowflake_warehouse"].items()
    conf = {"//": warehouse["//"], "name": [warehouse["name"]]}
    script = CHECK_THAT_RAISES.replace('entity_configuration={"name": ["W"]}, entity_name="w"',
                                       f"entity_configuration={conf!r}, entity_name={name!r}")
    done = subprocess.run([str(scan.CHECKOV.parent / "python"), "-c", script, str(PACK / "ysg_snowflake_pack.py"),
                           str(stack_file)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    result, details = json.loads(done.stdout.splitlines()[-1])
    assert result == "CheckResult.FAILED" and "the check could not run: KeyError" in details[-1]
