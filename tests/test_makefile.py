"""The Makefile's guard on the Python version, its clean-up of a failed venv, and its filter of pip's noise.

Each runs `make setup` in a scratch copy of the files make reads, with a fake Python on the command line
that logs how it is called: nothing here installs anything or touches the repository's own venvs.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from ysg_core.paths import REPO_ROOT


COPIED = ("Makefile", "pyproject.toml", "requirements.txt", "requirements-lint.txt", "requirements-checkov.txt",
          "package.json", "package-lock.json")
# A fake interpreter: reports $FAKE_VERSION, and for `-m venv DIR` makes DIR with a python (itself) and a
# pip that prints what $FAKE_PIP_STDERR holds and exits $FAKE_PIP_EXIT; `-m venv` fails when $FAKE_VENV_FAILS.
FAKE_PYTHON = """#!/bin/sh
echo "$@" >> "$FAKE_LOG"
case "$1" in
  -c) echo "$FAKE_VERSION" ;;
  -m) mkdir -p "$3/bin" && cp "$0" "$3/bin/python"
      cat > "$3/bin/pip" <<'PIP'
#!/bin/sh
printf '%s' "$FAKE_PIP_STDERR" >&2
exit "$FAKE_PIP_EXIT"
PIP
      chmod +x "$3/bin/pip"
      if [ -n "$FAKE_VENV_FAILS" ]; then echo "Error: ensurepip is not available" >&2; exit 1; fi ;;
esac
"""
LOCATION_WARNING = ("WARNING: Location 'file:///opt/pypi-more/simple/six/' is ignored: "
                    "it is neither a file nor a directory.")
PIP_ERROR = "ERROR: No matching distribution found for six==0.0.0"
SUPPORTED = re.search(r"^PYTHON_VERSIONS := (.+)$", (REPO_ROOT / "Makefile").read_text(), re.MULTILINE).group(1).split()


def make_setup(tmp_path: Path, version: str, without_filter: bool = False,
               **fake) -> tuple[subprocess.CompletedProcess, list[str]]:
    for name in COPIED:
        shutil.copy2(REPO_ROOT / name, tmp_path / name)
    if without_filter:
        makefile = tmp_path / "Makefile"
        makefile.write_text(makefile.read_text().replace('sed -e "/$(PIP_NOISE)/d"', "cat"))
    python = tmp_path / "fake" / "python3"
    python.parent.mkdir()
    python.write_text(FAKE_PYTHON)
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "calls.log"
    # A make inside `make test` inherits MAKEFLAGS and MAKELEVEL, and would print "Entering directory".
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    env.update({"FAKE_LOG": str(log), "FAKE_VERSION": version, "FAKE_PIP_STDERR": "", "FAKE_PIP_EXIT": "0",
                "FAKE_VENV_FAILS": "", **fake})
    done = subprocess.run(["make", "setup", f"PYTHON={python}"], cwd=tmp_path, env=env, capture_output=True,
                          text=True)
    calls = log.read_text().splitlines() if log.exists() else []
    return done, calls


def test_a_wrong_python_stops_make_in_one_line_before_anything_is_installed(tmp_path):
    done, calls = make_setup(tmp_path, "3.10")
    assert (done.returncode, done.stdout, len(done.stderr.splitlines())) == (2, "", 1)
    assert f"is Python 3.10, and this project needs Python {' or '.join(SUPPORTED)}:" in done.stderr
    assert [c for c in calls if not c.startswith("-c ")] == []          # never asked to make a venv
    assert not (tmp_path / ".venv").exists() and not (tmp_path / "node_modules").exists()


def test_a_supported_python_gets_past_the_check_and_a_failed_venv_is_removed(tmp_path):
    done, calls = make_setup(tmp_path, SUPPORTED[-1], FAKE_VENV_FAILS="1")
    assert "-m venv .venv" in calls                                      # the check let it through
    assert (done.returncode, "ensurepip is not available" in done.stderr) == (2, True)
    assert not (tmp_path / ".venv").exists()


def test_a_venv_made_by_an_unsupported_python_is_named_and_left_alone(tmp_path):
    venv_python = tmp_path / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.write_text("#!/bin/sh\necho 3.10\n")
    venv_python.chmod(0o755)
    done, _ = make_setup(tmp_path, SUPPORTED[-1])
    assert (done.returncode, len(done.stderr.splitlines())) == (2, 1)
    assert ".venv/bin/python is Python 3.10" in done.stderr and "remove .venv and run make" in done.stderr


def test_only_pips_location_warning_is_dropped_and_its_failure_still_fails(tmp_path):
    done, _ = make_setup(tmp_path, SUPPORTED[0], FAKE_PIP_STDERR=f"{LOCATION_WARNING}\n{PIP_ERROR}\n", FAKE_PIP_EXIT="1")
    assert (done.returncode, LOCATION_WARNING in done.stderr, PIP_ERROR in done.stderr) == (2, False, True)


def test_without_the_filter_the_same_pip_shows_the_warning(tmp_path):
    # Negative control of the test above: the fake pip's warning does reach make's output.
    done, _ = make_setup(tmp_path, SUPPORTED[0], without_filter=True, FAKE_PIP_STDERR=f"{LOCATION_WARNING}\n",
                         FAKE_PIP_EXIT="1")
    assert LOCATION_WARNING in done.stderr


def test_the_makefile_and_pyproject_admit_the_same_python_versions():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    admitted = SpecifierSet(project["requires-python"])
    assert [f"3.{minor}" for minor in range(30) if f"3.{minor}.0" in admitted] == SUPPORTED
