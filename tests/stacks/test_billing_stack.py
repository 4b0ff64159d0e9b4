"""The composed stacks, read from the one session synthesis of every environment."""
from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from ysg_constructs import bindings as b
from ysg_core import ledger_schema

from tfdoc import resources

REMOTE_ENVS = ("dev", "staging", "prod")
EVERY_FAMILY = {
    "warehouse": {"snowflake_warehouse"},
    "resource monitors": {"snowflake_resource_monitor"},
    "roles and grants": {"snowflake_account_role", "snowflake_grant_account_role", "snowflake_database_role",
                         "snowflake_grant_database_role", "snowflake_grant_privileges_to_database_role",
                         "snowflake_grant_privileges_to_account_role"},
    "database and schemas": {"snowflake_database", "snowflake_schema"},
    "network": {"snowflake_network_rule", "snowflake_network_policy"},
    "API integrations": {"snowflake_api_integration", "snowflake_git_repository", "snowflake_external_function"},
    "stages and file formats": {"snowflake_stage", "snowflake_storage_integration", "snowflake_file_format"},
    "pipes": {"snowflake_pipe", "snowflake_notification_integration"},
    "landing tables": {"snowflake_table"},
    "service users": {"snowflake_service_user"},
    "SSO": {"snowflake_saml2_integration"},
}
# Objects that live at the account level, outside the environment's database: shared by every environment.
ACCOUNT_LEVEL = ("snowflake_warehouse", "snowflake_resource_monitor", "snowflake_account_role",
                 "snowflake_network_policy", "snowflake_api_integration", "snowflake_storage_integration",
                 "snowflake_notification_integration", "snowflake_saml2_integration", "snowflake_service_user",
                 "snowflake_database")


def test_every_environment_is_written_where_terraform_expects_it(synthesized):
    assert sorted(synthesized) == ["dev", "local", "prod", "staging"]
    for env, stack_dir in synthesized.items():
        assert stack_dir.name == f"billing-{env}" and stack_dir.parent.name == "stacks"
        assert (stack_dir / "cdk.tf.json").is_file()


@pytest.mark.parametrize("env", REMOTE_ENVS)
def test_every_resource_family_is_present(stacks, env):
    present = set(stacks[env]["resource"])
    missing = {family: sorted(types - present) for family, types in EVERY_FAMILY.items() if types - present}
    assert missing == {}


def test_prod_attaches_the_account_guardrails_and_nothing_else_does(stacks, synthesized):
    claims = defaultdict(list)
    for env, doc in stacks.items():
        for attachment in resources(doc, "snowflake_network_policy_attachment").values():
            if attachment.get("set_for_account"):
                claims["account network policy"].append(env)
        # The account's monitor is an administrator's setting (ALTER ACCOUNT): bootstrap.sql, not Terraform.
        assert not [e for e in resources(doc, "snowflake_execute").values()
                    if "RESOURCE_MONITOR" in e["execute"].upper()]
        bootstrap = (synthesized[env] / "bootstrap.sql").read_text(encoding="utf-8")
        if "ALTER ACCOUNT SET RESOURCE_MONITOR" in bootstrap:
            claims["account resource monitor"].append(env)
    # Only one network policy and one resource monitor can govern an account.
    assert dict(claims) == {"account network policy": ["prod"], "account resource monitor": ["prod"]}


def test_no_resource_monitor_is_created_attached_to_nothing(stacks, synthesized):
    """Every monitor governs something: a warehouse of the stack or, where attached, the account. An
    account monitor in dev or staging would govern nothing (finding 7 of issue 11)."""
    idle = {}
    for env, doc in stacks.items():
        governed = {w["resource_monitor"] for w in resources(doc, "snowflake_warehouse").values()}
        bootstrap = (synthesized[env] / "bootstrap.sql").read_text(encoding="utf-8")
        attached = set(re.findall(r"ALTER ACCOUNT SET RESOURCE_MONITOR = (\w+)", bootstrap))
        for rid, monitor in resources(doc, "snowflake_resource_monitor").items():
            if f"${{snowflake_resource_monitor.{rid}.name}}" not in governed and monitor["name"] not in attached:
                idle.setdefault(env, []).append(monitor["name"])
    assert idle == {}



def test_environments_coexist_in_one_account_without_name_clashes(stacks):
    owners = defaultdict(set)
    for env, doc in stacks.items():
        for rtype in ACCOUNT_LEVEL:
            for body in resources(doc, rtype).values():
                owners[(rtype, body["name"])].add(env)
    clashes = {f"{rtype} {name}": sorted(envs) for (rtype, name), envs in owners.items() if len(envs) > 1}
    assert clashes == {}
    # Outside prod (the data contract's default names), every account-level name carries the suffix.
    unsuffixed = sorted(f"{env}: {name}" for (rtype, name), envs in owners.items() for env in envs
                        if env != "prod" and not name.endswith(f"_{env.upper()}"))
    assert unsuffixed == []


