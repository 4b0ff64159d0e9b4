"""The Billing Ops Streamlit app (constructs/ysg_constructs/streamlit_app.py and the hook that creates it)."""
from __future__ import annotations

import re

import pytest

from ysg_constructs import bindings as b
from ysg_constructs.resource_monitor import ResourceMonitorProps
from ysg_constructs.role import FunctionalRole, FunctionalRoleProps
from ysg_constructs.streamlit_app import StreamlitApp, StreamlitAppProps
from ysg_constructs.warehouse import BillingWarehouse, BillingWarehouseProps
from ysg_core import naming
from ysg_core.paths import REPO_ROOT
from ysg_hooks.manifest import load_manifest

from tfdoc import resources

ENVIRONMENTS = ("dev", "staging", "prod", "local")

_REFERENCE = re.compile(r"^\$\{(snowflake_[a-z0-9_]+)\.([^.]+)\.([a-z_]+)\}$")


def _resolve(stack: dict, value: str) -> dict:
    """The resource a Terraform reference like `${snowflake_stage.id.fully_qualified_name}` points to."""
    kind, key, _ = _REFERENCE.fullmatch(value).groups()
    return stack["resource"][kind][key]


def _grants(stack: dict) -> list[tuple[str, list[str], dict]]:
    return [(_resolve(stack, g["account_role_name"])["name"], g["privileges"], g)
            for g in resources(stack, "snowflake_grant_privileges_to_account_role").values()]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_terraform_creates_no_app_and_transfers_no_ownership(stacks, env):
    """Finding 2 of issue 11: STREAMLIT is no ownership object type, in Snowflake or the provider."""
    assert "snowflake_streamlit" not in stacks[env]["resource"]
    assert "snowflake_grant_ownership" not in stacks[env]["resource"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_app_is_created_by_a_hook_run_as_the_streamlit_role_on_the_billing_warehouse(synthesized, configs, env):
    names = configs[env].names
    app = load_manifest(synthesized[env]).by_name()["app.sfe_billing_ops_app"]
    (statement,) = app.statements
    assert app.role == names.roles.streamlit and app.depends_on == ("app.stage_streamlit_files",)
    assert f"STREAMLIT {configs[env].database.name}.{naming.ANALYTICS_SCHEMA}.{naming.BILLING_OPS_APP}" in statement
    assert f"QUERY_WAREHOUSE = {names.warehouse}" in statement
    main_file = re.search(r"MAIN_FILE = '([^']+)'", statement)[1]
    assert (REPO_ROOT / "app" / main_file).is_file()


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_app_stage_is_encrypted_with_a_directory_in_the_analytics_schema(stacks, env):
    stack = stacks[env]
    (stage,) = [s for s in resources(stack, "snowflake_stage").values() if s["name"] == naming.BILLING_OPS_APP_STAGE]
    assert (stage["encryption"], stage["directory"], _resolve(stack, stage["schema"])["name"]) == (
        "TYPE = 'SNOWFLAKE_SSE'", "ENABLE = true", naming.ANALYTICS_SCHEMA)


def test_the_app_role_reads_the_stage_and_creates_the_app_and_the_pipeline_role_stages_the_files(stacks, configs):
    stack, roles = stacks["dev"], configs["dev"].names.roles
    on_stage = sorted((role, privileges) for role, privileges, g in _grants(stack)
                      if g.get("on_schema_object", {}).get("object_type") == "STAGE")
    assert on_stage == [(roles.pipeline, ["READ", "WRITE"]), (roles.streamlit, ["READ"])]
    creates = [(role, _resolve(stack, g["on_schema"]["schema_name"])["name"]) for role, privileges, g in _grants(stack)
               if privileges == ["CREATE STAGE", "CREATE STREAMLIT"]]
    assert creates == [(roles.streamlit, naming.ANALYTICS_SCHEMA)]


def test_analysts_may_open_the_app_through_a_future_grant(stacks, configs):
    stack = stacks["staging"]
    future = [(role, privileges, _resolve(stack, g["on_schema_object"]["future"]["in_schema"])["name"])
              for role, privileges, g in _grants(stack)
              if g.get("on_schema_object", {}).get("future", {}).get("object_type_plural") == "STREAMLITS"]
    assert future == [(configs["staging"].names.roles.analyst, ["USAGE"], naming.ANALYTICS_SCHEMA)]


def _app(raw_schema, main_file="app.py", stager_name="PIPELINE_T"):
    stack = b.TerraformStack(b.App(), "unit")
    warehouse = BillingWarehouse(stack, "wh", BillingWarehouseProps(
        name="WH_T", monitor=ResourceMonitorProps(name="WH_MON_T", credit_quota=10)))
    owner = FunctionalRole(stack, "streamlit", FunctionalRoleProps(name="STREAMLIT_T", comment="s"))
    stager = owner if stager_name == "STREAMLIT_T" else FunctionalRole(
        stack, "pipeline", FunctionalRoleProps(name=stager_name, comment="p"))
    StreamlitApp(stack, "app", raw_schema(stack), warehouse, owner, stager,
                 StreamlitAppProps(name="X_APP", title="X", stage_name="X_STAGE", main_file=main_file))


@pytest.mark.parametrize("main_file", ["../streamlit_app.py", "/abs/app.py", "app.txt"])
def test_a_main_file_outside_the_stage_is_refused(raw_schema, main_file):
    with pytest.raises(ValueError, match="must be a relative path to a .py file"):
        _app(raw_schema, main_file=main_file)


def test_the_role_that_runs_the_app_may_not_write_its_code(raw_schema):
    with pytest.raises(ValueError, match="must not write its code"):
        _app(raw_schema, stager_name="STREAMLIT_T")
