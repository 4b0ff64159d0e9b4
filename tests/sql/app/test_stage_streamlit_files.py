"""The hook SQL that stages the app (sql/app/stage_streamlit_files.sql): every app file, run on the emulator."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")
REPO_ROOT = Path(__file__).resolve().parents[3]
SQL_FILE = REPO_ROOT / "sql" / "app" / "stage_streamlit_files.sql"
PUT = re.compile(r"^PUT 'file://(app/[^']+)' @SFE_ANALYTICS_COSTS\.SFE_BILLING_OPS_APP_STAGE/(\S*) ", re.M)


def _statements() -> list[str]:
    text = "\n".join(line for line in SQL_FILE.read_text().splitlines() if not line.startswith("--"))
    return [s.strip() for s in text.split(";") if s.strip()]


def _app_files() -> set[str]:
    app = REPO_ROOT / "app"
    return {str(p.relative_to(REPO_ROOT)) for p in app.rglob("*")
            if p.is_file() and p.suffix in (".py", ".yml") and "__pycache__" not in p.parts}


def test_every_app_file_is_put_at_its_place_on_the_stage():
    puts = {m.group(1): m.group(2) for m in PUT.finditer(SQL_FILE.read_text())}
    expected = {}
    for f in _app_files():
        folder = Path(f).parent.relative_to("app").as_posix()
        expected[f] = "" if folder == "." else f"{folder}/"
    assert puts == expected


def test_the_puts_run_on_the_emulator(tmp_path, monkeypatch):
    from fakesnow.instance import FakeSnow

    emulator = FakeSnow(db_path=tmp_path)
    monkeypatch.chdir(REPO_ROOT)  # the runner runs from the repository root
    try:
        cursor = emulator.connect(database="SNOWFLAKE_EXAMPLE_LOCAL", schema="SFE_ANALYTICS_COSTS",
                                  paramstyle="qmark").cursor()
        cursor.execute("CREATE STAGE SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE "
                       "ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE') DIRECTORY = (ENABLE = TRUE)")
        for statement in _statements():
            cursor.execute(statement)
        cursor.execute("LIST @SFE_ANALYTICS_COSTS.SFE_BILLING_OPS_APP_STAGE")
        listed = {row[0].split("/", 1)[1] for row in cursor.fetchall()}
    finally:
        emulator.duck_conn.close()
    assert listed == {os.path.relpath(f, "app") for f in _app_files()}
