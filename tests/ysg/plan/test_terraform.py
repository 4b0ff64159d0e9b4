"""terraform.py: `cdktf diff` runs only with Terraform and credentials, and says plainly why not."""
from __future__ import annotations

from pathlib import Path

from ysg.plan.terraform import cdktf_diff, missing_prerequisites

REPO_ROOT = Path(__file__).resolve().parents[3]
CREDENTIALS = {"SNOWFLAKE_ORGANIZATION_NAME": "YSG", "SNOWFLAKE_ACCOUNT_NAME": "BILLING",
               "SNOWFLAKE_USER": "CI", "SNOWFLAKE_PRIVATE_KEY_PATH": "/run/secrets/key.p8"}


def test_nothing_is_missing_with_terraform_and_key_pair_credentials():
    assert missing_prerequisites(REPO_ROOT, CREDENTIALS, which=lambda _: "/usr/bin/terraform") == []


def test_each_missing_prerequisite_is_named():
    missing = missing_prerequisites(REPO_ROOT, {"SNOWFLAKE_USER": "CI"}, which=lambda _: None)
    assert missing == [
        "Terraform is not installed (no `terraform` on PATH)",
        "no Snowflake credentials: SNOWFLAKE_ORGANIZATION_NAME, SNOWFLAKE_ACCOUNT_NAME not set",
        "no key-pair credential: neither SNOWFLAKE_PRIVATE_KEY nor SNOWFLAKE_PRIVATE_KEY_PATH is set"]


def test_without_credentials_cdktf_diff_is_not_run_and_says_why(monkeypatch):
    for name in [*CREDENTIALS, "SNOWFLAKE_PRIVATE_KEY"]:
        monkeypatch.delenv(name, raising=False)
    result = cdktf_diff("staging", REPO_ROOT)
    assert (result.ran, "no Snowflake credentials: SNOWFLAKE_ORGANIZATION_NAME" in result.reason) == (False, True)
