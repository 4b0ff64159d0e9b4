"""core/ysg_core/naming.py: an identifier is refused where it is built, and each environment's names."""
from __future__ import annotations

import pytest

from ysg_core import naming
from ysg_core.naming import EnvironmentNames, InvalidIdentifier, environment_name, identifier, qualified, stack_name


@pytest.mark.parametrize("value", ["SFE_BILLING_WH", "_X", "A$1", "A" * 255])
def test_an_upper_case_unquoted_identifier_is_returned_as_given(value):
    assert identifier(value) == value


@pytest.mark.parametrize("value", ["sfe_billing_wh", "1ABC", "A-B", "A B", '"A"', "A.B", "A;B", "A" * 256, "", None])
def test_what_snowflake_would_need_quoted_is_refused_naming_what_it_is(value):
    with pytest.raises(InvalidIdentifier, match=r"^warehouse .* is not a valid Snowflake identifier"):
        identifier(value, what="warehouse")


def test_a_qualified_name_is_made_of_valid_parts_only():
    assert qualified("DB", "SFE_RAW_BILLING", "USAGE_METRICS") == "DB.SFE_RAW_BILLING.USAGE_METRICS"
    with pytest.raises(InvalidIdentifier, match="'usage_metrics'"):
        qualified("DB", "SFE_RAW_BILLING", "usage_metrics")


@pytest.mark.parametrize("value", ["keys/../prod", "Prod", "dev-1", "dev_1", "1dev", "", "a" * 17])
def test_an_environment_is_a_name_never_a_path(value):
    with pytest.raises(InvalidIdentifier, match=r"^environment name .* is not valid"):
        environment_name(value)


def test_a_stack_is_named_after_its_environment():
    assert (stack_name("dev"), stack_name("a" * 16)) == ("billing-dev", "billing-" + "a" * 16)


def test_account_level_names_carry_the_environment_except_in_the_default_one():
    prod, dev = EnvironmentNames("prod", "SNOWFLAKE_EXAMPLE"), EnvironmentNames("dev", "SNOWFLAKE_EXAMPLE_DEV")
    assert [(n.warehouse, n.roles.analyst, n.agent, n.stack) for n in (prod, dev)] == [
        ("SFE_BILLING_WH", "BILLING_ANALYST_ROLE", "SFE_BILLING_AGENT", "billing-prod"),
        ("SFE_BILLING_WH_DEV", "BILLING_ANALYST_ROLE_DEV", "SFE_BILLING_AGENT_DEV", "billing-dev")]


def test_no_two_account_level_objects_of_an_environment_share_a_name():
    """Account-level objects are shared by every environment of the account: each name is its own and
    carries the environment."""
    names = EnvironmentNames("staging", "SNOWFLAKE_EXAMPLE_STAGING")
    properties = [p for p, v in vars(EnvironmentNames).items()
                  if isinstance(v, property) and p not in ("suffix", "roles", "stack")]
    account = [getattr(names, p) for p in properties] + list(names.roles.all())
    assert (len(set(account)), len(account), [a for a in account if not a.endswith("_STAGING")]) == (
        len(account), len(properties) + 7, [])


def test_the_data_contracts_schemas_are_never_suffixed():
    # ../shared/data-contract.md, "Schemas": a public interface.
    assert naming.SCHEMAS == ("SFE_RAW_BILLING", "SFE_STG_TELECOM", "SFE_ANALYTICS_COSTS", "SFE_SHARED_KNOWLEDGE")
