"""synth.py: the base checked out in a temporary worktree that never outlives the plan."""
from __future__ import annotations

import pytest

from ysg.plan.synth import SynthError, git, worktree


def worktrees(repo) -> list[str]:
    return [line for line in git(repo, "worktree", "list", "--porcelain").splitlines() if line.startswith("worktree ")]


def test_the_base_worktree_is_removed_even_when_the_plan_fails(histories):
    with pytest.raises(RuntimeError, match="synthesis blew up"):
        with worktree(histories.repo, histories.base_sha) as (path, sha):
            assert (path / "stacks" / "ysg_stacks" / "app.py").exists()
            raise RuntimeError("synthesis blew up")
    assert (worktrees(histories.repo), path.exists()) == ([f"worktree {histories.repo}"], False)


def test_the_worktree_holds_the_base_commit(histories):
    with worktree(histories.repo, histories.base_sha) as (path, sha):
        assert git(path, "rev-parse", "HEAD") == sha == histories.base_sha


def test_an_unknown_ref_is_refused_by_name(histories):
    with pytest.raises(SynthError, match="unknown git ref 'no-such-branch'"):
        with worktree(histories.repo, "no-such-branch"):
            pass
