"""ysg/sample_data.py: deterministic synthetic billing data, loaded by PUT and COPY INTO."""
from collections import defaultdict

import pytest

from ysg.emulator import apply_stack_subset, emulator_connection
from ysg.sample_data import MONTHS, REGIONS, SEGMENTS, SERVICES, generate, load_sample_data

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


def test_churned_accounts_decline_then_stop(rows):
    churned = {s[0] for s in rows["CUSTOMER_SEGMENTS"] if s[3] == "Churned"}
    monthly = defaultdict(lambda: defaultdict(float))
    for u in rows["USAGE_METRICS"]:
        monthly[u[1]][u[2][:7]] += u[7]
    declining = 0
    for account in churned:
        months = sorted(monthly[account])
        costs = [monthly[account][m] for m in months]
        # The last active month costs well under the average of the first four, and usage stops early.
        declining += costs[-1] < 0.5 * sum(costs[:4]) / 4 and months[-1] < "2025-12"
    assert (len(churned) >= 10, declining) == (True, len(churned))


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
