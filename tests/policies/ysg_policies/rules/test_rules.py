"""Every rule of the pack against a compliant and a non-compliant fixture: the non-compliant one must fail
for that rule, on exactly the resource that was broken."""
from __future__ import annotations

import copy

import pytest

from ysg_policies.model import Result, Stack
from ysg_policies.rules import all_rules

KNOWN_FEATURES = ["snowflake_network_rule_resource", "snowflake_password_policy_resource",
                  "snowflake_stage_resource", "snowflake_table_resource"]
COMPLIANT = {
    "//": {"metadata": {"stackName": "billing-prod"}},
    "provider": {"snowflake": [{"organization_name": "YSG", "account_name": "BILLING",
                                "preview_features_enabled": ["snowflake_network_rule_resource",
                                                             "snowflake_password_policy_resource",
                                                             "snowflake_stage_resource"]}]},
    "resource": {
        "snowflake_account_role": {"ingest": {"name": "SFE_INGEST"}},
        "snowflake_grant_account_role": {"parent": {"role_name": "${snowflake_account_role.ingest.name}",
                                                    "parent_role_name": "SYSADMIN"}},
        "snowflake_warehouse": {"wh": {"name": "WH", "auto_suspend": 60,
                                       "resource_monitor": "${snowflake_resource_monitor.mon.name}"}},
        "snowflake_resource_monitor": {"mon": {"name": "MON", "credit_quota": 10, "suspend_trigger": 100}},
        "snowflake_network_rule": {"rule": {"name": "R", "type": "IPV4", "mode": "INGRESS",
                                            "value_list": ["192.0.2.0/26"]}},
        "snowflake_network_policy": {"policy": {
            "name": "P", "allowed_network_rule_list": ["${snowflake_network_rule.rule.fully_qualified_name}"]}},
        "snowflake_network_policy_attachment": {"account": {
            "network_policy_name": "${snowflake_network_policy.policy.name}", "set_for_account": True}},
        "snowflake_saml2_integration": {"sso": {"name": "SSO", "enabled": "true", "saml2_provider": "OKTA"}},
        "snowflake_service_user": {"kafka": {
            "name": "KAFKA", "rsa_public_key": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2k",
            "default_role": "${snowflake_account_role.ingest.name}",
            "network_policy": "${snowflake_network_policy.policy.name}"}},
        "snowflake_database": {"db": {"name": "DB", "data_retention_time_in_days": 14}},
        "snowflake_storage_integration": {"gcs": {"name": "GCS", "storage_allowed_locations": ["gcs://bucket/ga4/"]}},
        "snowflake_stage": {
            "ext": {"name": "EXT", "url": "gcs://bucket/ga4/",
                    "storage_integration": "${snowflake_storage_integration.gcs.name}"},
            "int": {"name": "RAW", "encryption": "TYPE = 'SNOWFLAKE_SSE'"}},
        "snowflake_api_integration": {"git": {"name": "GIT", "api_allowed_prefixes": ["https://github.com/org/"]}},
        "snowflake_password_policy": {"pw": {"name": "PW", "min_length": 14}},
        "snowflake_session_policy": {"session": {"name": "S", "session_idle_timeout_mins": 15,
                                                 "session_ui_idle_timeout_mins": 10}},
        "snowflake_grant_ownership": {"task": {"account_role_name": "${snowflake_account_role.ingest.name}",
                                               "on": {"object_type": "TASK", "object_name": "DB.S.T"}}},
        "snowflake_account_parameter": {"rekey": {"key": "PERIODIC_DATA_REKEYING", "value": "true"}},
    },
}


def _set(path: str, value):
    """A fixture edit: set (or, with value None, delete) `type.name.attribute` under resource (or provider)."""
    def edit(doc):
        *block, key = path.split(".")
        target = doc["provider"]["snowflake"][0] if block == ["provider"] else doc["resource"][block[0]][block[1]]
        if value is None:
            del target[key]
        else:
            target[key] = value
    return edit


def _delete(rtype: str):
    def edit(doc):
        del doc["resource"][rtype]
    return edit