def test_future_grants_cover_objects_created_after_the_apply(stacks):
    future = [g for g in resources(stacks["prod"], "snowflake_grant_privileges_to_database_role").values()
              if "future" in g.get("on_schema_object", {})]
    kinds = {g["on_schema_object"]["future"]["object_type_plural"] for g in future}
    assert {"TABLES", "VIEWS", "DYNAMIC TABLES"} <= kinds


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_every_object_terraform_creates_in_a_schema_waits_for_that_schemas_future_grants(stacks, env):
    """Snowflake applies a future grant only to objects created after it: a table created first would
    be missed by the schema's READ and WRITE roles."""
    document = stacks[env]
    future = defaultdict(set)   # the schema's fully qualified name reference -> its future grants
    for name, grant in resources(document, "snowflake_grant_privileges_to_database_role").items():
        in_schema = grant.get("on_schema_object", {}).get("future", {}).get("in_schema")
        if in_schema:
            future[in_schema].add(f"snowflake_grant_privileges_to_database_role.{name}")
    schemas = {f"${{snowflake_schema.{n}.name}}": f"${{snowflake_schema.{n}.fully_qualified_name}}"
               for n in resources(document, "snowflake_schema")}
    checked = []
    for rtype in ("snowflake_table", "snowflake_stage", "snowflake_file_format", "snowflake_pipe"):
        for name, body in resources(document, rtype).items():
            grants = future[schemas[body["schema"]]]
            assert grants and grants <= set(body.get("depends_on", ())), f"{rtype}.{name}"
            checked.append(name)
    assert len(checked) >= 12


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_the_hook_runners_ledger_and_lock_are_created_with_its_columns_and_the_pipeline_role_may_use_them(
        stacks, env):
    doc = stacks[env]
    schemas = {rid: body for rid, body in resources(doc, "snowflake_schema").items()
               if body["name"] == ledger_schema.LEDGER_SCHEMA}
    ((schema_id, schema),) = schemas.items()
    tables = {body["name"]: (rid, [(c["name"], c["type"]) for c in body["column"]])
              for rid, body in resources(doc, "snowflake_table").items()
              if body["schema"] == f"${{snowflake_schema.{schema_id}.name}}"}
    pipeline = next(rid for rid in resources(doc, "snowflake_account_role") if rid.startswith("role-pipeline_"))
    granted = {}
    for grant in resources(doc, "snowflake_grant_privileges_to_account_role").values():
        if grant["account_role_name"] != f"${{snowflake_account_role.{pipeline}.name}}":
            continue
        target = grant.get("on_schema", {}).get("schema_name") or grant.get("on_schema_object", {}).get("object_name")
        granted[target] = sorted(grant["privileges"])
    table_ref = "${{snowflake_table.{}.fully_qualified_name}}".format
    assert (schema["with_managed_access"], {name: cols for name, (_, cols) in tables.items()},
            {t: granted.get(table_ref(rid)) for t, (rid, _) in tables.items()},
            granted.get(f"${{snowflake_schema.{schema_id}.fully_qualified_name}}")) == (
        "true", {name: [(c.name, c.type) for c in cols] for name, (_, cols) in ledger_schema.TABLES.items()},
        dict.fromkeys(ledger_schema.TABLES, ["INSERT", "SELECT", "UPDATE"]), ["USAGE"])


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_engineers_read_the_hook_ledger_so_that_they_can_plan_hooks(stacks, env):
    doc = stacks[env]
    read_role = next(rid for rid, body in resources(doc, "snowflake_database_role").items()
                     if body["name"] == f"{ledger_schema.LEDGER_SCHEMA}_READ")
    holders = {g["parent_role_name"] for g in resources(doc, "snowflake_grant_database_role").values()
               if g["database_role_name"] == f"${{snowflake_database_role.{read_role}.fully_qualified_name}}"
               and "parent_role_name" in g}
    assert [h.split(".")[1].split("_")[0] for h in holders] == ["role-engineer"]


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_functional_roles_roll_up_to_sysadmin_and_never_to_admin_roles(stacks, configs, env):
    doc = stacks[env]
    names = configs[env].names
    bridges = {names.agent_author_role, names.agent_user_role, names.usage_reader_role}
    roles = {rid: body["name"] for rid, body in resources(doc, "snowflake_account_role").items()}
    parent_of = {}
    for grant in resources(doc, "snowflake_grant_account_role").values():
        assert grant["role_name"] not in ("ACCOUNTADMIN", "SECURITYADMIN", "ORGADMIN")
        if "parent_role_name" in grant:
            created = re.fullmatch(r"\$\{snowflake_account_role\.(.+)\.name\}", grant["role_name"])
            if created is None:   # a bridge role of bootstrap.sql, granted down to a functional role
                assert grant["role_name"] in bridges
                continue
            child = created.group(1)
            parent = grant["parent_role_name"]
            ref = re.fullmatch(r"\$\{snowflake_account_role\.(.+)\.name\}", parent)
            parent_of[child] = ref.group(1) if ref else parent
    for rid in roles:
        seen, node = [], rid
        while node in parent_of and node not in seen:
            seen.append(node)
            node = parent_of[node]
        assert node == "SYSADMIN", f"{roles[rid]} rolls up to {node}"


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_preview_features_are_exactly_those_the_resources_need(stacks, env):
    doc = stacks[env]
    enabled = doc["provider"]["snowflake"][0]["preview_features_enabled"]
    assert enabled == b.preview_features_for(set(doc["resource"]))
    assert "snowflake_table_resource" in enabled


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_the_provider_block_carries_no_credentials_and_pins_the_deploy_role(stacks, configs, env):
    (provider,) = stacks[env]["provider"]["snowflake"]
    assert set(provider) == {"organization_name", "account_name", "preview_features_enabled", "role", "warehouse"}
    names = configs[env].names
    assert (provider["role"], provider["warehouse"]) == (names.deploy_role, names.warehouse)


