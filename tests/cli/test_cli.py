"""No command of `ysg` answers bad input, a bad file or an unreachable account with a traceback: every
subcommand, as the parser itself lists them, is run with bad arguments in a process of its own, and must
say what is wrong in one line on stderr and exit 2."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ysg.cli import build_parser
from ysg.plan.synth import source_roots
from ysg_core.paths import REPO_ROOT

SOURCES = os.pathsep.join(str(REPO_ROOT / root) for root in source_roots(REPO_ROOT))
GOOD = {"environment": "dev"}   # a positional's good value (by its type) when another argument is the bad one


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield path, parser
        return
    for name, sub in subcommands[0].choices.items():
        yield from _leaves(sub, path + (name,))


LEAVES = dict(_leaves(build_parser()))


def _bad(action: argparse.Action) -> str | None:
    """A value the option's type refuses; None for an option without such a type (the test then fails)."""
    return "not-one-of-the-choices" if action.choices else getattr(action.type, "bad_example", None)


def _invocations():
    for path, parser in LEAVES.items():
        name = " ".join(path)
        actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
        positionals = [a for a in actions if not a.option_strings]
        yield f"{name}: unknown option", [*path, "--no-such-option"]
        if positionals:
            bad = [getattr(a.type, "bad_example", "x; drop") for a in positionals]
            yield f"{name}: bad {', '.join(a.dest for a in positionals)}", [*path, *bad]
        good = [GOOD.get(getattr(a.type, "__name__", None), "SELECT 1") for a in positionals]
        for action in actions:
            if action.option_strings and action.nargs != 0:
                yield f"{name}: bad {action.option_strings[0]}", [*path, *good, action.option_strings[0], _bad(action)]


def run(argv: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SNOWFLAKE_", "YSG_"))}
    return subprocess.run([sys.executable, "-m", "ysg.cli", *argv], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False,
                          env={**clean, "PYTHONPATH": SOURCES, "YSG_EMULATOR_DIR": str(tmp_path / "emulator"),
                               "SNOWFLAKE_HOME": str(tmp_path / "snowflake-home"), **env})


def assert_one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.splitlines()
    assert (result.returncode, len(lines)) == (2, 1), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == "", result
    return lines[0]


INVOCATIONS = dict(_invocations())


def test_every_subcommand_is_driven():
    assert {" ".join(p) for p in LEAVES} >= {"hooks plan", "hooks apply", "deploy", "query", "plan", "access",
                                              "synth", "scan", "up", "validate", "app"}
    assert {name.split(":")[0] for name in INVOCATIONS} == {" ".join(p) for p in LEAVES}


@pytest.mark.parametrize("argv", INVOCATIONS.values(), ids=INVOCATIONS.keys())
def test_bad_arguments_get_one_line_and_exit_2(argv, tmp_path):
    assert None not in argv, (f"{argv}: give this option a type from cli/ysg/arguments.py (one with a bad_example), so "
                              "a bad value is refused before the command runs")
    line = assert_one_line_error(run(argv, tmp_path))
    assert line.startswith("ysg") and line.endswith("--help)"), line   # argparse's refusal, before any work


def _environments(tmp_path: Path, change: str, old: str, new: str) -> Path:
    import shutil

    folder = shutil.copytree(REPO_ROOT / "environments", tmp_path / "environments")
    path = folder / change
    if new == "folder":
        path.mkdir()
        return folder
    if old is not None:
        text = path.read_text()
        assert old in text
        new = text.replace(old, new, 1)
    path.write_bytes(new.encode("utf-8", "surrogateescape"))   # "\udce9" is the byte 0xe9: not UTF-8
    return folder


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))

BAD_FILES = {
    "invalid UTF-8": ("dev.yaml", "target: snowflake", "target: snowflake\n# caf\udce9"),
    "a folder named *.yaml": ("qa.yaml", None, "folder"),
    "deep nesting": ("qa.yaml", None, "a: " + "[" * 4000 + "]" * 4000 + "\n"),
    "an alias bomb": ("qa.yaml", None, BOMB),
    "database.name: SELECT": ("dev.yaml", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SELECT"),
    "agent_database: AGENT$DB": ("dev.yaml", "tags:\n", "hooks:\n  agent_database: AGENT$DB\ntags:\n"),
    "two environments on one state": ("staging.yaml", "billing/staging/", "billing/prod/"),
    "duplicate key": ("prod.yaml", "  size: SMALL", "  size: SMALL\n  size: LARGE"),
}


@pytest.mark.parametrize("change,old,new", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_environment_file_gets_one_line_from_validate(tmp_path, change, old, new):
    folder = _environments(tmp_path, change, old, new)
    line = assert_one_line_error(run(["validate", "--environments-dir", str(folder)], tmp_path))
    assert line.startswith(f"configuration error, nothing written: {folder / change}: "), line


def test_a_missing_table_gets_one_line(tmp_path):
    line = assert_one_line_error(run(["query", "local", "SELECT * FROM NO_SUCH_TABLE"], tmp_path))
    assert line.startswith("ysg query: failed on local: ") and "NO_SUCH_TABLE" in line, line


def test_no_connection_gets_one_line(tmp_path):
    line = assert_one_line_error(run(["query", "dev", "SELECT 1"], tmp_path))
    assert "no Snowflake connection configured for dev" in line, line


def test_an_unreachable_account_gets_one_line(tmp_path):
    home = tmp_path / "snowflake-home"
    home.mkdir()
    # Nothing listens on port 9 of this machine; a short login timeout keeps the test quick.
    (home / "connections.toml").write_text('[unreachable]\naccount = "nobody"\nuser = "u"\npassword = "p"\n'
                                           'host = "127.0.0.1"\nport = 9\nlogin_timeout = 2\n')
    (home / "connections.toml").chmod(0o600)
    line = assert_one_line_error(run(["query", "dev", "SELECT 1", "--connection", "unreachable"], tmp_path))
    assert line.startswith("ysg query: "), line


def test_a_programming_error_keeps_its_traceback(monkeypatch):
    """The negative control: the command line maps the project's own errors, not every exception."""
    from ysg import cli

    monkeypatch.setattr(cli, "_validate", lambda args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cli.main(["validate"])


def test_the_issues_own_cases_get_one_line(tmp_path):
    (tmp_path / "a-file").write_text("")
    (tmp_path / "hooks.json").write_text("")
    cases = {
        "--max-workers 0": (["hooks", "apply", "local", "--max-workers", "0"], "out of range"),
        # `ysg query` runs as the analyst role pinned on its connection: there is no --role to abuse.
        "--role 'x; drop'": (["query", "dev", "SELECT 1", "--role", "x; drop"], "unrecognized arguments: --role"),
        "--outdir under a file": (["synth", "--outdir", str(tmp_path / "a-file" / "out")], "cannot write there"),
        "--outdir in /proc": (["scan", "--outdir", "/proc/cdktf.out"], "cannot write there"),
        "a path for an environment": (["hooks", "plan", "keys/../prod"], "environment name 'keys/../prod'"),
        "an empty hooks.json": (["hooks", "apply", "local", "--manifest", str(tmp_path / "hooks.json")],
                                "not valid JSON"),
    }
    said = {case: assert_one_line_error(run(argv, tmp_path)) for case, (argv, _) in cases.items()}
    assert {case: words in said[case] for case, (_, words) in cases.items()} == dict.fromkeys(cases, True), said
