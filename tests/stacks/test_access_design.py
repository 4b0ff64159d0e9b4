"""Issue 12's findings on the synthesized stacks: who creates, owns and uses what, checked by the offline
access model (cli/ysg/access) and on the stack itself. Each of these failed before the role design of
README's "Ownership and roles" (bootstrap, deploy role, exact CREATE grants, future grants for what
hooks create in managed access schemas)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from ysg.access.report import check_stack
from ysg_core.paths import IMPORTS_FILE
from ysg_core.render import split_statements
from ysg_hooks.manifest import load_manifest

from tfdoc import resources

REMOTE = ["dev", "staging", "prod"]


@pytest.fixture(scope="module")
def reports(synthesized):
    return {env: check_stack(synthesized[env]) for env in REMOTE}


@pytest.mark.parametrize("env", REMOTE)
def test_every_hook_statement_and_consumer_holds_what_snowflake_requires(reports, env):
    report = reports[env]
    assert [(label, need.missing) for label, need in report.missing()] == []
    assert len(report.statements) > 40 and len(report.consumers) > 5   # not an empty, trivially clean report


def test_the_app_role_may_run_the_agent_and_the_ingest_role_may_call_the_salesforce_function(reports):
    """Findings 3 and 4: the app's "Ask the agent" page and the Salesforce sync user."""
    consumers = {r.label.split(" ", 2)[1] if r.label.startswith("app:") else r.label.split(":")[0]: r
                 for r in reports["prod"].consumers}
    ask = consumers["ask_agent()"]
    assert ask.ok and {n.text.split(" on ")[0] for n in ask.needs} >= {"USAGE"}
    assert any("CORTEX SEARCH SERVICE" in n.text for n in ask.needs)
    sync = consumers["salesforce sync"]
    assert sync.ok and any(n.text.startswith("USAGE on FUNCTION") for n in sync.needs)


@pytest.mark.parametrize("env", REMOTE)
def test_no_hook_does_what_only_an_administrator_or_a_schema_owner_may(synthesized, env):
    """Finding 1 and 5: the agents database, SNOWFLAKE.* roles and grants in managed access schemas are
    not the hooks' (bootstrap.sql and the schemas' future grants are)."""
    statements = [s for hook in load_manifest(synthesized[env]).hooks for s in hook.statements]
    refused = [s for s in statements if re.match(r"CREATE\s+(DATABASE|SCHEMA)\b", s)
               or re.search(r"GRANT\s+DATABASE\s+ROLE\s+SNOWFLAKE\.", s)
               or re.search(r"ON\s+(CORTEX\s+SEARCH\s+SERVICE|SEMANTIC\s+VIEW)\b", s)]
    assert refused == []
    bootstrap = (synthesized[env] / "bootstrap.sql").read_text(encoding="utf-8")
    # The shared agents location is SYSADMIN's, created by the administrator, whichever environment is first.
    assert re.search(r"USE ROLE SYSADMIN;\s+CREATE DATABASE IF NOT EXISTS SNOWFLAKE_INTELLIGENCE", bootstrap)


@pytest.mark.parametrize("env", REMOTE)
def test_write_roles_hold_data_privileges_and_each_create_is_granted_exactly(stacks, env):
    """Finding 6: no database role (READ, WRITE) carries a CREATE privilege, and no grant resource holds a
    SNOWFLAKE.ML.* privilege, whose schema grant the provider shows as a permanent diff
    (docs/resources/grant_privileges_to_account_role.md:358 at v2.11.0)."""
    doc = stacks[env]
    schema_level = [g["privileges"] for g in resources(doc, "snowflake_grant_privileges_to_database_role").values()
                    if "on_schema" in g]
    assert schema_level and all(p == ["USAGE"] for p in schema_level)
    creates = sorted(p for g in resources(doc, "snowflake_grant_privileges_to_account_role").values()
                     for p in g.get("privileges", []) if p.startswith("CREATE "))
    assert creates == sorted(["CREATE TASK", "CREATE VIEW", "CREATE MASKING POLICY", "CREATE VIEW", "CREATE TABLE",
                              "CREATE DYNAMIC TABLE", "CREATE SEMANTIC VIEW", "CREATE ALERT",
                              "CREATE CORTEX SEARCH SERVICE", "CREATE STAGE", "CREATE STREAMLIT"])
    assert not any("SNOWFLAKE.ML" in json.dumps(g) for g in resources(doc, "snowflake_grant_privileges_to_account_role").values())
    [ml] = [e for e in resources(doc, "snowflake_execute").values() if "SNOWFLAKE.ML.CLASSIFICATION" in e["execute"]]
    assert ml["execute"].startswith("GRANT CREATE SNOWFLAKE.ML.CLASSIFICATION ON SCHEMA ")
    assert ml["revert"].startswith("REVOKE CREATE SNOWFLAKE.ML.CLASSIFICATION ON SCHEMA ")


