"""hooks.py: hooks added, changed and removed between two hook manifests, with their SQL diff."""
from __future__ import annotations

from ysg.plan.hooks import diff_hooks
from ysg_hooks.manifest import Manifest, RenderedHook, ordered, write_manifest


def manifest_dir(path, **hooks):
    path.mkdir()
    rendered = ordered([RenderedHook(name, f"sql/{name}.sql", (), False, "", tuple(statements))
                        for name, statements in hooks.items()])
    write_manifest(path, Manifest("prod", "billing-prod", "snowflake", rendered))
    return path


def test_a_changed_hook_has_a_unified_diff_of_its_sql(tmp_path):
    before = manifest_dir(tmp_path / "a", v=["CREATE OR REPLACE VIEW V AS SELECT 1 AS X"])
    after = manifest_dir(tmp_path / "b", v=["CREATE OR REPLACE VIEW V AS SELECT 2 AS X"])
    (change,) = diff_hooks(before, after)
    assert change.diff.splitlines()[2:] == [
        "@@ -1 +1 @@", "-CREATE OR REPLACE VIEW V AS SELECT 1 AS X;", "+CREATE OR REPLACE VIEW V AS SELECT 2 AS X;"]


def test_added_removed_and_unchanged_hooks(tmp_path):
    before = manifest_dir(tmp_path / "a", keep=["SELECT 1"], gone=["SELECT 2"])
    after = manifest_dir(tmp_path / "b", keep=["SELECT 1"], new=["SELECT 3"])
    assert [(c.name, c.action) for c in diff_hooks(before, after)] == [("gone", "removed"), ("new", "added")]


def test_a_side_without_a_manifest_has_no_hooks(tmp_path):
    (tmp_path / "a").mkdir()
    after = manifest_dir(tmp_path / "b", new=["SELECT 3"])
    assert [(c.name, c.action) for c in diff_hooks(tmp_path / "a", after)] == [("new", "added")]
