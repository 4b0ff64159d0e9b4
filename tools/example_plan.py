"""Regenerate docs/example-plan-staging-warehouse-resize.md: what `ysg plan` shows for one real change.

In a temporary git worktree of this checkout (its tracked files as they are now, uncommitted edits
included), the documented change is made -- staging's warehouse resized from XSMALL to SMALL -- and
`ysg plan --base HEAD` runs there, offline, with that worktree's own code. The only part of the output
that varies between runs, the commit id in the title, is replaced in one place (`normalise`), so the
file is reproducible byte for byte; tests/tools/test_example_plan.py regenerates it and compares.

    .venv/bin/python tools/example_plan.py           # rewrite the file
    .venv/bin/python tools/example_plan.py --check   # exit 1 when the committed file is stale
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "example-plan-staging-warehouse-resize.md"
HEADER = "<!-- Written by tools/example_plan.py (a test checks it is current): do not edit by hand. -->\n"
CHANGED_FILE = "environments/staging.yaml"
CHANGE = "warehouse:\n  size: SMALL\n"
# Where the scan finds checkov, relative to the checkout whose code runs: linked into the worktree.
LINKED = (".venv-checkov",)
NODE_ENV = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CHECKPOINT_DISABLE": "1"}


class ExamplePlanError(RuntimeError):
    """The example could not be made: the change no longer applies, or `ysg plan` could not run."""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise ExamplePlanError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def normalise(text: str, base_sha: str) -> str:
    """The one varying part of the plan: the base commit's id, in its title."""
    return text.replace(base_sha[:12], "<commit>")


def source_roots(checkout: Path) -> list[str]:
    """The checkout's own source roots (pyproject's package search), first on the path so its code runs."""
    project = tomllib.loads((checkout / "pyproject.toml").read_text(encoding="utf-8"))
    return [str(checkout / root) for root in project["tool"]["setuptools"]["packages"]["find"]["where"]]


def make_change(checkout: Path) -> None:
    path = checkout / CHANGED_FILE
    text = path.read_text(encoding="utf-8")
    if re.search(r"^warehouse:", text, re.MULTILINE):
        raise ExamplePlanError(f"{CHANGED_FILE} already has a `warehouse:` key: the documented change "
                               "(add warehouse.size SMALL) no longer applies; update tools/example_plan.py")
    path.write_text(text + CHANGE, encoding="utf-8")


def render(repo: Path = REPO) -> str:
    """The document, regenerated from the checkout's current tracked files."""
    base = git(repo, "stash", "create") or git(repo, "rev-parse", "HEAD")   # a commit of the tracked files as now
    base_sha = git(repo, "rev-parse", f"{base}^{{commit}}")
    scratch = Path(tempfile.mkdtemp(prefix="ysg-example-plan-"))
    checkout = scratch / "checkout"
    try:
        git(repo, "worktree", "add", "--detach", "--quiet", str(checkout), base_sha)
        for name in LINKED:
            if (repo / name).exists():
                (checkout / name).symlink_to((repo / name).resolve())
        make_change(checkout)
        out = scratch / "plan.md"
        env = {**os.environ, **NODE_ENV, "PYTHONPATH": os.pathsep.join(source_roots(checkout))}
        done = subprocess.run([sys.executable, "-m", "ysg.cli", "plan", "--base", "HEAD", "--out", str(out)],
                              cwd=checkout, env=env, capture_output=True, text=True)
        if done.returncode not in (0, 1):      # 1: the plan refuses the change, which the document shows
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            raise ExamplePlanError(f"ysg plan exited {done.returncode}:\n{tail}")
        return HEADER + normalise(out.read_text(encoding="utf-8"), base_sha)
    finally:
        subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(checkout)], capture_output=True)
        subprocess.run(["git", "-C", str(repo), "worktree", "prune"], capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the file is stale")
    args = parser.parse_args(argv)
    try:
        text = render()
    except ExamplePlanError as exc:
        print(f"example plan: {exc}", file=sys.stderr)
        return 2
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if args.check:
        if text != current:
            print(f"{DOC.relative_to(REPO)} is stale: run .venv/bin/python tools/example_plan.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
