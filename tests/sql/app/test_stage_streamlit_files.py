"""The hook SQL that stages the app (sql/app/stage_streamlit_files.sql): every app file, run on the emulator."""
from __future__ import annotations

import os
import re
from pathlib import Path

from ysg_core.paths import REPO_ROOT

PUT = re.compile(r"^PUT 'file://(app/[^']+)' @SNOWFLAKE_EXAMPLE_LOCAL\.SFE_ANALYTICS_COSTS\.SFE_BILLING_OPS_APP_STAGE/(\S*) ",
                 re.M)


def _statements(synthesized) -> list[str]:
    from ysg_hooks.manifest import load_manifest

    return list(load_manifest(synthesized["local"]).by_name()["app.stage_streamlit_files"].statements)


def _app_files() -> set[str]:
    from ysg_stacks.data_hooks import app_files

    files = set(app_files())
    assert "app/Cost_overview.py" in files
    return files


def test_the_digest_follows_the_app_files(tmp_path, monkeypatch):
    from ysg_stacks import data_hooks

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "a.py").write_text("x = 1")
    monkeypatch.setattr(data_hooks, "REPO_ROOT", tmp_path)
    before = data_hooks.app_files_digest()
    (tmp_path / "app" / "a.py").write_text("x = 2")
    assert data_hooks.app_files_digest() != before


def test_every_app_file_is_put_at_its_place_on_the_stage(synthesized):
    puts = {m.group(1): m.group(2) for m in PUT.finditer("\n".join(_statements(synthesized)))}
    expected = {}
    for f in _app_files():
        folder = Path(f).parent.relative_to("app").as_posix()
        expected[f] = "" if folder == "." else f"{folder}/"
    assert puts == expected


def test_the_puts_run_on_the_emulator(synthesized, tmp_path, monkeypatch):
    from fakesnow.instance import FakeSnow

    emulator = FakeSnow(db_path=tmp_path)
    monkeypatch.chdir(REPO_ROOT)  # the runner runs from the repository root
    try:
        cursor = emulator.connect(database="SNOWFLAKE_EXAMPLE_LOCAL", schema="SFE_ANALYTICS_COSTS",
                                  paramstyle="qmark").cursor()
        cursor.execute("CREATE STAGE SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE "
                       "ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE') DIRECTORY = (ENABLE = TRUE)")
        for statement in _statements(synthesized):
            cursor.execute(statement)
        cursor.execute("LIST @SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE")
        listed = {row[0].split("/", 1)[1] for row in cursor.fetchall()}
    finally:
        emulator.duck_conn.close()
    assert listed == {os.path.relpath(f, "app") for f in _app_files()}
