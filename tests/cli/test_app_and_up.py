"""Edit, `make up`, look again, with `make app` running: the app's server steps aside while `ysg up`
rebuilds the emulator database (DuckDB lets one process write it) and comes back after; anything else
holding the database gets one line saying what to do, not a traceback."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from runner_doubles import wait_for

from ysg.cli import main
from ysg.connection import EmulatorBusy, emulator_session
from ysg.local_app import APP_PID_FILE, PAUSE_SIGNAL, app_paused

# The app's server, as far as the database goes: it opens the emulator and holds it, and counts its starts.
SERVER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ysg_core.config import load_all
    from ysg.connection import emulator_session
    folder = Path(sys.argv[1])
    with emulator_session(load_all()["local"], db_path=folder) as connect:
        connect()
        with (folder / "starts").open("a") as starts:
            starts.write("started\\n")
        time.sleep(600)
""")
APP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ysg.local_app import serve
    folder = Path(sys.argv[1])
    sys.exit(serve(folder, [sys.executable, "-c", sys.argv[2], str(folder)], dict(__import__("os").environ)))
""")


def starts(folder) -> int:
    path = folder / "starts"
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.mark.skipif(PAUSE_SIGNAL is None, reason="pausing the app needs POSIX signals")
def test_make_up_while_make_app_runs_rebuilds_and_the_app_comes_back(configs, tmp_path):
    app = subprocess.Popen([sys.executable, "-c", APP, str(tmp_path), SERVER], stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: starts(tmp_path) == 1, timeout=60, what="the app's server to hold the database")
        with pytest.raises(EmulatorBusy):                   # the control: it does hold it
            with emulator_session(configs["local"], db_path=tmp_path) as connect:
                connect()
        with app_paused(tmp_path) as paused:
            with emulator_session(configs["local"], db_path=tmp_path) as connect:
                cursor = connect().cursor()
                cursor.execute("CREATE SCHEMA IF NOT EXISTS SNOWFLAKE_EXAMPLE_LOCAL.REBUILT")
        wait_for(lambda: starts(tmp_path) == 2, timeout=60, what="the app's server to come back")
        assert (paused, (tmp_path / APP_PID_FILE).read_text().strip()) == (True, str(app.pid))
    finally:
        app.send_signal(signal.SIGTERM)          # it stops its server first
        app.wait(timeout=60)
    assert not (tmp_path / APP_PID_FILE).exists()


def test_without_an_app_there_is_nothing_to_pause(tmp_path):
    with app_paused(tmp_path) as paused:
        assert paused is False


def test_an_emulator_held_by_something_else_is_one_line(monkeypatch, tmp_path, capsys):
    from ysg import up

    def busy(emulator_dir=None):
        raise EmulatorBusy(f"the emulator at {tmp_path} is in use by another process (pid {os.getpid()}): "
                           "wait for it to finish, or stop it and run again")
    monkeypatch.setattr(up, "bring_up", busy)
    code = main(["up", "--emulator-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert (code, err.count("\n"), err.startswith("ysg up: the emulator at")) == (2, 1, True)
