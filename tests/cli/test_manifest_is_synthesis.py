"""The runner applies only what synthesis of the current sources writes, and staleness is judged by
content (issue 13, item 8): a hand-edited hooks.json with its checksums recomputed is refused, a deleted
knowledge document is noticed, a touched file is not."""
from __future__ import annotations

import json
import shutil

import pytest

from ysg import operate
from ysg.cli import main
from ysg_core import paths
from ysg_core.knowledge import KNOWLEDGE_DIR, documents_json
from ysg_hooks.manifest import MANIFEST_FILE, checksum, file_checksum, load_manifest, write_manifest


@pytest.fixture
def local_stack(synthesized, tmp_path, monkeypatch):
    """The synthesized `local` stack in a scratch cdktf.out, and the emulator in a scratch folder."""
    monkeypatch.setattr(operate, "OUTDIR", tmp_path / "cdktf.out")
    monkeypatch.setattr(paths, "EMULATOR_DIR", tmp_path / "emulator")
    return shutil.copytree(synthesized["local"], tmp_path / "cdktf.out" / "stacks" / "billing-local")


def edit(stack_dir, change) -> str:
    """Edit hooks.json as an attacker would, checksums recomputed so it loads; return its file checksum."""
    path = stack_dir / MANIFEST_FILE
    data = json.loads(path.read_text())
    change(data["hooks"])
    for hook in data["hooks"]:
        hook["checksum"] = checksum(hook["statements"], hook["role"])
    path.write_text(json.dumps(data, indent=2) + "\n")
    load_manifest(path)                          # it passes the manifest's own checks
    return file_checksum(path)


def _hook(hooks, name):
    return next(h for h in hooks if h["name"] == name)


def test_an_edited_statement_with_its_checksums_recomputed_is_refused_as_planned(local_stack, capsys):
    """The issue's case, through the path `cdktf deploy` takes (--manifest, --expect-checksum)."""
    planned = edit(local_stack, lambda hooks: _hook(hooks, "stg.v_usage_enriched")["statements"].__setitem__(
        0, "CREATE OR REPLACE VIEW SNOWFLAKE_EXAMPLE_LOCAL.SFE_STG_TELECOM.V_USAGE_ENRICHED AS SELECT 1 AS X"))
    code = main(["hooks", "apply", "local", "--manifest", str(local_stack / MANIFEST_FILE),
                 "--expect-checksum", planned])
    err = capsys.readouterr().err
    assert (code, "not what synthesis of the current sources writes (hook stg.v_usage_enriched "
                  "(sql/stg/v_usage_enriched.sql): statement 1 differs)" in err) == (2, True)


def test_a_hook_added_to_the_manifest_by_hand_is_refused(local_stack, capsys):
    def add(hooks):
        extra = dict(_hook(hooks, "analytics.dim_customer"), name="analytics.extra", order=len(hooks),
                     depends_on=[h["name"] for h in hooks])      # last, so the order still holds
        extra["statements"] = ["DROP SCHEMA SNOWFLAKE_EXAMPLE_LOCAL.SFE_RAW_BILLING"]
        hooks.append(extra)
    planned = edit(local_stack, add)
    code = main(["hooks", "apply", "local", "--manifest", str(local_stack / MANIFEST_FILE),
                 "--expect-checksum", planned])
    assert (code, "hooks the sources do not declare: analytics.extra" in capsys.readouterr().err) == (2, True)


@pytest.fixture
def synthesis_stub(monkeypatch, configs):
    """`synthesize` as far as the hooks go: writes each environment's manifest as the sources derive it."""
    from ysg_stacks import app, data_hooks

    calls = []

    def synthesize(outdir):
        calls.append(outdir)
        for config in configs.values():
            folder = paths.stack_dir(outdir, config.names.stack)
            folder.mkdir(parents=True, exist_ok=True)
            write_manifest(folder, data_hooks.hook_manifest(config))
    monkeypatch.setattr(app, "synthesize", synthesize)
    return calls


def test_an_edited_manifest_on_the_everyday_path_is_replaced_by_synthesis(local_stack, configs, synthesis_stub):
    edit(local_stack, lambda hooks: _hook(hooks, "analytics.dim_customer")["statements"].__setitem__(
        0, "CREATE OR REPLACE VIEW SNOWFLAKE_EXAMPLE_LOCAL.SFE_ANALYTICS_COSTS.DIM_CUSTOMER AS SELECT 1 AS X"))
    manifest = operate.manifest_for(configs["local"])
    assert (len(synthesis_stub), manifest.to_json()) == (1, operate.expected_manifest(configs["local"]).to_json())


def test_a_deleted_knowledge_document_is_not_nothing_to_do(local_stack, configs, synthesis_stub, monkeypatch,
                                                          tmp_path):
    """hooks.json is newer than every source, but a document is gone: the knowledge base hook changes."""
    from ysg_stacks import data_hooks

    kept = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, kept)
    gone = sorted(kept.glob("*.md"))[0]
    title = next(line for line in gone.read_text().splitlines() if line.startswith("doc_title"))
    gone.unlink()
    monkeypatch.setattr(data_hooks, "documents_json", lambda: documents_json(kept))
    manifest = operate.manifest_for(configs["local"])
    (kb,) = [h for h in manifest.hooks if h.name == "knowledge.billing_kb"]
    assert (len(synthesis_stub), title.split(":", 1)[1].strip() in kb.statements[0]) == (1, False)


def _sources_copy(tmp_path):
    root = tmp_path / "repo"
    for top in paths.SYNTH_SOURCES:
        shutil.copytree(paths.REPO_ROOT / top, root / top, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_sources_digest_follows_content_not_modification_times(tmp_path):
    root = _sources_copy(tmp_path)
    before = paths.sources_digest(root)
    document = sorted((root / "data" / "knowledge").glob("*.md"))[0]
    document.touch()                                   # newer, same content: the same digest
    touched = paths.sources_digest(root)
    document.unlink()                                  # gone: another digest
    assert (touched == before, paths.sources_digest(root) == before) == (True, False)


def test_a_synthesis_whose_sources_changed_is_redone_whatever_the_file_times(synthesized, tmp_path, monkeypatch):
    from ysg_stacks import app

    outdir = shutil.copytree(next(iter(synthesized.values())).parent.parent, tmp_path / "cdktf.out")
    assert app.current_stacks(outdir)[1] is False
    (outdir / paths.SOURCES_FILE).write_text("sha256:" + "0" * 64 + "\n")   # synthesized from other sources
    calls = []
    monkeypatch.setattr(app, "synthesize", lambda out: calls.append(out) or {})
    app.current_stacks(outdir)
    assert calls == [outdir]
