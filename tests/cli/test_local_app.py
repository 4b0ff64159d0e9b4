"""`ysg app` (cli/ysg/local_app.py): refuses plainly without the emulator database."""
from __future__ import annotations

from ysg.cli import main


def test_without_the_emulator_database_it_says_to_run_ysg_up(tmp_path, capsys):
    assert (main(["app", "--emulator-dir", str(tmp_path)]),
            "run `ysg up` first" in capsys.readouterr().err) == (1, True)


def test_the_emulator_folder_comes_from_the_environment_variable(tmp_path, monkeypatch):
    from ysg.local_app import emulator_dir

    monkeypatch.setenv("YSG_EMULATOR_DIR", str(tmp_path))
    assert emulator_dir() == tmp_path


def test_the_database_file_is_the_local_environments_database(configs, tmp_path):
    from ysg.local_app import database_file

    assert database_file(tmp_path).name == f"{configs['local'].database.name}.db"


def test_a_snowflake_environment_is_refused(tmp_path):
    import pytest

    from ysg.local_app import database_file

    with pytest.raises(ValueError, match="runs in Snowflake"):
        database_file(tmp_path, "dev")
