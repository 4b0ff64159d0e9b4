"""cli/ysg/sample_data.py: deterministic synthetic billing data, loaded by PUT and COPY INTO."""
from collections import defaultdict

import pytest

from ysg.emulator import apply_stack_subset, emulator_connection
from ysg.sample_data import MONTHS, REGIONS, SEED, SEGMENTS, SERVICES, generate, load_sample_data, planted_anomalies

USAGE_COLUMNS = ("USAGE_ID", "ACCOUNT_ID", "USAGE_TS", "MINUTES_USED", "DATA_MB", "SMS_COUNT",
                 "SERVICE_TYPE", "COST_AMOUNT", "REGION_CODE", "INGEST_SOURCE")


@pytest.fixture(scope="module")
def rows():
    return generate()


def test_the_same_seed_gives_the_same_rows(rows):
    assert generate() == rows


def test_coverage_accounts_months_services_regions_segments(rows):
    usage = rows["USAGE_METRICS"]
    segments = rows["CUSTOMER_SEGMENTS"]
    assert (len(segments) >= 100, len({u[2][:7] for u in usage}), {u[6] for u in usage}, {u[8] for u in usage},
            {s[2] for s in segments}, {s[3] for s in segments}) == (
        True, MONTHS, set(SERVICES), set(REGIONS), set(SEGMENTS), {"Active", "At Risk", "Churned"})


def test_churned_accounts_stop_most_decline_first_and_their_history_says_when(rows):
    import random

    from ysg.sample_data import SEED as seed, accounts
    abrupt = {a.account_id for a in accounts(random.Random(seed)) if a.abrupt}
    churned_on = {s[0]: s[5] for s in rows["CUSTOMER_SEGMENTS"] if s[3] == "Churned"}
    monthly = defaultdict(lambda: defaultdict(float))
    for u in rows["USAGE_METRICS"]:
        monthly[u[1]][u[2][:7]] += u[7]
    declined, stopped_on_time = set(), set()
    for account, on in churned_on.items():
        months = sorted(monthly[account])
        costs = [monthly[account][m] for m in months]
        if costs[-1] < 0.5 * sum(costs[:4]) / 4:   # the last active month under half the first months' level
            declined.add(account)
        stopped_on_time.add(account) if months[-1] < on[:7] else None
    assert (len(churned_on) >= 10, 0 < len(abrupt) < len(churned_on), declined, stopped_on_time) == (
        True, True, set(churned_on) - abrupt, set(churned_on))


def test_loads_through_put_and_copy_and_a_second_load_adds_nothing(stacks, configs, rows, tmp_path):
    config = configs["local"]
    with emulator_connection(tmp_path / "emu", config.database.name) as connection:
        apply_stack_subset(connection, stacks["local"])
        first = load_sample_data(connection, config, tmp_path / "work")
        second = load_sample_data(connection, config, tmp_path / "work")
        cursor = connection.cursor()
        cursor.execute(f"LIST @{config.database.name}.SFE_RAW_BILLING.RAW")
        staged = sorted(r[0] for r in cursor.fetchall())
    assert (first, second, staged) == (
        {table: len(table_rows) for table, table_rows in rows.items()},
        {table: 0 for table in rows},
        sorted(f"raw/sample/{t}/sample_{t.lower()}.csv" for t in rows))


def test_a_later_session_loads_nothing_again(stacks, configs, tmp_path):
    config = configs["local"]
    for _ in range(2):
        with emulator_connection(tmp_path / "emu", config.database.name) as connection:
            apply_stack_subset(connection, stacks["local"])
            loaded = load_sample_data(connection, config, tmp_path / "work")
    assert set(loaded.values()) == {0}


def test_a_partial_load_is_refused_before_anything_loads(stacks, configs, tmp_path):
    config = configs["local"]
    with emulator_connection(tmp_path / "emu", config.database.name) as connection:
        apply_stack_subset(connection, stacks["local"])
        cursor = connection.cursor()
        cursor.execute(f"INSERT INTO {config.database.name}.SFE_RAW_BILLING.USAGE_METRICS "
                       "(usage_id, account_id, usage_ts) VALUES (1000001, 10001, '2025-01-01 00:00:00')")
        with pytest.raises(ValueError, match=r"USAGE_METRICS \(1 of \d+ rows\); refusing to add duplicates"):
            load_sample_data(connection, config, tmp_path / "work")
        cursor.execute(f"SELECT COUNT(*) FROM {config.database.name}.SFE_RAW_BILLING.SALESFORCE_ACCOUNTS")
        assert cursor.fetchone()[0] == 0


def test_sample_data_never_reaches_staging_or_prod(configs, tmp_path):
    with pytest.raises(ValueError, match="sample data is for dev and local only, not 'prod'"):
        load_sample_data(None, configs["prod"], tmp_path)


@pytest.fixture(scope="module")
def flagged_months(synthesized, stacks, configs, tmp_path_factory):
    """The sample data through the real path, every emulator-runnable hook, and what DT_ACCOUNT_BILLING
    flags: (all account-months, the flagged ones)."""
    import datetime as dt

    from ysg_hooks.manifest import load_manifest
    from ysg.local_standins import create_metering_standin

    config = configs["local"]
    tmp = tmp_path_factory.mktemp("sample-flow")
    with emulator_connection(tmp / "emu", config.database.name) as connection:
        apply_stack_subset(connection, stacks["local"])
        load_sample_data(connection, config, tmp / "work")
        cursor = connection.cursor()
        create_metering_standin(cursor)
        for hook in load_manifest(synthesized["local"]).hooks:
            if not hook.snowflake_only:
                for statement in hook.statements:
                    cursor.execute(statement)
        cursor.execute(f"SELECT account_id, billing_month, latest_alert FROM {config.database.name}"
                       ".SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING")
        rows = [(int(a), m if isinstance(m, dt.date) else m.date(), alert) for a, m, alert in cursor.fetchall()]
    return {(a, m) for a, m, _ in rows}, {(a, m) for a, m, alert in rows if alert == "ANOMALY"}


def test_the_month_level_flag_finds_every_planted_anomaly_and_little_else(flagged_months):
    months, flagged = flagged_months
    planted = planted_anomalies()
    found = flagged & planted
    share, recall, precision = len(flagged) / len(months), len(found) / len(planted), len(found) / len(flagged)
    assert (len(planted) >= 20, 0.01 <= share <= 0.10, recall, precision >= 0.8) == (True, True, 1.0, True), (
        f"{len(flagged)} of {len(months)} flagged ({share:.1%}), recall {recall:.2f}, precision {precision:.2f}")


def test_planted_anomalies_are_reproducible_from_the_seed_and_differ_with_another():
    assert (planted_anomalies() == planted_anomalies(), planted_anomalies() != planted_anomalies(SEED + 1)) == (
        True, True)


def test_some_events_carry_two_cost_buckets_that_add_up_to_their_cost(rows):
    from collections import Counter
    from decimal import Decimal

    buckets = Counter(a[1] for a in rows["COST_ALLOCATIONS"])
    split = {usage for usage, n in buckets.items() if n == 2}
    totals: dict[int, Decimal] = {}
    for a in rows["COST_ALLOCATIONS"]:
        totals[a[1]] = totals.get(a[1], Decimal(0)) + Decimal(str(a[3]))
    cost = {u[0]: Decimal(str(u[7])) for u in rows["USAGE_METRICS"]}
    assert (len(split) > 100, max(buckets.values()), all(totals[u] == cost[u] for u in cost)) == (True, 2, True)
