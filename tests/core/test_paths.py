"""core/ysg_core/paths.py: when a synthesized file is stale."""
import os

from ysg_core import paths


def test_a_newer_knowledge_document_makes_a_synthesis_stale(tmp_path, monkeypatch):
    # The knowledge documents and the app's files are rendered into hooks.json: they count as sources.
    built = tmp_path / "hooks.json"
    built.write_text("{}")
    os.utime(built, (1_000_000_000, 1_000_000_000))   # older than every file of the repository
    assert paths.newer_source(built) is not None
    assert "data" in paths.SYNTH_SOURCES and "app" in paths.SYNTH_SOURCES and "sql" in paths.SYNTH_SOURCES


def test_a_missing_file_is_stale_and_a_fresh_one_is_not(tmp_path):
    missing = tmp_path / "nope.json"
    assert paths.newer_source(missing) == missing
    fresh = tmp_path / "fresh.json"
    fresh.write_text("{}")
    future = 4_000_000_000
    os.utime(fresh, (future, future))
    assert paths.newer_source(fresh) is None
