"""`ysg app`: the Billing Ops app (app/) served by Streamlit on this machine, against the `local`
environment's emulator database that `ysg up` creates under .local/emulator/.

Edit, `make up`, look again: the app holds the emulator's database files (DuckDB lets one process write
them), so while `ysg up` rebuilds, `ysg app` stops its Streamlit server and starts it again after. The
two talk through files of the emulator folder and one signal (POSIX only; elsewhere `ysg up` says, in
one line, to stop the app first).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from ysg_core.config import ENVIRONMENTS_DIR, REPO_ROOT, load_environment
from ysg_core.paths import emulator_dir  # noqa: F401  (the folder `ysg app` serves; re-exported)

APP_DIR = REPO_ROOT / "app"
MAIN_FILE = "Cost_overview.py"  # its file name is the first page's name in the sidebar

def database_file(directory: Path, environment: str = "local") -> Path:
    """The fakesnow (DuckDB) file of the environment's database: `<folder>/<DATABASE>.db`."""
    config = load_environment(ENVIRONMENTS_DIR / f"{environment}.yaml")
    if config.target != "emulator":
        raise ValueError(f"environment {environment!r} targets {config.target}, not the emulator; "
                         "its app runs in Snowflake")
    return Path(directory) / f"{config.database.name}.db"


def streamlit_command(port: int, address: str = "localhost") -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(APP_DIR / MAIN_FILE),
            "--server.port", str(port), "--server.address", address, "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--client.toolbarMode", "viewer"]


def run(directory: Path | None = None, *, port: int = 8501, address: str = "localhost",
        environment: str = "local") -> int:
    folder = emulator_dir(directory).resolve()
    db_file = database_file(folder, environment)
    if not db_file.is_file():
        print(f"no emulator database at {db_file}: run `ysg up` first (or make up)", file=sys.stderr)
        return 1
    env = {**os.environ, "YSG_EMULATOR_DIR": str(folder), "YSG_APP_ENVIRONMENT": environment}
    print(f"Billing Ops on http://{address}:{port} (emulator database {db_file}); Ctrl-C stops it")
    return serve(folder, streamlit_command(port, address), env, f"http://{address}:{port}")


# In the emulator folder: the pid of the `ysg app` serving it; that it has paused its server; and, while
# `ysg up` rebuilds, that one's pid.
APP_PID_FILE, PAUSED_FILE, REBUILDING_FILE = "app.pid", "app.paused", "rebuilding"
PAUSE_SIGNAL = getattr(signal, "SIGUSR1", None)


def serve(folder: Path, command: list[str], env: dict, url: str = "") -> int:
    """Run `command` (the Streamlit server) until it exits; pause it whenever `ysg up` asks (PAUSE_SIGNAL)."""
    pause, stop = threading.Event(), threading.Event()
    pid_file, paused_file = folder / APP_PID_FILE, folder / PAUSED_FILE
    if PAUSE_SIGNAL is not None:
        signal.signal(PAUSE_SIGNAL, lambda signum, frame: pause.set())
    # Terminated, it stops its server first: an orphaned server would keep holding the database.
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    pid_file.write_text(str(os.getpid()), encoding="ascii")
    server = None
    try:
        while True:
            server = subprocess.Popen(command, env=env, cwd=REPO_ROOT)
            while True:
                try:
                    code = server.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    if not pause.is_set() and not stop.is_set():
                        continue
                    server.terminate()
                    server.wait()
                    code = 143 if stop.is_set() else None
                break
            if code is not None:
                return code
            pause.clear()
            paused_file.write_text(str(os.getpid()), encoding="ascii")
            print("paused while `ysg up` rebuilds the emulator database; back when it is done", flush=True)
            while alive(folder / REBUILDING_FILE) and not stop.is_set():
                threading.Event().wait(0.2)
            if stop.is_set():
                return 143
            pause.clear()
            paused_file.unlink(missing_ok=True)
            print(f"rebuilt: Billing Ops back on {url or 'its address'}", flush=True)
    except KeyboardInterrupt:      # Ctrl-C: the server got it too
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait()
        return 130
    finally:
        paused_file.unlink(missing_ok=True)
        if pid_file.is_file() and pid_file.read_text(encoding="ascii").strip() == str(os.getpid()):
            pid_file.unlink()


def alive(pid_file: Path) -> int | None:
    """The pid a file holds, if that process still runs; else None."""
    try:
        pid = int(pid_file.read_text(encoding="ascii").strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


class AppDidNotPause(RuntimeError):
    """A `ysg app` serving the emulator did not stop its server when asked."""


@contextmanager
def app_paused(folder: Path, wait_seconds: float = 30.0):
    """Within the block, no `ysg app` holds the emulator database in `folder`: one that serves it stops its
    server at the start and starts it again at the end. Yields whether an app was paused."""
    folder = Path(folder)
    app = alive(folder / APP_PID_FILE)
    if app is None or PAUSE_SIGNAL is None:
        yield False
        return
    rebuilding = folder / REBUILDING_FILE
    rebuilding.write_text(str(os.getpid()), encoding="ascii")
    try:
        (folder / PAUSED_FILE).unlink(missing_ok=True)
        os.kill(app, PAUSE_SIGNAL)
        waited = threading.Event()
        for _ in range(int(wait_seconds / 0.1)):
            if (folder / PAUSED_FILE).is_file() or alive(folder / APP_PID_FILE) is None:
                break
            waited.wait(0.1)
        else:
            raise AppDidNotPause(f"`ysg app` (pid {app}) serving {folder} did not pause; stop it (Ctrl-C), run "
                                 "`make up`, then `make app` again")
        yield True
    finally:
        rebuilding.unlink(missing_ok=True)