SECRET_MARKERS = re.compile(r"PRIVATE KEY|BEGIN ENCRYPTED|passphrase\"\s*:\s*\"(?!\$\{)|password\"\s*:|"
                            r"\"(token|secret|client_secret|private_key|aws_secret_access_key)\"\s*:", re.I)


def test_no_credential_or_private_key_anywhere_in_the_synthesized_output(synthesized):
    out_dir = next(iter(synthesized.values())).parent.parent
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    assert len(files) >= 8
    found = {str(p.relative_to(out_dir)): m.group(0) for p in files
             for m in [SECRET_MARKERS.search(p.read_text(errors="replace"))] if m}
    assert found == {}


def test_the_secret_detector_is_not_blind(tmp_path):
    # The check above must be able to fail: each of these would be caught.
    for leak in ('"password": "hunter2"', "-----BEGIN PRIVATE KEY-----", '"private_key": "MIIE"',
                 '"snowflake.private.key.passphrase": "plain"'):
        assert SECRET_MARKERS.search(leak), leak


@pytest.mark.parametrize("env,backend", [("dev", "s3"), ("staging", "s3"), ("prod", "s3"), ("local", "local")])
def test_each_environment_has_its_own_backend(stacks, env, backend):
    (kind, settings), = stacks[env]["terraform"]["backend"].items()
    assert kind == backend
    if backend == "s3":
        assert settings["key"] == f"billing/{env}/terraform.tfstate" and settings["use_lockfile"] is True
    else:
        assert settings["path"] == "../../../.local/terraform/billing-local.tfstate"


def test_outputs(stacks):
    outputs = stacks["staging"]["output"]
    assert outputs["warehouse_name"]["value"] == "SFE_BILLING_WH_STAGING"
    assert outputs["kafka_target_table"]["value"] == "SNOWFLAKE_EXAMPLE_STAGING.SFE_RAW_BILLING.USAGE_METRICS"


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_snapshot(stacks, snapshot, env):
    """A construct id renamed, a resource added or an attribute changed shows here in review.
    Update on purpose with: make test PYTEST_ARGS='--snapshot-update'."""
    assert stacks[env] == snapshot(extension_class=JSONSnapshotExtension)


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_terraform_older_than_s3_native_locking_is_refused(synthesized, stacks, env):
    """The S3 backend's use_lockfile needs Terraform 1.10 (experimental) or 1.11 (GA); Terraform reads the
    required version from the stack folder's versions.tf.json (finding 8 of issue 11)."""
    versions = json.loads((synthesized[env] / "versions.tf.json").read_text())
    required = versions["terraform"]["required_version"]
    match = re.fullmatch(r">= (\d+)\.(\d+)", required)
    assert match and (int(match[1]), int(match[2])) >= (1, 10), required
    backend = stacks[env]["terraform"]["backend"]
    assert env == "local" or backend["s3"]["use_lockfile"] is True


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "local"])
def test_no_resource_attribute_holds_a_calendar_date(stacks, env):
    """A date in a resource's configuration is one Snowflake refuses once it has passed (a monitor's
    start timestamp did: finding 3 of issue 11). Dates in the knowledge documents a hook loads are data."""
    dated = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")
    found = [f"{rtype}.{rid}" for rtype, items in stacks[env]["resource"].items() for rid, body in items.items()
             if dated.search(json.dumps({k: v for k, v in body.items() if k != "//"}))]
    assert found == []
