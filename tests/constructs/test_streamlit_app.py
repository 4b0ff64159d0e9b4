"""The Billing Ops Streamlit app construct (constructs/ysg_constructs/streamlit_app.py), per environment."""
from __future__ import annotations

import re

import pytest

from ysg import naming

ENVIRONMENTS = ("dev", "staging", "prod", "local")

_REFERENCE = re.compile(r"^\$\{(snowflake_[a-z0-9_]+)\.([^.]+)\.([a-z_]+)\}$")


def _resolve(stack: dict, value: str) -> dict:
    """The resource a Terraform reference like `${snowflake_stage.id.fully_qualified_name}` points to."""
    kind, key, _ = _REFERENCE.fullmatch(value).groups()
    return stack["resource"][kind][key]


def _app(stack: dict) -> dict:
    (app,) = stack["resource"]["snowflake_streamlit"].values()
    return app


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_one_app_per_environment_runs_on_the_billing_warehouse(stacks, configs, env):
    assert _resolve(stacks[env], _app(stacks[env])["query_warehouse"])["name"] == configs[env].names.warehouse


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_app_is_owned_by_the_environments_streamlit_role(stacks, configs, env):
    stack = stacks[env]
    (owner,) = [g for g in stack["resource"]["snowflake_grant_ownership"].values()
                if g["on"]["object_type"] == "STREAMLIT"]
    app = _resolve(stack, owner["on"]["object_name"])
    assert (app["name"], _resolve(stack, owner["account_role_name"])["name"]) == (
        naming.BILLING_OPS_APP, configs[env].names.roles.streamlit)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_app_stage_is_encrypted_with_a_directory_in_the_analytics_schema(stacks, env):
    stack = stacks[env]
    stage = _resolve(stack, _app(stack)["stage"])
    schema = _resolve(stack, stage["schema"])
    assert (stage["name"], stage["encryption"], stage["directory"], schema["name"]) == (
        naming.BILLING_OPS_APP_STAGE, "TYPE = 'SNOWFLAKE_SSE'", "ENABLE = true", naming.ANALYTICS_SCHEMA)


def test_the_streamlit_role_may_read_the_app_stage(stacks, configs):
    stack = stacks["dev"]
    grants = [g for g in stack["resource"]["snowflake_grant_privileges_to_account_role"].values()
              if g.get("on_schema_object", {}).get("object_type") == "STAGE"]
    assert [(_resolve(stack, g["account_role_name"])["name"], g["privileges"],
             _resolve(stack, g["on_schema_object"]["object_name"])["name"]) for g in grants] == [
        (configs["dev"].names.roles.streamlit, ["READ"], naming.BILLING_OPS_APP_STAGE)]


def test_analysts_may_open_the_app(stacks, configs):
    stack = stacks["staging"]
    grants = [g for g in stack["resource"]["snowflake_grant_privileges_to_account_role"].values()
              if g.get("on_schema_object", {}).get("object_type") == "STREAMLIT"]
    assert [(_resolve(stack, g["account_role_name"])["name"], g["privileges"]) for g in grants] == [
        (configs["staging"].names.roles.analyst, ["USAGE"])]


def test_the_main_file_is_the_apps_entry_point(stacks):
    from ysg.paths import REPO_ROOT

    assert (REPO_ROOT / "app" / _app(stacks["prod"])["main_file"]).is_file()


@pytest.mark.parametrize("main_file", ["../streamlit_app.py", "/abs/app.py", "app.txt"])
def test_a_main_file_outside_the_stage_is_refused(raw_schema, main_file):
    from ysg_constructs import bindings as b
    from ysg_constructs.resource_monitor import ResourceMonitorProps
    from ysg_constructs.role import FunctionalRole, FunctionalRoleProps
    from ysg_constructs.streamlit_app import StreamlitApp, StreamlitAppProps
    from ysg_constructs.warehouse import BillingWarehouse, BillingWarehouseProps

    stack = b.TerraformStack(b.App(), "unit")
    warehouse = BillingWarehouse(stack, "wh", BillingWarehouseProps(
        name="WH_T", monitor=ResourceMonitorProps(name="WH_MON_T", credit_quota=10)))
    owner = FunctionalRole(stack, "streamlit", FunctionalRoleProps(name="STREAMLIT_T", comment="s"))
    with pytest.raises(ValueError, match="must be a relative path to a .py file"):
        StreamlitApp(stack, "bad", raw_schema(stack), warehouse, owner,
                     StreamlitAppProps(name="X_APP", title="X", stage_name="X_STAGE", main_file=main_file))
