"""terraform.py: `cdktf diff` runs only with Terraform and credentials, and says plainly why not."""
from __future__ import annotations

from pathlib import Path

import pytest

from ysg.plan.terraform import cdktf_diff, missing_prerequisites

CREDENTIALS = {"SNOWFLAKE_ORGANIZATION_NAME": "YSG", "SNOWFLAKE_ACCOUNT_NAME": "BILLING",
               "SNOWFLAKE_USER": "CI", "SNOWFLAKE_PRIVATE_KEY_PATH": "/run/secrets/key.p8"}


@pytest.fixture
def repo(tmp_path) -> Path:
    """A checkout with the pinned cdktf command line installed (a stand-in: it is never run here)."""
    (tmp_path / "node_modules" / ".bin").mkdir(parents=True)
    (tmp_path / "node_modules" / ".bin" / "cdktf").write_text("#!/bin/sh\nexit 99\n")
    return tmp_path


def test_nothing_is_missing_with_terraform_and_key_pair_credentials(repo):
    assert missing_prerequisites(repo, CREDENTIALS, which=lambda _: "/usr/bin/terraform") == []


def test_each_missing_prerequisite_is_named(tmp_path):
    missing = missing_prerequisites(tmp_path, {"SNOWFLAKE_USER": "CI"}, which=lambda _: None)
    assert missing == [
        "Terraform is not installed (no `terraform` on PATH)",
        "the pinned cdktf command line is not installed (run `make setup`)",
        "no Snowflake credentials: SNOWFLAKE_ORGANIZATION_NAME, SNOWFLAKE_ACCOUNT_NAME not set",
        "no key-pair credential: neither SNOWFLAKE_PRIVATE_KEY nor SNOWFLAKE_PRIVATE_KEY_PATH is set"]


def test_without_credentials_cdktf_diff_is_not_run_and_says_why(repo, monkeypatch):
    for name in [*CREDENTIALS, "SNOWFLAKE_PRIVATE_KEY"]:
        monkeypatch.delenv(name, raising=False)
    result = cdktf_diff("staging", repo)
    assert (result.ran, "no Snowflake credentials: SNOWFLAKE_ORGANIZATION_NAME" in result.reason) == (False, True)
