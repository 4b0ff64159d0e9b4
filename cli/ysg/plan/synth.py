"""Synthesize a checkout offline in its own process: the working tree, or a git ref in a temporary worktree.

The checkout's source roots (as its own pyproject.toml lists them) go first on PYTHONPATH, so its own code
runs, not the editable install of the repository `ysg` was installed from (setuptools' editable finder sits
after the path finder), whatever layout that checkout has.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Iterator

from ysg_core.paths import NODE_TOOL_ENV

STACK_PREFIX = "billing-"


class SynthError(RuntimeError):
    """A checkout could not be synthesized, or a ref could not be checked out."""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SynthError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def repository_root(start: Path) -> Path:
    return Path(git(start, "rev-parse", "--show-toplevel"))


@contextlib.contextmanager
def worktree(repo: Path, ref: str) -> Iterator[tuple[Path, str]]:
    """Check `ref` out in a temporary worktree; removed afterwards, whatever happens inside."""
    found = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                           capture_output=True, text=True)
    sha = found.stdout.strip()
    if found.returncode != 0 or not sha:
        raise SynthError(f"unknown git ref {ref!r} in {repo}")
    scratch = Path(tempfile.mkdtemp(prefix="ysg-plan-base-"))
    path = scratch / "base"
    try:
        git(repo, "worktree", "add", "--detach", "--quiet", str(path), sha)
        yield path, sha
    finally:
        subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(path)], capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)
        subprocess.run(["git", "-C", str(repo), "worktree", "prune"], capture_output=True)


def source_roots(root: Path) -> list[str]:
    """The checkout's source roots: the folders its pyproject.toml gives setuptools to find packages in."""
    path = Path(root) / "pyproject.toml"
    try:
        return list(tomllib.loads(path.read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]["find"]["where"])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise SynthError(f"{path}: cannot read the source roots ([tool.setuptools.packages.find] where): {exc}") from None


def synthesize_checkout(root: Path, outdir: Path, label: str, python: str = sys.executable) -> dict[str, Path]:
    """Run the checkout's own app (`python -m ysg_stacks.app`) into `outdir`; env -> stack folder."""
    root = Path(root).resolve()
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(root / r) for r in source_roots(root)] + inherited),
           "CDKTF_OUTDIR": str(outdir),
           **NODE_TOOL_ENV}
    done = subprocess.run([python, "-m", "ysg_stacks.app"], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise SynthError(f"synthesis of {label} failed (exit {done.returncode}):\n{tail}")
    stacks = Path(outdir) / "stacks"
    found = {d.name.removeprefix(STACK_PREFIX): d for d in sorted(stacks.iterdir())
             if (d / "cdk.tf.json").exists()} if stacks.is_dir() else {}
    if not found:
        raise SynthError(f"synthesis of {label} wrote no stack under {stacks}")
    return found


def read_stack(stack_dir: Path | None) -> dict | None:
    if stack_dir is None:
        return None
    return json.loads((Path(stack_dir) / "cdk.tf.json").read_text(encoding="utf-8"))
