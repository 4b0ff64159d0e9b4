"""`ysg up`: bring the `local` environment up on the embedded emulator, and say what it did.

Synthesize every stack, apply the part of `billing-local` the emulator can hold, load the sample data
through the real path (CSV files, PUT, COPY INTO), run the hooks (Snowflake-only ones are skipped with
their reason), then do locally what those would have done: the Salesforce sync task's MERGE over a
recorded answer, the churn model's local stand-in, one evaluation of the alerts' conditions. Then
summarize: objects created, rows per table, the top accounts of the latest month.
A second run finds everything in place and says so.
"""
from __future__ import annotations

import contextlib
import io
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ysg.churn_standin import train_evaluate_score
from ysg.connection import emulator_session
from ysg.emulator import apply_stack_subset
from ysg.local_app import app_paused
from ysg.local_standins import (METERING_TABLE, SyncResult, create_metering_standin, evaluate_alert_conditions,
                                run_salesforce_sync)
from ysg.sample_data import load_sample_data
from ysg_core import naming
from ysg_core.config import REPO_ROOT, load_all
from ysg_core.contract import LANDING_TABLES
from ysg_core.paths import emulator_dir as emulator_folder
from ysg_core.render import render
from ysg_core.sqlcheck import quiet_sqlglot
from ysg_hooks.manifest import load_manifest
from ysg_hooks.runner import HookRunner
from ysg_stacks.app import current_stacks

ENVIRONMENT = "local"
WORKDIR = REPO_ROOT / ".local" / "sample-data"
# What the summary counts: the landing tables, then what the hooks derive from them.
COUNTED = (
    *LANDING_TABLES, (naming.STG_SCHEMA, "V_USAGE_ENRICHED"),
    (naming.ANALYTICS_SCHEMA, "DIM_CUSTOMER"), (naming.ANALYTICS_SCHEMA, "FCT_ACCOUNT_COSTS"),
    (naming.ANALYTICS_SCHEMA, "DT_ACCOUNT_BILLING"), (naming.ANALYTICS_SCHEMA, "CHURN_PREDICTIONS"),
    (naming.ANALYTICS_SCHEMA, "CHURN_MODEL_METRICS"),
)
_METRICS = "SELECT metric_name, metric_value, model FROM {{ qualified:table }} ORDER BY metric_name"
_PREDICTIONS = "SELECT COUNT(*) FROM {{ qualified:table }}"
SHOWN_METRICS = ("precision", "recall", "f1", "auc")
_COUNT = "SELECT COUNT(*) FROM {{ qualified:table }}"
_TOP_ACCOUNTS = """
SELECT account_id, customer_name, segment_name, billing_month, total_cost
FROM {{ qualified:table }}
WHERE billing_month = (SELECT MAX(billing_month) FROM {{ qualified:table }})
ORDER BY total_cost DESC, account_id
LIMIT {{ number:limit }}
"""
_SAMPLE_RESPONSES = "data/salesforce/sample_responses.json"
# fakesnow 0.12.1 keeps stages and file formats per session, so every start declares them again.
SESSION_SCOPED = ("stage ", "file format ")


@dataclass
class UpReport:
    stacks: list[str]
    created: list[str]
    loaded: dict[str, int]
    hooks_applied: list[str]
    hooks_unchanged: list[str]
    hooks_skipped: dict[str, str]
    rows: dict[str, int] = field(default_factory=dict)
    top_accounts: list[tuple] = field(default_factory=list)
    failure: str | None = None
    synthesized: bool = True   # False when every stack was current and was reused
    salesforce_sync: SyncResult | None = None
    churn_trained: bool = False                                   # the stand-in ran in this run
    churn_metrics: dict[str, float] = field(default_factory=dict)   # as CHURN_MODEL_METRICS holds them
    churn_model: str = ""
    alert_conditions: dict[str, int] = field(default_factory=dict)  # alert -> rows its condition finds

    @property
    def did_nothing(self) -> bool:
        lasting = [c for c in self.created if not c.startswith(SESSION_SCOPED)]
        synced = self.salesforce_sync and (self.salesforce_sync.inserted or self.salesforce_sync.updated)
        return (not lasting and not any(self.loaded.values()) and not self.hooks_applied and not self.failure
                and not synced and not self.churn_trained)


def bring_up(emulator_dir: Path | None = None, outdir: Path | None = None,
             stack_dirs: dict[str, Path] | None = None) -> UpReport:
    """Synthesize when stale (unless `stack_dirs` are given, already synthesized) and bring `local` up."""
    config = load_all(only=[ENVIRONMENT])[ENVIRONMENT]
    synthesized = False
    if stack_dirs is None:
        stack_dirs, synthesized = current_stacks(outdir)
    # fakesnow narrates what it does not emulate (TARGET_LAG, REFRESH_MODE, ...) through sqlglot's logger
    # and stdout, and warns on every fetch; the summary says what matters, including each skipped hook.
    # A `ysg app` serving this emulator (`make app`) steps aside while it is rebuilt: DuckDB lets one
    # process write the database files.
    with quiet_sqlglot(), app_paused(emulator_folder(emulator_dir)):
        report = _bring_up(config, stack_dirs, emulator_dir)
    report.synthesized = synthesized
    return report