@pytest.mark.parametrize("env", REMOTE)
def test_roles_are_pinned_terraform_as_the_deploy_role_hooks_as_theirs(stacks, synthesized, configs, env):
    """Finding 7 and the design: the provider names the deploy role and the warehouse; hooks.json names the
    role and warehouse the runner pins, the app's hook its own role; the deploy user may use both."""
    names = configs[env].names
    (provider,) = stacks[env]["provider"]["snowflake"]
    assert (provider["role"], provider["warehouse"]) == (names.deploy_role, names.warehouse)
    manifest = json.loads((synthesized[env] / "hooks.json").read_text(encoding="utf-8"))
    assert manifest["run_as"] == {"role": names.roles.pipeline, "warehouse": names.warehouse}
    assert {h["name"]: h["role"] for h in manifest["hooks"] if h.get("role")} == {
        "app.sfe_billing_ops_app": names.roles.streamlit}
    users = {(g["role_name"], g["user_name"]) for g in resources(stacks[env], "snowflake_grant_account_role").values()
             if g.get("user_name") == names.deploy_user}
    assert len(users) == 2
    # Pinned means only that role: no secondary role may lend the deploy role's privileges to a hook.
    bootstrap = split_statements((synthesized[env] / "bootstrap.sql").read_text(encoding="utf-8"))
    create = next(s for s in bootstrap if s.startswith(f"CREATE USER IF NOT EXISTS {names.deploy_user}\n"))
    assert "DEFAULT_SECONDARY_ROLES = ()" in create
    assert f"ALTER USER {names.deploy_user} SET DEFAULT_SECONDARY_ROLES = ()" in bootstrap


@pytest.mark.parametrize("env", REMOTE)
def test_the_warehouse_and_monitors_are_the_administrator_s_and_terraform_adopts_them(stacks, synthesized,
                                                                                      configs, env):
    """Only an administrator creates a monitor: bootstrap.sql creates the warehouse assigned to its monitor
    and hands the warehouse to the deploy role; Terraform imports both by their quoted names (the
    provider's documented import ids) and never destroys them."""
    names, doc = configs[env].names, stacks[env]
    text = (synthesized[env] / IMPORTS_FILE).read_text(encoding="utf-8")
    blocks = re.findall(r'import \{\n  to = (\S+)\n  id = ("(?:[^"\\]|\\.)*")\n\}', text)
    imported = {to: json.loads(ident) for to, ident in blocks}
    expected = {names.warehouse, names.warehouse_monitor} | (
        {names.account_monitor} if configs[env].resource_monitors.attach_account_monitor else set())
    assert sorted(imported.values()) == sorted(f'"{n}"' for n in expected)
    for to in imported:                     # every import names a resource of the stack, kept from destruction
        rtype, rid = to.split(".", 1)
        assert doc["resource"][rtype][rid]["lifecycle"] == {"prevent_destroy": True}
    assert "import" not in doc              # checkov's terraform_json parser cannot read it (core/ysg_core/paths.py)
    bootstrap = split_statements((synthesized[env] / "bootstrap.sql").read_text(encoding="utf-8"))
    create = next(s for s in bootstrap if s.startswith(f"CREATE WAREHOUSE IF NOT EXISTS {names.warehouse}\n"))
    assert f"RESOURCE_MONITOR = {names.warehouse_monitor}" in create
    assert (f"GRANT OWNERSHIP ON WAREHOUSE {names.warehouse} TO ROLE {names.deploy_role} COPY CURRENT GRANTS"
            in bootstrap)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary on this machine")
def test_terraform_reads_the_import_blocks_as_written(synthesized):
    """`terraform fmt -check` parses the file as HCL (no provider needed) and finds nothing to reformat."""
    result = subprocess.run(["terraform", "fmt", "-check", "-no-color", IMPORTS_FILE], cwd=synthesized["prod"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
