"""The access model on the synthesized prod stack: remove the grant the report names as the provider of a
privilege, and the report must turn MISSING for exactly what that grant provided (so the check cannot
pass blind); and the three mutations issue 12 names."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ysg import cli
from ysg.access.report import AccessReport, check_stack

GRANT_PREFIX = "snowflake_grant_"


@pytest.fixture(scope="module")
def prod(synthesized) -> Path:
    return synthesized["prod"]


@pytest.fixture(scope="module")
def baseline(prod) -> AccessReport:
    return check_stack(prod)


def copy(prod: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(prod, tmp_path / "billing-prod"))


def without(folder: Path, address: str, privilege: str | None = None) -> Path:
    """Remove `privilege` from the grant resource at `address`, or the whole resource when it grants only
    that (or when no privilege is named)."""
    path = folder / "cdk.tf.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    rtype, rid = address.split(".", 1)
    conf = document["resource"][rtype][rid]
    privileges = conf.get("privileges") or []
    if privilege and len(privileges) > 1:
        conf["privileges"] = [p for p in privileges if p != privilege]
    else:
        del document["resource"][rtype][rid]
    path.write_text(json.dumps(document), encoding="utf-8")
    return folder


def held(report: AccessReport) -> dict[tuple[str, str], list]:
    return {(r.label, n.text): n.providers for r in report.results for n in r.needs if n.held}


def missing(report: AccessReport) -> set[tuple[str, str]]:
    return {(r.label, n.text) for r in report.results for n in r.needs if not n.held}


def only_provider(report: AccessReport, label_start: str, text_start: str) -> tuple[str, str, str]:
    """The (label, need, grant address) of the one held need matching; it must have a grant provider."""
    found = [(label, text, providers[0].source.address) for (label, text), providers in held(report).items()
             if label.startswith(label_start) and text.startswith(text_start)
             and providers[0].source.address.startswith(GRANT_PREFIX)]
    assert found, f"no held '{text_start}' for {label_start} provided by a grant resource"
    return found[0]


def test_removing_the_named_provider_turns_exactly_what_it_provided_missing(prod, baseline, tmp_path):
    # Single-privilege requirements whose every way of being held goes through one grant resource: a
    # sample across statements, app and ingest checks. Removing that grant must make them, and only the
    # requirements that depended on it alone, MISSING.
    candidates = sorted({(label, text, providers[0].source.address)
                         for (label, text), providers in held(baseline).items()
                         if " or " not in text and " and " not in text
                         and len({h.source.address for h in providers}) == 1
                         and providers[0].source.address.startswith(GRANT_PREFIX)})
    by_grant = {}
    for label, text, address in candidates:      # one requirement per grant resource, many kinds of grant
        by_grant.setdefault(address, (label, text, address))
    sample = list(by_grant.values())[::max(1, len(by_grant) // 12)]
    assert len(sample) >= 8, by_grant
    for index, (label, text, address) in enumerate(sample):
        mutated = check_stack(without(copy(prod, tmp_path / str(index)), address))
        expected = {key for key, providers in held(baseline).items()
                    if " or " not in key[1] and all(address in h.addresses for h in providers)}
        newly_missing = missing(mutated) - missing(baseline)
        assert (label, text) in newly_missing, (address, label, text)
        assert {k for k in newly_missing if " or " not in k[1]} == expected, address


def run_access(folder: Path, capsys) -> tuple[int, str]:
    code = cli.main(["access", "prod", "--stack-dir", str(folder)])
    return code, capsys.readouterr().out


def block(out: str, label: str) -> str:
    """The lines `ysg access` prints for one statement or consumer: its label line and those under it."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  {label}  "))
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("  ") and not lines[i].startswith("   ")), len(lines))
    return "\n".join(lines[start:end])


def test_without_the_pipeline_roles_create_dynamic_table_grant_the_dynamic_table_hook_is_missing_it(
        prod, baseline, tmp_path, capsys):
    label, text, address = only_provider(baseline, "analytics.dt_account_billing #", "CREATE DYNAMIC TABLE on SCHEMA")
    code, out = run_access(without(copy(prod, tmp_path), address, "CREATE DYNAMIC TABLE"), capsys)
    assert code == 1 and f"MISSING  {text}" in block(out, label)
    assert f"ok       {text}" in block(run_access(prod, capsys)[1], label)     # held before the mutation


def test_without_the_pipeline_roles_usage_on_the_warehouse_the_dynamic_table_and_the_merges_miss_it(
        prod, baseline, tmp_path, capsys):
    label, text, address = only_provider(baseline, "analytics.dt_account_billing #", "USAGE on WAREHOUSE")
    code, out = run_access(without(copy(prod, tmp_path), address, "USAGE"), capsys)
    report = check_stack(tmp_path / "billing-prod")
    assert code == 1 and f"MISSING  {text}" in block(out, label)
    assert f"ok       {text}" in block(run_access(prod, capsys)[1], label)
    # The session warehouse of every statement that needs compute goes the same way (MERGE, DELETE, ...).
    assert ("knowledge.billing_kb #1", text) in missing(report)


def test_without_the_app_roles_select_on_dt_account_billing_the_app_is_missing_it(prod, baseline, tmp_path,
                                                                                    capsys):
    label, text, address = only_provider(baseline, "app: segments()", "SELECT on DYNAMIC TABLE")
    assert text.endswith("SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING")
    code, out = run_access(without(copy(prod, tmp_path), address, "SELECT"), capsys)
    assert code == 1 and f"MISSING  {text}" in block(out, label)
    assert f"ok       {text}" in block(run_access(prod, capsys)[1], label)
