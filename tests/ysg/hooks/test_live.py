"""Opt-in: the hook runner against a real Snowflake account.

Runs only with YSG_LIVE_CONNECTION=<a connection name in ~/.snowflake/connections.toml> (and optionally
YSG_LIVE_ENVIRONMENT, default dev); every test is skipped with that reason otherwise.
"""
from __future__ import annotations

import os

import pytest

from ysg.connection import connection_factory
from ysg.hooks.manifest import MANIFEST_FILE, load_manifest
from ysg.hooks.runner import HookRunner
from ysg.operate import run_read_only

pytestmark = pytest.mark.live
LIVE_CONNECTION = os.environ.get("YSG_LIVE_CONNECTION")
LIVE_ENVIRONMENT = os.environ.get("YSG_LIVE_ENVIRONMENT", "dev")


@pytest.fixture(scope="module")
def live(configs):
    if not LIVE_CONNECTION:
        pytest.skip("no live Snowflake connection: set YSG_LIVE_CONNECTION=<connection name> to run")
    config = configs[LIVE_ENVIRONMENT]
    return config, connection_factory(config, connection_name=LIVE_CONNECTION)


def test_the_environments_hooks_apply_and_a_second_apply_runs_nothing(live, synthesized):
    config, connect = live
    path = synthesized[LIVE_ENVIRONMENT] / MANIFEST_FILE
    if not path.exists():
        pytest.skip(f"synthesis wrote no {MANIFEST_FILE} for {config.names.stack}")
    runner = HookRunner(load_manifest(path), connect, ledger_database=config.database.name)
    first = runner.apply()
    assert first.ok, first.to_text()
    second = runner.apply()
    assert (second.applied, second.statements_executed) == ([], 0)


def test_a_read_only_query_returns_rows(live):
    _, connect = live
    columns, rows = run_read_only(connect, "SELECT CURRENT_ACCOUNT() AS ACCOUNT")
    assert (columns, len(rows)) == (["ACCOUNT"], 1)
