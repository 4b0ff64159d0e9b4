"""Deterministic synthetic billing data for dev and local, loaded through the real path: CSV files
written, PUT to the internal stage SFE_RAW_BILLING.RAW, COPY INTO the landing tables.

Each account-month's total varies with realistic noise (the month's own level, the number and size of
its events, the odd expensive event, a December peak); a few account-months carry a planted anomaly
(`planted_anomalies`) the month-level flag must find. Churned accounts mostly use less and less
before they leave, some leave abruptly; their segment history records the day they churned.
Same seed, same files, same rows.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import random
from dataclasses import dataclass
from pathlib import Path

from ysg_core import naming
from ysg_core.config import EnvironmentConfig
from ysg_core.render import render

SAMPLE_DATA_ENVIRONMENTS = ("dev", "local")
SEED = 20251121
ACCOUNTS = 120
FIRST_MONTH = dt.date(2025, 1, 1)
MONTHS = 12
SEGMENTS = ("Enterprise", "Commercial", "SMB")
REGIONS = {"NAMER": ("US", "CA"), "EMEA": ("DE", "GB", "FR"), "APAC": ("AU", "SG", "JP"),
           "LATAM": ("BR", "MX", "CL")}
SERVICES = ("voice", "data", "sms")
TIERS = {"Enterprise": "Gold", "Commercial": "Silver", "SMB": "Bronze"}
# The scale of an account's monthly usage, by segment.
SCALE = {"Enterprise": 6.0, "Commercial": 2.5, "SMB": 1.0}
RATES = {"voice": 0.045, "data": 0.012, "sms": 0.02}   # per minute, per MB, per message
USAGE_ID_START = 1_000_001   # clear of the identity range Kafka ingestion uses in dev
SEGMENT_HISTORY_START = "2024-01-01"

# The noise every account-month has. The month's own level varies by about 8 % (log-normal), its
# events by +-30 % each, one event in fifty costs twice as much (an expensive call, not an
# anomalous month), and December runs 10 % above the rest of the year.
MONTH_SIGMA = 0.08
EVENT_SPREAD = 0.3
EXPENSIVE_EVENT_RATE = 0.02
DECEMBER_PEAK = 1.10
# Planted anomalies: about one account in four has one month whose usage runs 2 to 3 times its level
# (a roaming incident, a misconfigured device, fraud). Only in months with at least three steady months
# before them, so that the anomaly is one the month-level rule is defined to find.
PLANT_RATE = 0.28
PLANT_FACTOR = (2.0, 3.0)
# A churned account's activity in the four months before it leaves (most decline; ABRUPT_CHURN_RATE of
# them leave without warning), and an at-risk account's gentle monthly decline.
CHURN_DECLINE = (0.8, 0.6, 0.4, 0.2)
ABRUPT_CHURN_RATE = 0.3
AT_RISK_DECLINE = 0.04
# One event in ten carries a roaming surcharge as a second cost bucket (an event's buckets add up to its cost).
SPLIT_BUCKET_RATE = 0.1
ROAMING_SHARE = 0.3

# Column order of each CSV file: the landing table's columns the sample data fills.
COLUMNS = {
    "SALESFORCE_ACCOUNTS": ("ACCOUNT_ID", "SFDC_ACCOUNT_ID", "ACCOUNT_NAME", "BILLING_EMAIL", "BILLING_PHONE",
                            "BILLING_COUNTRY", "ACCOUNT_OWNER", "SYNCED_AT"),
    "CUSTOMER_SEGMENTS": ("ACCOUNT_ID", "CUSTOMER_NAME", "SEGMENT_NAME", "LIFECYCLE_STATUS", "TIER",
                          "EFFECTIVE_START", "EFFECTIVE_END"),
    "USAGE_METRICS": ("USAGE_ID", "ACCOUNT_ID", "USAGE_TS", "MINUTES_USED", "DATA_MB", "SMS_COUNT",
                      "SERVICE_TYPE", "COST_AMOUNT", "REGION_CODE", "INGEST_SOURCE"),
    "COST_ALLOCATIONS": ("ALLOCATION_ID", "USAGE_ID", "COST_BUCKET", "BUCKET_AMOUNT", "BILLED_AT"),
}
_NAMES = ("Northwind", "Bluepeak", "Cedar", "Helios", "Quanta", "Riverstone", "Solace", "Tidewater",
          "Vertex", "Orchid", "Granite", "Lumen", "Meridian", "Nimbus", "Pioneer", "Summit")
_KINDS = ("Logistics", "Health", "Retail", "Media", "Energy", "Foods", "Labs", "Telecom")
_OWNERS = ("Ana Ruiz", "Ben Okafor", "Chloe Martin", "Dev Patel", "Emma Lindqvist")
_BUCKETS = {"voice": "VOICE_NETWORK", "data": "DATA_NETWORK", "sms": "MESSAGING"}

# The key that identifies sample rows in each table (sample ids sit in ranges of their own), so a
# rerun can tell a loaded table from an empty one even where COPY's load metadata is not kept
# (fakesnow 0.12.1 forgets it, and the stage, when the emulator session ends).
SAMPLE_KEYS = {"SALESFORCE_ACCOUNTS": "ACCOUNT_ID", "CUSTOMER_SEGMENTS": "ACCOUNT_ID",
               "USAGE_METRICS": "USAGE_ID", "COST_ALLOCATIONS": "USAGE_ID"}
# `schema` is always naming.RAW_SCHEMA, which holds the landing tables and their stage RAW.
COUNT_SQL = ("SELECT COUNT(*) FROM {{ identifier:database }}.{{ identifier:schema }}.{{ identifier:table }} "
             "WHERE {{ identifier:key }} BETWEEN {{ number:low }} AND {{ number:high }}")
# One stage folder per table (fakesnow 0.12.1 ignores COPY's FILES option on internal stages).
PUT_SQL = ("PUT {{ literal:file_url }} @{{ identifier:database }}.{{ identifier:schema }}.RAW/sample/"
           "{{ identifier:table }} OVERWRITE = TRUE AUTO_COMPRESS = FALSE")
COPY_SQL = ("COPY INTO {{ identifier:database }}.{{ identifier:schema }}.{{ identifier:table }} "
            "({{ identifiers:columns }}) "
            "FROM @{{ identifier:database }}.{{ identifier:schema }}.RAW/sample/{{ identifier:table }} "
            "FILE_FORMAT = (FORMAT_NAME = {{ literal:file_format }})")


@dataclass(frozen=True)
class Account:
    account_id: int
    name: str
    segment: str
    region: str
    country: str
    status: str                  # Active, At Risk, Churned
    churn_month: int | None      # index of the first month without usage (Churned only)
    abrupt: bool = False         # a churned account that leaves without declining first
    planted_month: int | None = None   # index of the month with a planted anomaly
    planted_factor: float = 1.0


def accounts(rng: random.Random) -> list[Account]:
    result = []
    for i in range(ACCOUNTS):
        segment = SEGMENTS[i % len(SEGMENTS)]
        region = tuple(REGIONS)[(i // len(SEGMENTS)) % len(REGIONS)]
        roll = rng.random()
        status = "Churned" if roll < 0.18 else "At Risk" if roll < 0.33 else "Active"
        churn_month = rng.randint(7, MONTHS - 1) if status == "Churned" else None
        abrupt = status == "Churned" and rng.random() < ABRUPT_CHURN_RATE
        name = f"{_NAMES[i % len(_NAMES)]} {_KINDS[(i // len(_NAMES)) % len(_KINDS)]}"
        account = Account(account_id=10_001 + i, name=name, segment=segment, region=region,
                          country=rng.choice(REGIONS[region]), status=status, churn_month=churn_month,
                          abrupt=abrupt)
        if rng.random() < PLANT_RATE:
            eligible = [m for m in range(3, MONTHS) if _steady(account, m)]
            if eligible:
                account = Account(**{**account.__dict__, "planted_month": rng.choice(eligible),
                                     "planted_factor": rng.uniform(*PLANT_FACTOR)})
        result.append(account)
    return result


def _steady(account: Account, month: int) -> bool:
    """The account's usual activity holds in this month and the three before it (no churn decline),
    so a planted spike is measured against a baseline of the account's normal level."""
    return all(_activity(account, m) == 1.0 for m in range(month - 3, month + 1)) or (
        account.status == "At Risk" and all(_activity(account, m) > 0 for m in range(month - 3, month + 1)))


