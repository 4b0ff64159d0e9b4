"""A stack that still holds example values refuses to plan (finding 4 of issue 11), checked with the
Terraform binary itself where one is installed: its part of the stack needs no provider."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from ysg_core.paths import NODE_TOOL_ENV
from ysg_stacks.app import synthesize

from real_values import make_deployable
from tfdoc import resources

TERRAFORM = shutil.which("terraform")


def _guards(document: dict) -> dict[str, dict]:
    return {rid: body for rid, body in resources(document, "terraform_data").items() if "lifecycle" in body}


def _guard_only(document: dict) -> dict:
    """The guard and the local value it reads: a configuration Terraform can plan offline."""
    return {"locals": document["locals"], "resource": {"terraform_data": _guards(document)}}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_snowflake_stack_holding_examples_carries_the_guard_listing_them(stacks, env):
    (guard,) = _guards(stacks[env]).values()
    (values,) = stacks[env]["locals"].values()
    assert any("203.0.113.0/28 is a documentation range" in v for v in values)
    assert guard["lifecycle"]["precondition"][0]["condition"].startswith("${(length(local.")


def test_the_emulator_stack_has_no_guard(stacks):
    assert _guards(stacks["local"]) == {}


def test_a_stack_without_examples_has_no_guard(env_dir, tmp_path):
    make_deployable(env_dir, "prod")
    stack = json.loads((synthesize(tmp_path / "out", environments_dir=env_dir)["prod"] / "cdk.tf.json").read_text())
    assert _guards(stack) == {} and "locals" not in stack


@pytest.mark.skipif(TERRAFORM is None, reason="no terraform binary on PATH: the guard's plan cannot be run here")
def test_terraform_refuses_to_plan_the_prod_stack_naming_the_examples(stacks, tmp_path):
    (tmp_path / "main.tf.json").write_text(json.dumps(_guard_only(stacks["prod"])))
    env = {**os.environ, **NODE_TOOL_ENV, "TF_IN_AUTOMATION": "1"}
    init = subprocess.run([TERRAFORM, "init", "-input=false", "-no-color"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stdout + init.stderr
    plan = subprocess.run([TERRAFORM, "plan", "-input=false", "-no-color"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    output = " ".join((plan.stdout + plan.stderr).split())   # Terraform wraps long messages
    assert plan.returncode == 1 and "Resource precondition failed" in output
    assert "billing-prod still holds example values" in output and "123456789012" in output
