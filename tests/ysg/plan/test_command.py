"""command.py: `ysg plan` end to end on the two histories: the document, and the exit code of a refusal."""
from __future__ import annotations

import os

from ysg.cli import main


def test_ysg_plan_writes_the_document_and_fails_on_an_unallowed_prod_replacement(histories, tmp_path, capsys):
    out = tmp_path / "docs" / "plan.md"
    cwd = os.getcwd()
    os.chdir(histories.repo)
    try:
        code = main(["plan", "--base", histories.base_sha, "--out", str(out)])
    finally:
        os.chdir(cwd)
    assert (code, "**REFUSED**: replace of database `snowflake_database.database_7CF902CB` in prod"
            in out.read_text()) == (1, True)


def test_a_malformed_allowances_file_stops_before_synthesis(tmp_path, capsys):
    import subprocess
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "_allowances.yaml").write_text("allowances:\n  - environment: prod\n")
    code = main(["plan", "--repo", str(tmp_path), "--base", "main"])
    assert (code, "environments/_allowances.yaml: allowances[0].address: Field required"
            in capsys.readouterr().err) == (2, True)
