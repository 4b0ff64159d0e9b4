"""diff.py: resource changes between two synthesized documents, tested on small dicts and real stacks."""
from __future__ import annotations

import copy

import pytest

from ysg.plan.diff import REDACTED, diff_stacks, show


def document(**resources) -> dict:
    """{"snowflake_table.t": {...}} -> a cdk.tf.json-shaped document."""
    out: dict = {"resource": {}}
    for address, body in resources.items():
        rtype, logical_id = address.split("__")
        out["resource"].setdefault(rtype, {})[logical_id] = {
            "//": {"metadata": {"path": f"billing-prod/{logical_id}/x", "uniqueId": logical_id}}, **body}
    return out


TABLE = {"name": "USAGE_METRICS", "database": "DB", "schema": "RAW", "comment": "a",
         "column": [{"name": "ACCOUNT_ID", "type": "NUMBER(38,0)"}]}


def test_an_unchanged_document_has_no_changes(stacks):
    assert diff_stacks(stacks["prod"], copy.deepcopy(stacks["prod"])).changes == []


def test_a_nested_attribute_is_named_by_its_path():
    after = copy.deepcopy(TABLE)
    after["column"][0]["type"] = "VARCHAR"
    (change,) = diff_stacks(document(snowflake_table__t=TABLE), document(snowflake_table__t=after)).changes
    assert [(a.path, a.before, a.after, change.action) for a in change.attributes] == [
        ("column[0].type", "NUMBER(38,0)", "VARCHAR", "update")]


def test_a_schema_change_of_a_table_forces_a_replacement():
    (change,) = diff_stacks(document(snowflake_table__t=TABLE),
                            document(snowflake_table__t={**TABLE, "schema": "STG"})).changes
    assert (change.action, change.reason) == ("replace", "schema changed: forces a replacement")


def test_a_construct_id_change_of_a_named_object_is_one_replacement_not_an_add_and_a_remove():
    (change,) = diff_stacks(document(snowflake_table__old=TABLE), document(snowflake_table__new=TABLE)).changes
    assert (change.action, change.address, change.new_address) == (
        "replace", "snowflake_table.old", "snowflake_table.new")


def test_added_and_removed_resources():
    diff = diff_stacks(document(snowflake_table__t=TABLE), document(snowflake_schema__s={"name": "RAW"}))
    assert sorted((c.action, c.address) for c in diff.changes) == [
        ("create", "snowflake_schema.s"), ("delete", "snowflake_table.t")]


def test_secrets_are_redacted_whatever_their_value():
    before = document(snowflake_user__u={"name": "U", "password": "hunter2-old"})
    after = document(snowflake_user__u={"name": "U", "password": "hunter2-new"})
    (change,) = diff_stacks(before, after).changes
    assert [(a.before, a.after) for a in change.attributes] == [(REDACTED, REDACTED)]


@pytest.mark.parametrize("path, value", [
    ("comment", "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----"),
    ("credentials", "AWS_KEY_ID='AKIA0000' AWS_SECRET_KEY='abc'"),
    ("url_options", "AZURE_SAS_TOKEN = 'sv=2024'"),
    ("oauth_client_secret", "x"),
])
def test_secret_values_are_redacted_by_their_name_or_their_shape(path, value):
    assert show(path, value) == REDACTED


def test_ordinary_values_are_shown():
    assert show("warehouse_size", "SMALL") == "SMALL"


def test_public_keys_of_real_service_users_are_shortened(stacks):
    after = copy.deepcopy(stacks["staging"])
    users = after["resource"]["snowflake_service_user"]
    user = next(iter(users.values()))
    full = user["rsa_public_key"]
    user["rsa_public_key"] = full[:-12] + "AAAAAAIDAQAB"
    (change,) = diff_stacks(stacks["staging"], after).changes
    (attribute,) = change.attributes
    assert (full not in attribute.before, attribute.before.startswith(full[:8] + "…"),
            attribute.before != attribute.after) == (True, True, True)


def test_preview_features_are_read_from_the_provider_block(stacks):
    diff = diff_stacks(stacks["dev"], stacks["prod"])
    assert set(diff.preview_after) - set(diff.preview_before) == {"snowflake_network_policy_attachment_resource"}


