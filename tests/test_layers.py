"""The import contract (pyproject.toml, [tool.importlinter]): every import points down the layers, command
line > stacks > constructs | hooks | policy pack > core, checked by import-linter as a developer runs it;
and the negative control: a lower layer that imports a higher one breaks it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

from ysg.plan.synth import source_roots
from ysg_core.paths import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LAYERS = ["ysg", "ysg_stacks", "ysg_constructs | ysg_hooks | ysg_policies", "ysg_core"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the checkout at `root`: its source roots (and nothing else of ours) on the path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(root / r) for r in source_roots(root))}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True)


def test_the_layers_are_the_ones_the_folders_show():
    from importlinter.api import read_configuration

    contracts = read_configuration(str(REPO_ROOT / "pyproject.toml"))["contracts_options"]
    layers = next(c for c in contracts if c["type"] == "layers")
    assert (layers["layers"], source_roots(REPO_ROOT)) == (
        LAYERS, ["core", "constructs", "hooks", "policies", "stacks", "cli"])


def test_every_import_contract_is_kept():
    done = lint_imports(REPO_ROOT)
    assert (done.returncode, "Contracts: 4 kept, 0 broken." in done.stdout) == (0, True), done.stdout + done.stderr


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(tmp_path):
    """The negative control: the same contract on a copy where the core imports the stacks."""
    for name in (*source_roots(REPO_ROOT), "pyproject.toml"):
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    naming = tmp_path / "core" / "ysg_core" / "naming.py"
    naming.write_text(naming.read_text(encoding="utf-8") + "\n\ndef _up():\n    from ysg_stacks import app  # noqa\n",
                      encoding="utf-8")
    done = lint_imports(tmp_path)
    assert (done.returncode, "ysg_core is not allowed to import ysg_stacks" in done.stdout,
            "ysg_core.naming -> ysg_stacks.app" in done.stdout) == (1, True, True), done.stdout + done.stderr


def test_the_policy_pack_reaches_only_the_standard_library_and_two_core_modules():
    """checkov's own environment loads the pack (policies/checkov_pack): whatever the pack imports, directly
    or through the core, must be there without our dependencies."""
    graph = grimp.build_graph("ysg_policies", "ysg_core", include_external_packages=True, cache_dir=None)
    reached = set()
    for module in graph.find_descendants("ysg_policies") | {"ysg_policies"}:
        reached |= graph.find_upstream_modules(module)
    ours = sorted(m for m in reached if m.split(".")[0].startswith("ysg") and m.split(".")[0] != "ysg_policies")
    theirs = sorted(m for m in reached if not m.split(".")[0].startswith("ysg")
                    and m.split(".")[0] not in sys.stdlib_module_names)
    assert (ours, theirs) == (["ysg_core.network_allowlist", "ysg_core.paths"], [])
