"""`cdktf deploy` runs the post-apply hooks (issue 12): the stack's hook trigger, keyed on the manifest's
checksum, after every other resource; checked with the terraform binary itself where one is installed."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess

import pytest
from edits import edit

from ysg_core.paths import NODE_TOOL_ENV
from ysg_hooks.manifest import file_checksum
from ysg_stacks.app import synthesize

from tfdoc import resources

TERRAFORM = shutil.which("terraform")


def _trigger(document: dict) -> tuple[str, dict]:
    (found,) = [(rid, body) for rid, body in resources(document, "terraform_data").items() if "provisioner" in body]
    return found


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_the_trigger_runs_this_stacks_manifest_after_every_other_resource(synthesized, stacks, env):
    rid, trigger = _trigger(stacks[env])
    checksum = file_checksum(synthesized[env] / "hooks.json")
    assert trigger["triggers_replace"] == {"hook_manifest": checksum}
    assert trigger["provisioner"] == [{"local-exec": {"command": (
        f"../../../.venv/bin/ysg hooks apply {env} --manifest hooks.json --expect-checksum {checksum}")}}]
    everything_else = {f"{rtype}.{name}" for rtype, items in stacks[env]["resource"].items() for name in items
                       if f"{rtype}.{name}" != f"terraform_data.{rid}"}
    assert set(trigger["depends_on"]) == everything_else


def test_the_emulator_stack_has_no_trigger(stacks):
    assert not [b for b in resources(stacks["local"], "terraform_data").values() if "provisioner" in b]


def test_the_trigger_changes_exactly_when_a_hooks_sql_changes(env_dir, tmp_path, stacks):
    edit(env_dir / "prod.yaml", "warehouse:\n  size: SMALL\n", "warehouse:\n  size: MEDIUM\n")  # no hook reads it
    other = synthesize(tmp_path / "other", environments_dir=env_dir)["prod"]
    with (env_dir / "prod.yaml").open("a") as handle:
        handle.write("hooks:\n  anomaly_factor: 1.5\n")                                     # a hook renders it
    sql = synthesize(tmp_path / "sql", environments_dir=env_dir)["prod"]
    value = {name: _trigger(json.loads((d / "cdk.tf.json").read_text()))[1]["triggers_replace"]["hook_manifest"]
             for name, d in (("other", other), ("sql", sql))}
    shipped = _trigger(stacks["prod"])[1]["triggers_replace"]["hook_manifest"]
    assert value["other"] == shipped and value["sql"] != shipped


STAND_IN = """#!/bin/sh
echo "$@" >> "$YSG_TRIGGER_LOG"
exit "${YSG_TRIGGER_EXIT:-0}"
"""


@pytest.mark.skipif(TERRAFORM is None, reason="no terraform binary on PATH: the trigger cannot be applied here")
def test_terraform_runs_the_hooks_once_per_manifest_and_a_failure_stops_the_deploy(synthesized, stacks, tmp_path):
    """The prod stack's trigger as synthesized (command, key, manifest), applied by Terraform with `ysg`
    replaced by a stand-in that logs its arguments: it runs on the first apply, not on an unchanged
    second one, again for another manifest, and its failure fails the apply and is retried."""
    stack = tmp_path / "cdktf.out" / "stacks" / "billing-prod"
    stack.mkdir(parents=True)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    ysg = tmp_path / ".venv" / "bin" / "ysg"
    ysg.write_text(STAND_IN)
    ysg.chmod(ysg.stat().st_mode | stat.S_IEXEC)
    rid, trigger = _trigger(stacks["prod"])
    log = tmp_path / "runs.log"

    def apply(hook_manifest: str | None = None, exit_code: int = 0) -> int:
        body = {k: v for k, v in trigger.items() if k != "depends_on"}   # the rest is Snowflake's
        if hook_manifest:
            body = {**body, "triggers_replace": {"hook_manifest": hook_manifest}}
        (stack / "main.tf.json").write_text(json.dumps({"resource": {"terraform_data": {rid: body}}}))
        env = {**os.environ, **NODE_TOOL_ENV, "TF_IN_AUTOMATION": "1", "YSG_TRIGGER_LOG": str(log),
               "YSG_TRIGGER_EXIT": str(exit_code)}
        for command in (["init", "-input=false"], ["apply", "-input=false", "-auto-approve"]):
            done = subprocess.run([TERRAFORM, *command, "-no-color"], cwd=stack, env=env, capture_output=True,
                                  text=True, timeout=120)
            if done.returncode:
                return done.returncode
        return 0

    def runs() -> list[str]:
        return log.read_text().splitlines() if log.exists() else []

    checksum = trigger["triggers_replace"]["hook_manifest"]
    assert apply() == 0 and runs() == [f"hooks apply prod --manifest hooks.json --expect-checksum {checksum}"]
    assert apply() == 0 and len(runs()) == 1                              # unchanged manifest: no run
    assert apply("sha256:" + "0" * 64, exit_code=1) != 0 and len(runs()) == 2   # a failing hook fails it
    assert apply("sha256:" + "0" * 64) == 0 and len(runs()) == 3          # tainted, so run again