def planted_anomalies(seed: int = SEED) -> set[tuple[int, dt.date]]:
    """The (account_id, billing month) pairs that carry a planted anomaly: what the flag must find."""
    return {(a.account_id, _month(a.planted_month)) for a in accounts(random.Random(seed))
            if a.planted_month is not None}


def _month(index: int) -> dt.date:
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    return dt.date(FIRST_MONTH.year + year, month + 1, 1)


def _activity(account: Account, month: int) -> float:
    """How much of its usual usage the account has in this month (0 once churned)."""
    if account.status == "Churned":
        if month >= account.churn_month:
            return 0.0
        months_left = account.churn_month - month
        if account.abrupt or months_left > len(CHURN_DECLINE):
            return 1.0
        return CHURN_DECLINE[len(CHURN_DECLINE) - months_left]
    if account.status == "At Risk":
        return max(0.55, 1.0 - AT_RISK_DECLINE * month)
    return 1.0


def generate(seed: int = SEED) -> dict[str, list[tuple]]:
    """Every landing table's sample rows, as tuples in COLUMNS order."""
    rng = random.Random(seed)
    people = accounts(rng)
    rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
    usage_id = USAGE_ID_START
    allocation_id = 1
    for account in people:
        slug = account.name.lower().replace(" ", "")
        rows["SALESFORCE_ACCOUNTS"].append((
            account.account_id, f"001{account.account_id:012d}", account.name, f"billing@{slug}.example",
            f"+1-555-{account.account_id % 10_000:04d}", account.country, rng.choice(_OWNERS),
            "2025-12-31 23:00:00"))
        if account.status == "Churned":
            # The segment history: the account was active until the first day of the month it left.
            churned_on = _month(account.churn_month).isoformat()
            rows["CUSTOMER_SEGMENTS"].append((
                account.account_id, account.name, account.segment, "Active", TIERS[account.segment],
                SEGMENT_HISTORY_START, churned_on))
            rows["CUSTOMER_SEGMENTS"].append((
                account.account_id, account.name, account.segment, "Churned", TIERS[account.segment],
                churned_on, None))
        else:
            rows["CUSTOMER_SEGMENTS"].append((
                account.account_id, account.name, account.segment, account.status, TIERS[account.segment],
                SEGMENT_HISTORY_START, None))
        scale = SCALE[account.segment] * rng.uniform(0.7, 1.3)
        for month in range(MONTHS):
            activity = _activity(account, month)
            if activity == 0:
                continue
            level = scale * activity * math.exp(rng.gauss(0, MONTH_SIGMA))
            if _month(month).month == 12:
                level *= DECEMBER_PEAK
            if month == account.planted_month:
                level *= account.planted_factor
            start = _month(month)
            days = (_month(month + 1) - start).days
            for service in SERVICES:
                events = rng.randint(5, 8)
                for _ in range(events):
                    ts = dt.datetime.combine(start, dt.time()) + dt.timedelta(
                        days=rng.randrange(days), seconds=rng.randrange(86_400))
                    amount = level / events * 4 * rng.uniform(1 - EVENT_SPREAD, 1 + EVENT_SPREAD)
                    if rng.random() < EXPENSIVE_EVENT_RATE:
                        amount *= 2
                    minutes = round(amount * 400, 2) if service == "voice" else 0
                    data_mb = round(amount * 1500, 2) if service == "data" else 0
                    sms = int(amount * 90) if service == "sms" else 0
                    usage = {"voice": minutes, "data": data_mb, "sms": sms}[service]
                    cost = round(usage * RATES[service], 4)
                    rows["USAGE_METRICS"].append((
                        usage_id, account.account_id, ts.strftime("%Y-%m-%d %H:%M:%S"), minutes, data_mb, sms,
                        service, cost, account.region, "kafka"))
                    billed_at = _month(month + 1).isoformat()
                    if rng.random() < SPLIT_BUCKET_RATE:
                        surcharge = round(cost * ROAMING_SHARE, 4)
                        buckets = ((_BUCKETS[service], round(cost - surcharge, 4)), ("ROAMING", surcharge))
                    else:
                        buckets = ((_BUCKETS[service], cost),)
                    for bucket, bucket_amount in buckets:
                        rows["COST_ALLOCATIONS"].append((allocation_id, usage_id, bucket, bucket_amount, billed_at))
                        allocation_id += 1
                    usage_id += 1
    return rows


