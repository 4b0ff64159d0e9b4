"""Inputs of the live commands and of synthesis that must not be taken for something else: an environment
named by a path, and the scratch folder a killed synthesis leaves behind."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ysg.cli import main
from ysg_core.paths import REPO_ROOT


@pytest.mark.parametrize("command", ["hooks plan", "hooks apply", "query", "deploy"])
@pytest.mark.parametrize("name", ["keys/../prod", "./prod", "../environments/prod"])
def test_an_environment_is_a_name_never_a_path(command, name, capsys):
    args = command.split() + [name] + (["SELECT 1"] if command == "query" else [])
    try:
        code = main(args)
    except SystemExit as exit_:   # refused while the arguments are parsed (cli/ysg/arguments.py)
        code = exit_.code
    err = capsys.readouterr().err
    assert (code, f"environment name {name!r} is not valid" in err, "prod" not in err.replace(name, "")) == (
        2, True, True)


def test_a_killed_synthesis_leaves_nothing_git_would_commit(tmp_path):
    """The scratch folder is git-ignored, and the next synthesis removes it once its process is gone; one whose
    process still runs (a synthesis in progress) is left alone."""
    from ysg_stacks.app import SCRATCH_PREFIX, remove_dead_scratch

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / f"{SCRATCH_PREFIX}{dead.pid}-k1ll3d"
    running = tmp_path / f"{SCRATCH_PREFIX}{os.getppid()}-busy"
    for folder in (left, running):
        (folder / "stacks").mkdir(parents=True)
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{SCRATCH_PREFIX}{dead.pid}-k1ll3d/stacks/x"],
                             cwd=REPO_ROOT).returncode == 0
    assert (ignored, remove_dead_scratch(tmp_path), running.exists()) == (True, [left], True)
