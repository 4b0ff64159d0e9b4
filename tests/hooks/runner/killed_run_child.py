"""Run as a subprocess by test_runner: applies a manifest on a persisted emulator and blocks inside the
hook whose statement is 'BLOCK_HERE', once the ledger shows what came before, so the test can SIGKILL it.
Optional fourth and fifth arguments: the lock owner ("-" for the runner's default) and the lock ttl."""
from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import fakesnow
import snowflake.connector

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
from runner_doubles import DATABASE, Recorder  # noqa: E402
from ysg_core.ledger_schema import LEDGER_SCHEMA
from ysg_hooks.manifest import load_manifest
from ysg_hooks.runner import HookRunner

manifest_path, db_path, ready = sys.argv[1], sys.argv[2], Path(sys.argv[3])
owner = sys.argv[4] if len(sys.argv) > 4 else "killed-child"
ttl = int(sys.argv[5]) if len(sys.argv) > 5 else 5

with fakesnow.patch(db_path=db_path):
    connect = functools.partial(snowflake.connector.connect, database=DATABASE, schema="PUBLIC")
    conn = connect()
    conn.cursor().execute(f"CREATE TABLE IF NOT EXISTS {DATABASE}.PUBLIC.APPLIED_LOG (HOOK VARCHAR)")
    conn.close()

    def block(statement: str) -> None:
        if "BLOCK_HERE" not in statement:
            return
        probe = connect().cursor()
        while True:   # wait until the ledger holds a, b, c applied and this hook running
            probe.execute(f"SELECT COUNT(*) FROM {DATABASE}.{LEDGER_SCHEMA}.HOOK_LEDGER "
                          "WHERE (STATUS = 'applied' AND HOOK IN ('a', 'b', 'c')) "
                          "OR (STATUS = 'running' AND HOOK = 'killed')")
            if probe.fetchone()[0] == 4:
                break
            time.sleep(0.02)
        ready.write_text("blocked")
        time.sleep(600)

    HookRunner(load_manifest(Path(manifest_path)), Recorder(connect, block), ledger_database=DATABASE,
               lock_ttl_seconds=ttl, owner=None if owner == "-" else owner).apply()
