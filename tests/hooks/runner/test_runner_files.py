"""Where the app's files come from: a hook's `PUT 'file://app/...'` names a repository file relative to
the repository root; the runner resolves it wherever it was started (`cdktf deploy` starts it in the
stack's folder), and nothing outside the repository can be put on a stage."""
from __future__ import annotations

import functools

import fakesnow
import pytest
import snowflake.connector
from runner_doubles import DATABASE, hook, manifest

from ysg_core.errors import HookRunnerError
from ysg_core.paths import REPO_ROOT
from ysg_hooks.effects import UnreadableStatement, effects
from ysg_hooks.runner import HookRunner, local_files

STAGE = f"{DATABASE}.PUBLIC.APP_STAGE"


def test_the_apps_files_are_put_whatever_folder_the_runner_started_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                     # as `cdktf deploy` runs it: not the repository root
    (tmp_path / "emulator").mkdir()
    with fakesnow.patch(db_path=str(tmp_path / "emulator")):
        connect = functools.partial(snowflake.connector.connect, database=DATABASE, schema="PUBLIC")
        conn = connect()
        conn.close()
        # fakesnow keeps a stage per session: the hook creates it where it puts.
        report = HookRunner(manifest(hook("app.stage", f"CREATE STAGE {STAGE}",
                                          f"PUT 'file://app/environment.yml' @{STAGE}/ AUTO_COMPRESS = FALSE")),
                            connect, ledger_database=DATABASE).apply()
    assert (report.ok, report.applied) == (True, ["app.stage"]), report.to_text()


def test_a_put_is_resolved_under_the_repository_root():
    assert local_files(f"PUT 'file://app/environment.yml' @{STAGE}/ OVERWRITE = TRUE", REPO_ROOT) == (
        f"PUT 'file://{(REPO_ROOT / 'app' / 'environment.yml').as_posix()}' @{STAGE}/ OVERWRITE = TRUE")


@pytest.mark.parametrize("path", ["../../home/me/.ssh/id_rsa", "/etc/passwd", "app/../../outside.txt"])
def test_the_runner_puts_nothing_from_outside_the_repository(path):
    with pytest.raises(HookRunnerError, match="files of the repository only"):
        local_files(f"PUT 'file://{path}' @{STAGE}/", REPO_ROOT)


@pytest.mark.parametrize("path", ["/etc/passwd", "../secrets.env", "app/../../x"])
def test_synthesis_refuses_a_put_that_is_not_a_repository_path(path):
    with pytest.raises(UnreadableStatement, match="files of the repository only"):
        effects(f"PUT 'file://{path}' @{STAGE}/")
