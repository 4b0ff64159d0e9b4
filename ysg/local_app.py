"""`ysg app`: the Billing Ops app (app/) served by Streamlit on this machine, against the `local`
environment's emulator database that `ysg up` creates under .local/emulator/."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ysg.config import ENVIRONMENTS_DIR, REPO_ROOT, load_environment
from ysg.paths import emulator_dir  # noqa: F401  (the folder `ysg app` serves; re-exported)

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
    return subprocess.call(streamlit_command(port, address), env=env, cwd=REPO_ROOT)
