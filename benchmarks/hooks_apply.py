"""Benchmark of the hook runner on the emulator, with a fake network latency per statement.

Prints, from one run:
  (a) statements executed by a no-op re-apply (target: 0 DDL; the lock and ledger statements are shown apart);
  (b) the wall time of a full apply as a ratio to the manifest's critical path (target: at most 1.2x),
      where every statement, the runner's own included, costs LATENCY seconds, and the critical path is
      the longest dependency chain of hook statements times LATENCY. Three cases: every hook changed
      (ledger exists); the first apply on a deployed environment (the ledger and lock tables created
      empty, as `cdktf deploy` creates them from ysg_core.ledger_schema); and the first apply on a bare
      database Terraform never touched, where the runner creates its own ledger and lock.

Usage: .venv/bin/python benchmarks/hooks_apply.py [--latency 0.2] [--max-workers 4]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

from ysg.emulator import open_emulator
from ysg_core import ledger_schema
from ysg_core.contract import create_table_sql
from ysg_core.ledger_schema import LEDGER_SCHEMA
from ysg_hooks.manifest import Manifest, RenderedHook, ordered
from ysg_hooks.runner import HookRunner

DB = "SNOWFLAKE_EXAMPLE_BENCH"
BARE_DB = "SNOWFLAKE_EXAMPLE_BENCH_BARE"

# The shape of the platform's hook DAG: (name, statements, depends on). Statement counts follow what each
# object needs (a masking policy, the view, its policy attachment; four PUT + four COPY for sample data; ...).
PLATFORM_DAG = [
    ("raw.sample_data", 8, ()),
    ("stg.v_usage_enriched", 3, ()),
    ("knowledge.billing_kb_documents", 2, ()),
    ("analytics.dim_customer", 2, ("stg.v_usage_enriched",)),
    ("analytics.fct_account_costs", 2, ("stg.v_usage_enriched", "analytics.dim_customer")),
    ("analytics.dt_account_billing", 2, ("stg.v_usage_enriched", "analytics.dim_customer")),
    ("knowledge.sfe_billing_search", 2, ("knowledge.billing_kb_documents",)),
    ("analytics.churn_features", 1, ("analytics.fct_account_costs",)),
    ("analytics.sfe_churn_classifier", 4, ("analytics.churn_features",)),
    ("analytics.sv_account_billing", 1, ("analytics.dt_account_billing",)),
    ("intelligence.sfe_billing_agent", 2, ("analytics.sv_account_billing", "knowledge.sfe_billing_search")),
    ("grants.functional_roles", 8, ("intelligence.sfe_billing_agent", "analytics.sfe_churn_classifier",
                                    "analytics.fct_account_costs")),
]


def platform_manifest(version: int = 1, database: str = DB) -> Manifest:
    hooks = []
    for name, count, depends_on in PLATFORM_DAG:
        view = name.replace(".", "_").upper()
        statements = tuple(f"CREATE OR REPLACE VIEW {database}.BENCH.V_{view}_{k} AS "
                           f"SELECT {k} AS STEP, {version} AS VERSION" for k in range(count))
        hooks.append(RenderedHook(name=name, sql_file=f"sql/{name.replace('.', '/')}.sql", depends_on=depends_on,
                                  snowflake_only=False, reason="", statements=statements))
    return Manifest(environment="bench", stack="billing-bench", target="emulator", hooks=ordered(hooks))


def critical_path(manifest: Manifest, cost) -> float:
    """The longest dependency chain, each hook costing `cost(hook)`."""
    longest: dict[str, float] = {}
    for hook in manifest.hooks:   # dependency order
        longest[hook.name] = cost(hook) + max((longest[d] for d in hook.depends_on), default=0)
    return max(longest.values())


class Latency:
    """Wraps a connect callable: every statement sleeps `seconds` first, and is counted by kind."""

    def __init__(self, connect, seconds: float):
        self.connect, self.seconds = connect, seconds
        self.counts = {"hook DDL": 0, "lock and ledger": 0}
        self._lock = threading.Lock()

    def __call__(self):
        return _Conn(self.connect(), self)


class _Conn:
    def __init__(self, conn, latency: Latency):
        self._conn, self._latency = conn, latency

    def cursor(self):
        return _Cursor(self._conn.cursor(), self._latency)

    def close(self):
        self._conn.close()


class _Cursor:
    def __init__(self, cursor, latency: Latency):
        self._cursor, self._latency = cursor, latency

    def execute(self, statement, params=None):
        kind = "lock and ledger" if LEDGER_SCHEMA in statement else "hook DDL"
        with self._latency._lock:
            self._latency.counts[kind] += 1
        time.sleep(self._latency.seconds)
        return self._cursor.execute(statement, params)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per statement (default 0.2)")
    parser.add_argument("--max-workers", type=int, default=4)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")

    manifest = platform_manifest()
    path = int(critical_path(manifest, lambda h: len(h.statements)))
    critical = path * args.latency
    total = sum(len(h.statements) for h in manifest.hooks)
    print(f"manifest: {len(manifest.hooks)} hooks, {total} statements; critical path {path} statements "
          f"= {critical:.1f}s at {args.latency * 1000:.0f} ms per statement; {args.max_workers} workers")

    def setup(connect, database: str, deployed: bool) -> None:
        conn = connect()
        cursor = conn.cursor()
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {database}.BENCH")
        if deployed:    # what `cdktf deploy` leaves: the stack's tables, empty, no lock row
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {database}.{LEDGER_SCHEMA}")
            for table, (_, columns) in ledger_schema.TABLES.items():
                cursor.execute(create_table_sql(database, LEDGER_SCHEMA, table, columns, where=table))
        conn.close()

    def apply(connect, m: Manifest, database: str):
        slow = Latency(connect, args.latency)
        report = HookRunner(m, slow, ledger_database=database, max_workers=args.max_workers).apply()
        assert report.ok, report.to_text()
        return report, dict(slow.counts)

    # The emulator as `ysg up` opens it (ysg.emulator): PUBLIC current, connections opened one at a time.
    with tempfile.TemporaryDirectory() as db_path, open_emulator(Path(db_path), DB) as connect:
        setup(connect, DB, deployed=True)
        fresh, fresh_counts = apply(connect, manifest, DB)
        noop, noop_counts = apply(connect, manifest, DB)
        changed_manifest = platform_manifest(version=2)
        changed, changed_counts = apply(connect, changed_manifest, DB)
    with tempfile.TemporaryDirectory() as db_path, open_emulator(Path(db_path), BARE_DB) as connect:
        setup(connect, BARE_DB, deployed=False)
        bare_manifest = platform_manifest(database=BARE_DB)
        bare, bare_counts = apply(connect, bare_manifest, BARE_DB)

    def ratio_line(label, m, report, counts):
        ratio = report.wall_seconds / critical
        # The same chain with each hook's measured duration (latency + the emulator's own execution time).
        measured = critical_path(m, lambda h: report.timings[h.name])
        return (f"  {label}: {report.wall_seconds:.2f}s wall, {counts['hook DDL']} hook + "
                f"{counts['lock and ledger']} lock/ledger statements\n"
                f"    / latency critical path {critical:.2f}s = {ratio:.2f}x  (target <= 1.2x: "
                f"{'met' if ratio <= 1.2 else 'NOT met'})\n"
                f"    / measured critical path {measured:.2f}s = {report.wall_seconds / measured:.2f}x  "
                f"(target <= 1.2x: "
                f"{'met' if report.wall_seconds / measured <= 1.2 else 'NOT met'}; runner overhead "
                f"{report.wall_seconds - measured:.2f}s)")

    print("(a) no-op re-apply:")
    print(f"  hook DDL statements executed: {noop_counts['hook DDL']}  (target 0: "
          f"{'met' if noop_counts['hook DDL'] == 0 else 'NOT met'}); lock/ledger statements: "
          f"{noop_counts['lock and ledger']}; {len(noop.unchanged)} hooks unchanged")
    print("(b) full apply, wall time / critical path:")
    print(ratio_line("every hook changed, ledger exists", changed_manifest, changed, changed_counts))
    print(ratio_line("first apply on a deployed environment (ledger and lock created empty by Terraform)",
                     manifest, fresh, fresh_counts))
    print(ratio_line("bare database, no `cdktf deploy`: the runner creates its own ledger and lock",
                     bare_manifest, bare, bare_counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
