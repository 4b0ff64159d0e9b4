"""Two small git histories for the plan, synthesized once per session (synthesis is the slow part).

The base carries code the installed package does not (a `legacy-format` file format), and the head
carries code neither has (an `events-format`): each side of the plan shows that its own code ran.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from edits import edit
from real_values import make_deployable

from ysg.plan.synth import git
from ysg_core.paths import REPO_ROOT

NOT_COPIED = ("tests/", "docs/", "benchmarks/", ".github/", "package-lock.json")   # all else the app may read
STAGE_LINE = 'InternalStage(self, "raw-stage", raw, InternalStageProps(name="RAW"))'
LEGACY_FORMAT = ('BillingFileFormat(self, "legacy-format", raw, FileFormatProps(\n'
                 '            name="SFE_LEGACY_FORMAT", format_type="CSV", comment="only in the base"))\n        ')
EVENTS_FORMAT = ('BillingFileFormat(self, "events-format", raw, FileFormatProps(\n'
                 '            name="SFE_EVENTS_FORMAT", format_type="JSON", comment="only in the head"))\n        ')
# What the SQL-hooks work does at synthesis: write hooks.json beside each cdk.tf.json.
HOOK_WRITER = '''
_synthesize_stacks = synthesize


def synthesize(outdir=None, environments_dir=None):
    from ysg_hooks.manifest import Manifest, RenderedHook, ordered, write_manifest
    from ysg_core.paths import REPO_ROOT
    stack_dirs = _synthesize_stacks(outdir, environments_dir)
    sql = (REPO_ROOT / "sql" / "stg" / "v_usage.sql").read_text(encoding="utf-8")
    statements = tuple(s.strip() for s in sql.split(";") if s.strip())
    for env, stack_dir in stack_dirs.items():
        hooks = ordered([RenderedHook("stg.v_usage", "sql/stg/v_usage.sql", (), False, "", statements)])
        write_manifest(stack_dir, Manifest(env, stack_dir.name, "snowflake", hooks))
    return stack_dirs


def main() -> int:'''
# Named in full, as every hook's objects are: the prod guard reads what a hook's statements do.
BASE_SQL = ("CREATE OR REPLACE VIEW DB.SFE_STG_BILLING.V_USAGE AS\nSELECT ACCOUNT_ID, BYTES_USED\n"
            "FROM DB.SFE_RAW_BILLING.USAGE_METRICS;\n")
HEAD_SQL = ("CREATE OR REPLACE VIEW DB.SFE_STG_BILLING.V_USAGE AS\nSELECT ACCOUNT_ID, BYTES_USED, EVENT_TS\n"
            "FROM DB.SFE_RAW_BILLING.USAGE_METRICS;\n")


@dataclass
class Histories:
    repo: Path
    base_sha: str
    workdir: Path
    plan: object                    # ysg.plan.report.Plan, built once from the two syntheses


def make_histories(root: Path) -> tuple[Path, str]:
    """base: this repository + a legacy file format + one hook; head: the change under review."""
    repo = root / "repo"
    files = git(REPO_ROOT, "ls-files").splitlines()
    for name in files:
        if not name.startswith(NOT_COPIED) and (REPO_ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, repo / name)
    stack = repo / "stacks" / "ysg_stacks" / "billing_stack.py"
    edit(stack, STAGE_LINE, LEGACY_FORMAT + STAGE_LINE)
    edit(repo / "stacks" / "ysg_stacks" / "app.py", "\ndef main() -> int:", HOOK_WRITER)
    (repo / "sql" / "stg").mkdir(parents=True, exist_ok=True)
    (repo / "sql" / "stg" / "v_usage.sql").write_text(BASE_SQL)
    make_deployable(repo / "environments", "prod")       # so only what the change does decides the plan
    git(repo.parent, "init", "--quiet", "-b", "main", str(repo))
    for key, value in (("user.name", "plan tests"), ("user.email", "plan-tests@example.invalid")):
        git(repo, "config", key, value)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "base")
    base_sha = git(repo, "rev-parse", "HEAD")

    edit(stack, LEGACY_FORMAT, EVENTS_FORMAT)                                    # removed + added
    edit(stack, '"raw-stage"', '"landing-stage"')                               # construct id: replaced
    edit(repo / "environments" / "prod.yaml", "name: SNOWFLAKE_EXAMPLE\n", "name: SNOWFLAKE_EXAMPLE_V2\n")
    with (repo / "environments" / "staging.yaml").open("a") as handle:          # changed in place
        handle.write("warehouse:\n  size: MEDIUM\n")
    (repo / "sql" / "stg" / "v_usage.sql").write_text(HEAD_SQL)                # hook changed
    git(repo, "commit", "--quiet", "-am", "head: the change under review")
    return repo, base_sha


@pytest.fixture(scope="session")
def histories(tmp_path_factory) -> Histories:
    from ysg.plan.report import run

    root = tmp_path_factory.mktemp("plan")
    repo, base_sha = make_histories(root)
    plan = run(repo, base_sha, workdir=root / "synth")
    return Histories(repo, base_sha, root / "synth", plan)