# rule id -> (how to break the compliant stack for it, the address that must then fail)
NON_COMPLIANT = {
    "CKV_SNOW_1": (_delete("snowflake_saml2_integration"), "provider.snowflake"),
    "CKV_SNOW_2": (_set("snowflake_password_policy.pw.min_length", 8), "snowflake_password_policy.pw"),
    "CKV_SNOW_3": (_set("snowflake_service_user.kafka.rsa_public_key", None), "snowflake_service_user.kafka"),
    "CKV_SNOW_4": (_set("snowflake_session_policy.session.session_idle_timeout_mins", 30),
                   "snowflake_session_policy.session"),
    "CKV_SNOW_5": (_set("snowflake_service_user.kafka.default_role", "ACCOUNTADMIN"), "snowflake_service_user.kafka"),
    "CKV_SNOW_6": (_set("snowflake_grant_account_role.parent.role_name", "SECURITYADMIN"),
                   "snowflake_grant_account_role.parent"),
    "CKV_SNOW_7": (_set("snowflake_grant_ownership.task.account_role_name", "ACCOUNTADMIN"),
                   "snowflake_grant_ownership.task"),
    "CKV_SNOW_8": (_delete("snowflake_network_policy_attachment"), "provider.snowflake"),
    "CKV_SNOW_9": (_set("snowflake_service_user.kafka.network_policy", None), "snowflake_service_user.kafka"),
    "CKV_SNOW_10": (_set("snowflake_database.db.data_retention_time_in_days", 1), "snowflake_database.db"),
    "CKV_SNOW_11": (_set("snowflake_stage.ext.storage_integration", None), "snowflake_stage.ext"),
    "CKV_SNOW_12": (_set("snowflake_account_parameter.rekey.value", "false"), "snowflake_account_parameter.rekey"),
    "CKV_SNOW_13": (_set("snowflake_warehouse.wh.auto_suspend", 600), "snowflake_warehouse.wh"),
    # A monitor named literally, not referenced: nothing in the graph proves it exists.
    "CKV_SNOW_14": (_set("snowflake_warehouse.wh.resource_monitor", "MON"), "snowflake_warehouse.wh"),
    "CKV_SNOW_15": (_set("snowflake_resource_monitor.mon.suspend_trigger", None), "snowflake_resource_monitor.mon"),
    # Two halves of the internet in the policy's own list: a rule's open range would fail the policy too,
    # since a policy admits what its rules admit (tests/core/test_network_allowlist.py).
    "CKV_SNOW_16": (_set("snowflake_network_policy.policy.allowed_ip_list", ["0.0.0.0/1", "128.0.0.0/1"]),
                    "snowflake_network_policy.policy"),
    "CKV_SNOW_17": (_set("snowflake_api_integration.git.api_allowed_prefixes", ["https://"]),
                    "snowflake_api_integration.git"),
    "CKV_SNOW_18": (_set("snowflake_stage.int.encryption", None), "snowflake_stage.int"),
    "CKV_SNOW_19": (_set("provider.password", "hunter2-hunter2"), "provider.snowflake"),
    "CKV_SNOW_20": (_set("provider.preview_features_enabled", ["snowflake_network_rule_resource",
                                                               "snowflake_password_policy_resource",
                                                               "snowflake_stage_resource",
                                                               "snowflake_table_resource"]), "provider.snowflake"),
}


def outcomes(rule_id: str, document: dict) -> dict[str, Result]:
    rule = all_rules()[rule_id]
    stack = Stack.from_document(document, KNOWN_FEATURES)
    return {r.address: rule.check(r, stack).result for r in stack.all_entities() if rule.applies_to(r)}


def test_every_rule_has_a_non_compliant_fixture():
    assert set(NON_COMPLIANT) == set(all_rules())


@pytest.mark.parametrize("rule_id", sorted(NON_COMPLIANT, key=lambda r: int(r.rsplit("_", 1)[1])))
def test_compliant_fixture_passes(rule_id):
    results = outcomes(rule_id, COMPLIANT)
    assert Result.FAILED not in results.values() and Result.PASSED in results.values(), results


@pytest.mark.parametrize("rule_id", sorted(NON_COMPLIANT, key=lambda r: int(r.rsplit("_", 1)[1])))
def test_non_compliant_fixture_fails_on_the_broken_resource(rule_id):
    edit, address = NON_COMPLIANT[rule_id]
    document = copy.deepcopy(COMPLIANT)
    edit(document)
    assert {a for a, result in outcomes(rule_id, document).items() if result is Result.FAILED} == {address}


@pytest.mark.parametrize("rule_id", ["CKV_SNOW_1", "CKV_SNOW_8", "CKV_SNOW_10"])
def test_production_only_rules_do_not_apply_elsewhere(rule_id):
    edit, _ = NON_COMPLIANT[rule_id]
    document = copy.deepcopy(COMPLIANT)
    edit(document)
    document["//"]["metadata"]["stackName"] = "billing-dev"
    assert set(outcomes(rule_id, document).values()) == {Result.NOT_APPLICABLE}


def test_a_warehouse_referencing_a_monitor_that_never_suspends_fails():
    document = copy.deepcopy(COMPLIANT)
    del document["resource"]["snowflake_resource_monitor"]["mon"]["suspend_trigger"]
    assert outcomes("CKV_SNOW_14", document)["snowflake_warehouse.wh"] is Result.FAILED


def test_a_warehouse_referencing_a_missing_monitor_fails():
    document = copy.deepcopy(COMPLIANT)
    document["resource"]["snowflake_warehouse"]["wh"]["resource_monitor"] = "${snowflake_resource_monitor.gone.name}"
    assert outcomes("CKV_SNOW_14", document)["snowflake_warehouse.wh"] is Result.FAILED