DATABASE = {"name": "DB"}
SCHEMA = {"name": "RAW", "database": "${snowflake_database.db.name}"}
GRANT = {"account_role_name": "R", "privileges": ["USAGE"],
         "on_account_object": {"object_type": "DATABASE", "object_name": "${snowflake_database.db.fully_qualified_name}"}}
ROLE = {"name": "R", "depends_on": ["snowflake_database.db"]}


def _renamed(**extra) -> dict:
    before = document(snowflake_database__db=DATABASE, snowflake_schema__s=SCHEMA, **extra)
    after = copy.deepcopy(before)
    after["resource"]["snowflake_database"]["db"]["name"] = "DB_V2"
    return {c.address: c for c in diff_stacks(before, after).changes}


def test_a_rename_in_place_replaces_what_refers_to_the_name_through_a_force_new_attribute():
    # pkg/resources/database.go: `name` renames in place; pkg/resources/schema.go: `database` is ForceNew.
    changes = _renamed()
    assert ((changes["snowflake_database.db"].action, changes["snowflake_database.db"].renamed),
            (changes["snowflake_schema.s"].action, changes["snowflake_schema.s"].reason)) == (
        ("update", True), ("replace", "database refers to snowflake_database.db.name, which changes: forces a replacement"))


def test_an_attribute_the_provider_recomputes_from_the_name_changes_too():
    # ComputedIfAnyAttributeChanged(databaseSchema, FullyQualifiedNameAttributeName, "name"), database.go
    change = _renamed(snowflake_grant_privileges_to_account_role__g=GRANT)["snowflake_grant_privileges_to_account_role.g"]
    assert (change.action, change.reason, [(a.path, a.after) for a in change.attributes]) == (
        "replace", "on_account_object.object_name refers to snowflake_database.db.fully_qualified_name, which the "
        "provider recomputes when name changes: forces a replacement",
        [("on_account_object.object_name", "(known after apply)")])


def test_depends_on_is_an_ordering_not_a_reference():
    assert "snowflake_account_role.r" not in _renamed(snowflake_account_role__r=ROLE)


def test_a_reference_to_an_unchanged_attribute_of_a_changed_resource_does_not_change():
    before = document(snowflake_database__db=DATABASE, snowflake_schema__s=SCHEMA)
    after = copy.deepcopy(before)
    after["resource"]["snowflake_database"]["db"]["comment"] = "now with a comment"
    assert [c.address for c in diff_stacks(before, after).changes] == ["snowflake_database.db"]


def test_a_reference_to_a_replaced_object_changes_even_a_plain_attribute():
    before = document(snowflake_database__db=DATABASE, snowflake_schema__s=SCHEMA)
    after = copy.deepcopy(before)
    after["resource"]["snowflake_database"]["db"]["is_transient"] = True          # ForceNew
    assert {c.address: c.action for c in diff_stacks(before, after).changes} == {
        "snowflake_database.db": "replace", "snowflake_schema.s": "replace"}


@pytest.mark.parametrize("size, action", [("", "replace"), ("MEDIUM", "update")])
def test_a_conditional_force_new_counts_only_when_its_condition_holds(size, action):
    # warehouse.go: customdiff.ForceNewIfChange("warehouse_size", old != "" && new == ""), probed by the facts tool.
    before = document(snowflake_warehouse__w={"name": "W", "warehouse_size": "SMALL"})
    after = document(snowflake_warehouse__w={"name": "W", "warehouse_size": size})
    (change,) = diff_stacks(before, after).changes
    assert change.action == action


def test_a_nested_force_new_attribute_replaces():
    # grant_ownership.go: on.object_type is ForceNew.
    body = {"account_role_name": "R", "on": {"object_type": "TABLE", "object_name": "DB.S.T"}}
    after = copy.deepcopy(body)
    after["on"]["object_type"] = "VIEW"
    (change,) = diff_stacks(document(snowflake_grant_ownership__o=body), document(snowflake_grant_ownership__o=after)).changes
    assert (change.action, change.reason) == ("replace", "on.object_type changed: forces a replacement")
