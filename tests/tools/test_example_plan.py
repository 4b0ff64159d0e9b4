"""docs/example-plan-staging-warehouse-resize.md is what tools/example_plan.py makes now: the example plan
cannot go stale. Regenerating takes two syntheses and a scan (tens of seconds), once per session."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from ysg_core.paths import REPO_ROOT

SCRIPT = REPO_ROOT / "tools" / "example_plan.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("example_plan_tool", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated(tool) -> str:
    return tool.render(REPO_ROOT)


def test_the_committed_example_plan_is_the_one_the_script_makes_now(tool, regenerated):
    committed = tool.DOC.read_text(encoding="utf-8")
    assert regenerated == committed, "stale: run `.venv/bin/python tools/example_plan.py` and commit the result"


def test_the_example_is_the_plan_of_the_documented_change(regenerated):
    # What the comparison above compares is a real plan of the resize, not an empty or failed one.
    assert "| `warehouse_size` | `XSMALL` | `SMALL` |" in regenerated
    assert "| staging | 0 | 1 | 0 | 0 | 0 | unchanged |" in regenerated


def test_only_the_commit_id_varies_and_it_is_replaced(tool):
    title = "# Plan: `0123456789ab + uncommitted changes` against `HEAD` (0123456789ab)\n"
    assert tool.normalise(title, "0123456789abcdef" * 2) == tool.normalise(
        title.replace("0123456789ab", "fedcba987654"), "fedcba987654" + "0" * 28)


def test_a_change_that_no_longer_applies_is_refused_naming_the_file(tool, tmp_path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "staging.yaml").write_text("target: snowflake\nwarehouse:\n  size: MEDIUM\n")
    with pytest.raises(tool.ExamplePlanError, match="environments/staging.yaml already has a `warehouse:` key"):
        tool.make_change(tmp_path)