def write_csv(rows: dict[str, list[tuple]], workdir: Path) -> dict[str, Path]:
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for table, table_rows in rows.items():
        path = workdir / f"sample_{table.lower()}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS[table])
            writer.writerows(["" if v is None else v for v in row] for row in table_rows)
        files[table] = path
    return files


def load_sample_data(connection, config: EnvironmentConfig, workdir: Path) -> dict[str, int]:
    """Write the sample CSV files into `workdir`, PUT them to <DB>.SFE_RAW_BILLING.RAW/sample and
    COPY them into the landing tables; return the rows each table received in this call.

    A table that already holds the sample rows is skipped (0 rows, no file written), and COPY's own load metadata
    would skip the same file again, so a second call loads nothing. A table holding only part of
    them is refused before anything loads. Refused outside dev and local: sample data never
    reaches staging or prod.
    """
    if config.name not in SAMPLE_DATA_ENVIRONMENTS:
        raise ValueError(f"sample data is for {' and '.join(SAMPLE_DATA_ENVIRONMENTS)} only, "
                         f"not {config.name!r}")
    database = config.database.name
    target = {"database": database, "schema": naming.RAW_SCHEMA}
    rows = generate()
    loaded: dict[str, int] = {}
    cursor = connection.cursor()
    try:
        present = {table: _sample_rows_present(cursor, database, table, table_rows)
                   for table, table_rows in rows.items()}
        partial = [f"{table} ({count} of {len(rows[table])} rows)" for table, count in present.items()
                   if 0 < count < len(rows[table])]
        if partial:
            raise ValueError(f"{database}: part of the sample data is already loaded in {', '.join(partial)}; "
                             "refusing to add duplicates (empty those tables or remove .local/emulator/)")
        files = write_csv({table: table_rows for table, table_rows in rows.items() if not present[table]}, workdir)
        for table in rows:
            if present[table]:
                loaded[table] = 0
                continue
            (put,) = render(PUT_SQL, {**target, "file_url": files[table].resolve().as_uri(), "table": table},
                            source="cli/ysg/sample_data.py PUT")
            cursor.execute(put)
            (copy,) = render(COPY_SQL, {**target, "table": table, "columns": COLUMNS[table],
                                        "file_format": naming.qualified(database, naming.RAW_SCHEMA,
                                                                        "SFE_CSV_FORMAT")},
                             source="cli/ysg/sample_data.py COPY")
            cursor.execute(copy)
            loaded[table] = _rows_loaded(cursor)
    finally:
        cursor.close()
    return loaded


def _sample_rows_present(cursor, database: str, table: str, table_rows: list[tuple]) -> int:
    index = COLUMNS[table].index(SAMPLE_KEYS[table])
    keys = [row[index] for row in table_rows]
    (count_sql,) = render(COUNT_SQL, {"database": database, "schema": naming.RAW_SCHEMA, "table": table,
                                      "key": SAMPLE_KEYS[table], "low": min(keys), "high": max(keys)},
                          source="cli/ysg/sample_data.py COUNT")
    cursor.execute(count_sql)
    return int(cursor.fetchone()[0])


def _rows_loaded(cursor) -> int:
    names = [d[0].lower() for d in cursor.description or ()]
    if "rows_loaded" not in names:   # "Copy executed with 0 files processed."
        return 0
    index = names.index("rows_loaded")
    return sum(int(row[index] or 0) for row in cursor.fetchall())
