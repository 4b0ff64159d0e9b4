"""app.py: the app command of cdktf.json, and `npx cdktf synth`, offline; a bad file writes nothing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from edits import edit

from ysg_core.config import ConfigError
from ysg_core.paths import NODE_TOOL_ENV, REPO_ROOT
from ysg_stacks.app import synthesize

ENV = {**os.environ, **NODE_TOOL_ENV}


def test_a_bad_environment_file_produces_no_output_at_all(env_dir, tmp_path):
    edit(env_dir / "staging.yaml", "warehouse_credit_quota: 50", "warehouse_credit_quota: -50")
    outdir = tmp_path / "cdktf.out"
    with pytest.raises(ConfigError, match=r"staging\.yaml: resource_monitors\.warehouse_credit_quota"):
        synthesize(outdir, environments_dir=env_dir)
    assert list(tmp_path.iterdir()) == [env_dir]   # no output folder, no scratch folder left behind


def test_a_failed_synthesis_leaves_the_previous_output_untouched(env_dir, tmp_path):
    (env_dir / "prod.yaml").write_text("target: [")
    outdir = tmp_path / "cdktf.out"
    (outdir / "stacks" / "billing-prod").mkdir(parents=True)
    (outdir / "stacks" / "billing-prod" / "cdk.tf.json").write_text('{"previous": true}')
    with pytest.raises(ConfigError):
        synthesize(outdir, environments_dir=env_dir)
    assert json.loads((outdir / "stacks" / "billing-prod" / "cdk.tf.json").read_text()) == {"previous": True}


def test_the_app_command_of_cdktf_json_synthesizes_every_stack(tmp_path):
    app_command = json.loads((REPO_ROOT / "cdktf.json").read_text())["app"].split()
    assert app_command[0] == ".venv/bin/python"
    outdir = tmp_path / "out"
    subprocess.run([sys.executable, *app_command[1:]], cwd=REPO_ROOT, env={**ENV, "CDKTF_OUTDIR": str(outdir)},
                   check=True, capture_output=True)
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == [
        "billing-dev", "billing-local", "billing-prod", "billing-staging"]


@pytest.mark.cli
def test_npx_cdktf_synth_works_offline(tmp_path):
    cdktf = REPO_ROOT / "node_modules" / ".bin" / "cdktf"
    if not cdktf.exists():
        pytest.skip("node_modules/.bin/cdktf is missing: run `make setup` (npm ci) first")
    outdir = tmp_path / "out"
    result = subprocess.run([str(cdktf), "synth", "--output", str(outdir)], cwd=REPO_ROOT, env=ENV,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (outdir / "stacks" / "billing-prod" / "cdk.tf.json").is_file()
    # The stacks the CLI can deploy are those of its manifest: never the emulator's.
    deployable = json.loads((outdir / "manifest.json").read_text())["stacks"]
    assert sorted(deployable) == ["billing-dev", "billing-prod", "billing-staging"]


@pytest.mark.cli
def test_cdktf_deploy_cannot_find_the_emulator_stack(tmp_path):
    """Finding 9 of issue 11: `cdktf deploy billing-local` would have deployed local state to the real account."""
    cdktf = REPO_ROOT / "node_modules" / ".bin" / "cdktf"
    if not cdktf.exists():
        pytest.skip("node_modules/.bin/cdktf is missing: run `make setup` (npm ci) first")
    result = subprocess.run([str(cdktf), "deploy", "billing-local", "--auto-approve", "--output", str(tmp_path / "o")],
                            cwd=REPO_ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "Could not find stack for pattern 'billing-local'" in result.stdout + result.stderr


def test_the_emulator_stack_names_a_provider_terraform_can_never_install(stacks):
    sources = {env: doc["terraform"]["required_providers"]["snowflake"]["source"] for env, doc in stacks.items()}
    assert sources["local"].split("/")[0].endswith(".invalid")
    assert {sources[e] for e in ("dev", "staging", "prod")} == {"snowflakedb/snowflake"}


def test_current_stacks_reuses_a_current_synthesis_and_redoes_a_stale_one(synthesized, monkeypatch):
    from ysg_stacks import app

    outdir = next(iter(synthesized.values())).parent.parent
    assert app.current_stacks(outdir) == (synthesized, False)
    calls = []
    monkeypatch.setattr(app, "synthesize", lambda out: calls.append(out) or synthesized)
    monkeypatch.setattr(app, "stale_synthesis", lambda out: "a source changed")   # as if one had
    assert app.current_stacks(outdir) == (synthesized, True) and calls == [outdir]


FAKETIME = shutil.which("faketime")
TWO_YEARS = "+730d"


@pytest.mark.skipif(FAKETIME is None, reason="libfaketime is not installed (Debian package faketime; "
                                             "`make test` installs it): the clock cannot be moved here")
def test_synthesis_with_the_clock_two_years_ahead_writes_identical_stacks(synthesized, tmp_path):
    """Nothing synthesized may depend on the day of synthesis (finding 3 of issue 11). libfaketime moves
    the clock of Python and of jsii's node process alike."""
    ahead = subprocess.run([FAKETIME, "-f", TWO_YEARS, sys.executable, "-c", "import time; print(time.time())"],
                           capture_output=True, text=True, check=True)
    assert float(ahead.stdout) > time.time() + 700 * 86400   # the clock really moves
    outdir = tmp_path / "out"
    subprocess.run([FAKETIME, "-f", TWO_YEARS, sys.executable, "-m", "ysg_stacks.app"], cwd=REPO_ROOT,
                   env={**ENV, "CDKTF_OUTDIR": str(outdir)}, check=True, capture_output=True, timeout=600)
    for env, stack_dir in synthesized.items():
        now = {p.relative_to(stack_dir): p.read_bytes() for p in stack_dir.rglob("*") if p.is_file()}
        later_dir = outdir / "stacks" / stack_dir.name
        later = {p.relative_to(later_dir): p.read_bytes() for p in later_dir.rglob("*") if p.is_file()}
        assert sorted(later) == sorted(now), env
        assert [name for name in now if later[name] != now[name]] == [], env
