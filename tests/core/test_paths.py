"""core/ysg_core/paths.py: what counts as a synthesis source, and when a synthesis is stale."""
from __future__ import annotations

import os

import grimp

from ysg_core import paths

OLD, NEW = 1_000_000_000, 2_000_000_000   # modification times: 2001 and 2033


def _sources(root):
    """A repository of one old file under each synthesis source."""
    for top in paths.SYNTH_SOURCES:
        (root / top).mkdir(parents=True)
        (root / top / "f.txt").write_text(top)
        os.utime(root / top / "f.txt", (OLD, OLD))
    return root


def test_the_digest_follows_content_not_modification_times(tmp_path):
    root = _sources(tmp_path)
    document = root / "data" / "knowledge.md"
    first = paths.sources_digest(root)
    document.write_text("a policy")
    added = paths.sources_digest(root)
    os.utime(document, (NEW, NEW))
    touched = paths.sources_digest(root)
    document.write_text("another policy")
    changed = paths.sources_digest(root)
    (root / "core" / "__pycache__").mkdir()
    (root / "core" / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\x00")
    compiled = paths.sources_digest(root)
    document.unlink()
    removed = paths.sources_digest(root)
    assert (len({first, added, changed}), touched == added, compiled == changed, removed == first) == (3, True, True, True)


def test_a_synthesis_is_stale_when_a_source_is_newer_and_only_then(tmp_path, monkeypatch):
    root = _sources(tmp_path / "repo")
    monkeypatch.setattr(paths, "REPO_ROOT", root)
    built = tmp_path / "hooks.json"
    built.write_text("{}")
    os.utime(built, (OLD + 1, OLD + 1))
    before = paths.newer_source(built)        # the negative control: every source is older
    os.utime(root / "app" / "f.txt", (NEW, NEW))
    assert (before, paths.newer_source(built), paths.newer_source(tmp_path / "missing.json")) == (
        None, root / "app" / "f.txt", tmp_path / "missing.json")


def test_the_code_synthesis_reads_is_what_the_stacks_import_no_more_no_less():
    """A package the stacks import (directly or not) that is not a synthesis source would let a synthesis look
    current after that package changed; one they never import would make every edit of it re-synthesize."""
    folders = {"ysg_core": "core", "ysg_constructs": "constructs", "ysg_hooks": "hooks", "ysg_policies": "policies",
               "ysg_stacks": "stacks", "ysg": "cli"}
    graph = grimp.build_graph(*folders, cache_dir=None)
    imported = {m.split(".")[0] for m in graph.find_upstream_modules("ysg_stacks", as_package=True)} | {"ysg_stacks"}
    assert sorted(t for t in paths.SYNTH_SOURCES if t in folders.values()) == sorted(folders[p] for p in imported)