def _bring_up(config, stack_dirs: dict[str, Path], emulator_dir: Path | None) -> UpReport:
    stack_dir = stack_dirs[ENVIRONMENT]
    stack_json = json.loads((stack_dir / "cdk.tf.json").read_text(encoding="utf-8"))
    manifest = load_manifest(stack_dir)
    database = config.database.name
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore", UserWarning)
        with emulator_session(config, emulator_dir) as connect:
            connection = connect()
            try:
                created = apply_stack_subset(connection, stack_json)
                # The credit alert's condition reads the metering history, which the emulator stands in for.
                if create_metering_standin(connection.cursor()):
                    created.append(f"table {METERING_TABLE} (stand-in, empty: the emulator meters no credits)")
                loaded = load_sample_data(connection, config, WORKDIR)
            finally:
                connection.close()
            run = HookRunner(manifest, connect, ledger_database=database, skip_snowflake_only=True).apply()
            report = UpReport(stacks=sorted(d.name for d in stack_dirs.values()), created=created, loaded=loaded,
                              hooks_applied=list(run.applied), hooks_unchanged=list(run.unchanged),
                              hooks_skipped=dict(run.skipped))
            if run.failed:
                report.failure = run.failed.describe()
                return report
            connection = connect()
            try:
                report.salesforce_sync = run_salesforce_sync(connection, manifest, database)
                cursor = connection.cursor()
                metrics_table = naming.qualified(database, naming.ANALYTICS_SCHEMA, "CHURN_MODEL_METRICS")
                # The stand-in trains again when a hook changed what it reads, or when it has never run.
                if run.applied or not _metrics(cursor, metrics_table):
                    train_evaluate_score(connection, database)
                    report.churn_trained = True
                for name, value, model in _metrics(cursor, metrics_table):
                    report.churn_metrics[name] = value
                    report.churn_model = model
                report.alert_conditions = evaluate_alert_conditions(cursor, database)
                for schema, table in COUNTED:
                    (count,) = render(_COUNT, {"table": naming.qualified(database, schema, table)},
                                      source="ysg up summary")
                    cursor.execute(count)
                    report.rows[f"{schema}.{table}"] = cursor.fetchone()[0]
                (top,) = render(_TOP_ACCOUNTS, {"table": naming.qualified(
                    database, naming.ANALYTICS_SCHEMA, "DT_ACCOUNT_BILLING"), "limit": 5}, source="ysg up summary")
                cursor.execute(top)
                report.top_accounts = [tuple(row) for row in cursor.fetchall()]
            finally:
                connection.close()
    return report


def _metrics(cursor, table: str) -> list[tuple]:
    (sql,) = render(_METRICS, {"table": table}, source="ysg up summary")
    cursor.execute(sql)
    return [tuple(row) for row in cursor.fetchall()]


def format_report(report: UpReport) -> str:
    lines = [f"{'synthesized' if report.synthesized else 'reused, already current,'} {len(report.stacks)} stacks: "
             f"{', '.join(report.stacks)} (cdktf.out/stacks/)"]
    if report.did_nothing:
        lines.append("local is up to date: nothing to create, no sample data to load, no hook to run "
                     f"({len(report.hooks_unchanged)} hooks unchanged, {len(report.hooks_skipped)} "
                     "Snowflake-only hooks skipped).")
        lines.append("  (the emulator keeps stages and file formats only per session, so it declares "
                     f"{len(report.created)} of them again at every start)")
    else:
        lines.append(f"emulator objects created ({len(report.created)}):")
        lines.extend(f"  {what}" for what in report.created)
        loaded = {t: n for t, n in report.loaded.items() if n}
        lines.append("sample data loaded: " + (", ".join(f"{t} {n:,}" for t, n in loaded.items())
                                               if loaded else "none (already present)"))
        lines.append(f"hooks applied ({len(report.hooks_applied)}): {', '.join(report.hooks_applied) or 'none'}")
        if report.hooks_unchanged:
            lines.append(f"hooks unchanged ({len(report.hooks_unchanged)}): {', '.join(report.hooks_unchanged)}")
    lines.append(f"hooks skipped on the emulator ({len(report.hooks_skipped)}), never applied:")
    lines.extend(f"  {name}: {reason}" for name, reason in report.hooks_skipped.items())
    if report.failure:
        lines.append(f"FAILED: {report.failure}")
        lines.append("fix it and run `ysg up` again: it resumes from the failed hook")
        return "\n".join(lines)
    if report.salesforce_sync:
        lines.append(f"Salesforce sync (the task's MERGE over {_SAMPLE_RESPONSES}, the external function's "
                     f"stand-in): {report.salesforce_sync.inserted} inserted, {report.salesforce_sync.updated} updated")
    if report.churn_metrics:
        shown = ", ".join(f"{name} {report.churn_metrics[name]:.2f}" for name in SHOWN_METRICS
                          if name in report.churn_metrics)
        label = f"{report.churn_model}, {'trained now' if report.churn_trained else 'unchanged'}"
        lines.append(f"churn model ({label}): held-out {shown}")
    if report.alert_conditions:
        lines.append("alert conditions, evaluated once (the alerts themselves run only in Snowflake):")
        lines.extend(f"  {alert}: {count} row{'s' if count != 1 else ''}"
                     + (" (the emulator meters no credits)" if alert == "SFE_CREDIT_ALERT" and not count else "")
                     for alert, count in report.alert_conditions.items())
    lines.append("rows per table:")
    width = max(len(name) for name in report.rows)
    lines.extend(f"  {name:<{width}}  {count:>8,}" for name, count in report.rows.items())
    if report.top_accounts:
        month = report.top_accounts[0][3]
        lines.append(f"top {len(report.top_accounts)} accounts by cost, {month:%B %Y} (DT_ACCOUNT_BILLING):")
        for account_id, name, segment, _, total in report.top_accounts:
            lines.append(f"  {account_id:>6}  {name:<28} {segment:<11} {total:>12,.2f}")
    return "\n".join(lines)
