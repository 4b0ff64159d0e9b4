import pytest

from ysg_constructs.database import BillingDatabase, BillingDatabaseProps
from ysg_constructs.role import FunctionalRole, FunctionalRoleProps

from tfdoc import only


def test_retention_and_no_public_schema(synth_stack):
    doc = synth_stack(lambda s: BillingDatabase(s, "db", BillingDatabaseProps(name="DB_T", data_retention_days=7)))
    database = only(doc, "snowflake_database")
    assert (database["name"], database["data_retention_time_in_days"], database["drop_public_schema_on_creation"]) == (
        "DB_T", 7, True)


def test_grant_usage(synth_stack):
    def build(stack):
        database = BillingDatabase(stack, "db", BillingDatabaseProps(name="DB_T", data_retention_days=1))
        database.grant_usage(FunctionalRole(stack, "r", FunctionalRoleProps(name="R_T", comment="r")))
    grant = only(synth_stack(build), "snowflake_grant_privileges_to_account_role")
    assert grant["privileges"] == ["USAGE"] and grant["on_account_object"]["object_type"] == "DATABASE"


@pytest.mark.parametrize("days", [-1, 91])
def test_retention_out_of_range_is_refused(synth_stack, days):
    with pytest.raises(ValueError, match="data_retention_days must be 0 to 90"):
        synth_stack(lambda s: BillingDatabase(s, "db", BillingDatabaseProps(name="DB_T", data_retention_days=days)))
