"""The Kafka connector configuration, checked against the pinned connector's own source.

tools/kafka_connector_facts.json holds what tools/kafka_connector_facts.py read from
snowflakedb/snowflake-kafka-connector at the pinned tag and from apache/kafka (Kafka Connect); the
checks below use only those facts, the synthesized stacks and the data contract. Java paths are
under src/main/java/com/snowflake/kafka/connector/ at tag v4.1.0.
"""
import json
import re

import pytest
import sqlglot
from sqlglot import exp

from ysg_core import contract, naming
from ysg_core.paths import REPO_ROOT
from ysg_stacks.kafka_connector import CONNECTOR_VERSION, STREAMING_PIPE, USAGE_TABLE

from tfdoc import resources

FACTS = json.loads((REPO_ROOT / "tools" / "kafka_connector_facts.json").read_text())
SF, KC = FACTS["snowflake_connector"], FACTS["kafka_connect"]
PARAMS = SF["params"]
ENVS = ["dev", "staging", "prod", "local"]

# The configuration as it was before a version was pinned (issue 11, finding 5), as a negative control.
UNPINNED = {
    "connector.class": "com.snowflake.kafka.connector.SnowflakeSinkConnector", "tasks.max": "2",
    "topics": "billing.usage.v1", "snowflake.topic2table.map": "billing.usage.v1:USAGE_METRICS",
    "snowflake.url.name": "ysg-billing.snowflakecomputing.com:443", "snowflake.user.name": "SFE_KAFKA_INGEST_USER_DEV",
    "snowflake.role.name": "SFE_INGEST_ROLE_DEV", "snowflake.database.name": "SNOWFLAKE_EXAMPLE_DEV",
    "snowflake.schema.name": "SFE_RAW_BILLING", "snowflake.ingestion.method": "SNOWPIPE_STREAMING",
    "snowflake.enable.schematization": "true",
    "snowflake.private.key": "${file:/opt/kafka/secrets/billing-dev.properties:private.key}",
    "snowflake.private.key.passphrase": "${file:/opt/kafka/secrets/billing-dev.properties:private.key.passphrase}",
    "config.providers": "file",
    "config.providers.file.class": "org.apache.kafka.common.config.provider.FileConfigProvider",
    "buffer.flush.time": "10", "buffer.count.records": "10000", "buffer.size.bytes": "20000000",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
    "errors.tolerance": "none", "errors.log.enable": "true",
}


def request(synthesized, env) -> dict:
    return json.loads((synthesized[env] / "kafka-connector.json").read_text())


def unknown_keys(config: dict) -> list[str]:
    """Keys neither the pinned connector (Constants.java) nor Kafka Connect's sink connector config defines."""
    known = set(SF["keys"]) | set(KC["connector_keys"])
    return sorted(k for k in config if k not in known and not k.startswith(tuple(KC["connector_prefixes"])))


def worker_only_keys(config: dict) -> list[str]:
    """Keys of a Kafka Connect worker (WorkerConfig.java) that a connector config cannot set."""
    worker = set(KC["worker_keys"]) - set(KC["connector_keys"])
    return sorted(k for k in config if k in worker or any(k.startswith(f"{w}.") for w in worker))


def validator_findings(name: str, config: dict) -> list[str]:
    """The checks of the pinned connector's DefaultConnectorConfigValidator.validateConfig (run by
    SnowflakeStreamingSinkConnector.start, line 106) and DefaultStreamingConfigValidator.validate, with
    their lines, and the ones the sink service makes at start-up; key names and defaults from the facts."""
    p = PARAMS
    found = []

    def need(cond: bool, finding: str) -> None:
        if not cond:
            found.append(finding)

    def value(key_const: str) -> str | None:
        return config.get(p[key_const])

    def flag(key_const: str) -> bool:  # Boolean.parseBoolean(config.getOrDefault(key, default))
        return str(config.get(p[key_const], p[f"{key_const}_DEFAULT"])).lower() == "true"

    need(config.get("connector.class") == SF["connector_class"], "connector.class: not the pinned connector's")
    need(bool(re.fullmatch(SF["app_name_pattern"], name)), "name: not a Snowflake application name (:45)")
    entries = [e.split(":") for e in (value("SNOWFLAKE_TOPICS2TABLE_MAP") or "").split(",")]
    need(all(len(e) == 2 and all(e) for e in entries), "snowflake.topic2table.map: not topic:table,... (:54-61)")
    for const in ("SNOWFLAKE_DATABASE_NAME", "SNOWFLAKE_SCHEMA_NAME", "SNOWFLAKE_USER_NAME",
                  "SNOWFLAKE_URL_NAME", "SNOWFLAKE_ROLE_NAME"):   # :65, :73, :108, :115, :121
        need(bool(value(const)), f"{p[const]}: missing")
    authenticator = (value("SNOWFLAKE_AUTHENTICATOR") or "snowflake_jwt").lower()   # :81-104
    need(authenticator in SF["enums"]["authenticator"], "snowflake.authenticator: unknown")
    need(authenticator != "snowflake_jwt" or bool(value("SNOWFLAKE_PRIVATE_KEY")), "snowflake.private.key: missing")
    if flag("SNOWFLAKE_STREAMING_VALIDATE_COMPATIBILITY_WITH_CLASSIC"):   # validateCompatibilitySettings, :199-
        need((value("SNOWFLAKE_VALIDATION") or p["SNOWFLAKE_VALIDATION_DEFAULT"]) == "client_side",
             "compatibility with classic: snowflake.validation must be client_side (:222)")
        for const in ("SNOWFLAKE_COMPATIBILITY_ENABLE_COLUMN_IDENTIFIER_NORMALIZATION",
                      "SNOWFLAKE_COMPATIBILITY_ENABLE_AUTOGENERATED_TABLE_NAME_SANITIZATION"):   # :244, :268
            need(flag(const), f"compatibility with classic: {p[const]} must be true")
        for const in ("SNOWFLAKE_ENABLE_SCHEMATIZATION", "SNOWFLAKE_SSV1_OFFSET_MIGRATION"):   # :286, :300
            need(p[const] in config, f"compatibility with classic: {p[const]} must be set")
    # DefaultStreamingConfigValidator.validate: :27 (role), :31-34, :42-45, :97-100.
    need((value("ERRORS_TOLERANCE_CONFIG") or "none").lower() in SF["enums"]["errors_tolerance"],
         "errors.tolerance: unknown")
    need((value("ERRORS_LOG_ENABLE_CONFIG") or "false").lower() in ("true", "false"), "errors.log.enable: not boolean")
    converter = value("VALUE_CONVERTER") or ""
    need(not (flag("SNOWFLAKE_ENABLE_SCHEMATIZATION") and ("StringConverter" in converter
                                                          or "ByteArrayConverter" in converter)),
         "value.converter: refused with schematization")
    # Start-up: TableType.fromConfig refuses an unknown value; a user-created pipe is refused under
    # client-side validation (internal/streaming/SnowflakeSinkServiceV2.java:264-266).
    need((value("SNOWFLAKE_AUTOCREATE_TABLE_TYPE") or "snowflake").lower() in SF["enums"]["autocreate_table_type"],
         "snowflake.autocreate.table.type: unknown")
    need((value("SNOWFLAKE_VALIDATION") or p["SNOWFLAKE_VALIDATION_DEFAULT"]).lower() == "server_side",
         "snowflake.validation: the pipe named like the table needs server_side")
    return found


def test_the_pinned_version_is_the_one_the_facts_were_read_from_and_the_one_readme_names():
    assert (SF["version"], SF["ref"]) == (CONNECTOR_VERSION, f"v{CONNECTOR_VERSION}")
    readme = (REPO_ROOT / "README.md").read_text()
    assert f"Snowflake connector for Kafka {CONNECTOR_VERSION}" in readme and SF["connector_class"] in readme


@pytest.mark.parametrize("env", ENVS)
def test_every_key_is_one_the_pinned_connector_or_kafka_connect_defines(synthesized, env):
    assert unknown_keys(request(synthesized, env)["config"]) == []


def test_keys_of_another_version_are_caught():
    assert unknown_keys(UNPINNED) == ["buffer.count.records", "buffer.flush.time", "buffer.size.bytes",
                                      "config.providers", "config.providers.file.class", "snowflake.ingestion.method"]


@pytest.mark.parametrize("env", ENVS)
def test_no_worker_setting_in_the_connector_config(synthesized, env):
    """config.providers belongs to the worker (README: Kafka connector), where it resolves ${file:...}."""
    assert worker_only_keys(request(synthesized, env)["config"]) == []
    assert worker_only_keys(UNPINNED) == ["config.providers", "config.providers.file.class"]


@pytest.mark.parametrize("env", ENVS)
def test_the_pinned_connectors_validator_accepts_the_config(synthesized, env):
    body = request(synthesized, env)
    # A Kafka Connect request: name and config (CreateConnectorRequest; the worker adds the name).
    assert set(body) == {"name", "config"}
    assert validator_findings(body["name"], {**body["config"], "name": body["name"]}) == []


def test_the_validator_check_fails_the_unpinned_config():
    assert validator_findings("ysg-billing-usage-dev", UNPINNED) == [
        "connector.class: not the pinned connector's",
        "compatibility with classic: snowflake.validation must be client_side (:222)",
        "compatibility with classic: snowflake.compatibility.enable.column.identifier.normalization must be true",
        "compatibility with classic: snowflake.compatibility.enable.autogenerated.table.name.sanitization must be true",
        "compatibility with classic: snowflake.streaming.classic.offset.migration must be set",
    ]


@pytest.mark.parametrize("env", ENVS)
def test_the_private_key_is_a_config_provider_reference_never_a_value(synthesized, env):
    config = request(synthesized, env)["config"]
    stack = naming.stack_name(env)
    for key in ("snowflake.private.key", "snowflake.private.key.passphrase"):
        assert config[key] == f"${{file:/opt/kafka/secrets/{stack}.properties:{key.removeprefix('snowflake.')}}}"
        # What the connector itself recognises as a reference (SnowflakeStreamingSinkConnector.java:55).
        assert re.search(SF["config_provider_reference_pattern"], config[key])
    assert not re.search(SF["config_provider_reference_pattern"], "-----BEGIN ENCRYPTED PRIVATE KEY-----")


def _pipe(document, name):
    (pipe,) = [p for p in resources(document, "snowflake_pipe").values() if p["name"] == name]
    return pipe


@pytest.mark.parametrize("env", ENVS)
def test_the_table_the_pipe_and_the_config_agree(stacks, synthesized, configs, env):
    config = request(synthesized, env)["config"]
    database = configs[env].database.name
    # The connector streams into the table named in topic2table, through the pipe of the same name
    # (SnowflakeSinkServiceV2.java:270-272), in the configured database and schema.
    assert config["snowflake.topic2table.map"].split(":")[1] == USAGE_TABLE == STREAMING_PIPE
    assert (config["snowflake.database.name"], config["snowflake.schema.name"]) == (database, naming.RAW_SCHEMA)
    pipe = _pipe(stacks[env], STREAMING_PIPE)
    copy = sqlglot.parse_one(pipe["copy_statement"], read="snowflake")
    target = copy.this
    assert ".".join(p.name for p in target.this.parts) == f"{database}.{naming.RAW_SCHEMA}.{USAGE_TABLE}"
    # Rows fill every contract column but the IDENTITY and DEFAULT ones, which the table fills
    # (USAGE_ID, LOAD_TS): the default pipe would write NULL there instead.
    _, columns = contract.LANDING_TABLES[(naming.RAW_SCHEMA, USAGE_TABLE)]
    filled = [c for c in columns if not c.identity and not c.default_expression]
    assert [c.name for c in columns if c not in filled] == ["USAGE_ID", "LOAD_TS"]
    assert [i.name for i in target.expressions] == [c.name for c in filled]
    # Each from the event's key of the same name: schematization on puts the event's keys at the
    # top of the row (records/SnowflakeSinkRecord.java:121-130).
    assert config["snowflake.enable.schematization"] == "true"
    (select,) = copy.args["files"]
    keys = [e.this.expressions[0].name for e in select.this.expressions]
    assert keys == [c.name.lower() for c in filled]
    assert select.this.find(exp.From).this.sql("snowflake") == "TABLE(DATA_SOURCE(TYPE => 'STREAMING'))"
    # And the table Terraform creates keeps both of them.
    (table,) = [t for t in resources(stacks[env], "snowflake_table").values() if t["name"] == USAGE_TABLE]
    by_name = {c["name"]: c for c in table["column"]}
    assert "identity" in by_name["USAGE_ID"] and by_name["LOAD_TS"]["default"] == {"expression": contract.NOW}


def _ingest_role(document, configs, env) -> set[str]:
    """References to the ingest role, as grants name it."""
    return {f"${{snowflake_account_role.{k}.name}}" for k, r in resources(document, "snowflake_account_role").items()
            if r["name"] == configs[env].names.roles.ingest}


def _ingest_privileges(document, roles: set[str]) -> dict[tuple[str, str], set[str]]:
    """(object type, object) -> privileges the ingest role holds; types held only through a database
    role are prefixed "via database role: "."""
    role_grants = resources(document, "snowflake_grant_database_role").values()
    database_roles = {g["database_role_name"] for g in role_grants if g.get("parent_role_name") in roles}
    database_roles |= {g["database_role_name"] for g in role_grants
                       if g.get("parent_database_role_name") in database_roles}   # WRITE includes READ
    grants = [(g, "", g["account_role_name"] in roles)
              for g in resources(document, "snowflake_grant_privileges_to_account_role").values()]
    grants += [(g, "via database role: ", g["database_role_name"] in database_roles)
               for g in resources(document, "snowflake_grant_privileges_to_database_role").values()]
    held: dict[tuple[str, str], set[str]] = {}
    for grant, how, mine in grants:
        if not mine:
            continue
        if "on_schema" in grant:
            target = ("SCHEMA", grant["on_schema"]["schema_name"])
        elif "on_account_object" in grant:
            target = (grant["on_account_object"]["object_type"], grant["on_account_object"]["object_name"])
        else:
            on = grant["on_schema_object"]
            target = (on.get("object_type") or f"FUTURE {on['future']['object_type_plural']}",
                      on.get("object_name") or on["future"]["in_schema"])
        held.setdefault((how + target[0], target[1]), set()).update(grant["privileges"])
    return held


@pytest.mark.parametrize("env", ENVS)
def test_the_ingest_role_holds_what_streaming_needs_directly_and_nothing_that_alters_the_table(stacks, configs, env):
    document = stacks[env]
    role = _ingest_role(document, configs, env)
    held = _ingest_privileges(document, role)
    ref = {rtype: {b["name"]: f"${{{rtype}.{k}.fully_qualified_name}}" for k, b in resources(document, rtype).items()}
           for rtype in ("snowflake_table", "snowflake_pipe", "snowflake_schema")}
    database = next(f"${{snowflake_database.{k}.name}}" for k in resources(document, "snowflake_database"))
    # The access-control page of Snowpipe Streaming, granted to the role itself (the connector's
    # setup page: "Grants cannot be inherited from role hierarchy").
    needed = {("DATABASE", database): {"USAGE"},
              ("SCHEMA", ref["snowflake_schema"][naming.RAW_SCHEMA]): {"USAGE"},
              ("TABLE", ref["snowflake_table"][USAGE_TABLE]): {"INSERT"},
              ("PIPE", ref["snowflake_pipe"][STREAMING_PIPE]): {"OPERATE"}}
    for target, privileges in needed.items():
        assert privileges <= held.get(target, set()), target
    # Not blind to the role's other direct grants: the Salesforce sync's table, granted the same way.
    assert {"INSERT", "UPDATE"} <= held[("TABLE", ref["snowflake_table"]["SALESFORCE_ACCOUNTS"])]
    # Nor to grants through database roles: the ingest role holds no schema's WRITE role (least privilege).
    assert not [t for t in held if t[0].startswith("via database role")]
    # Schema evolution is off: no privilege the connector would evolve (alter) the table with.
    evolving = set(SF["schema_evolution_privileges"])
    assert {t: p & evolving for t, p in held.items() if p & evolving} == {}
    assert not any(g.get("account_role_name") in role for g in resources(document, "snowflake_grant_ownership").values())


def test_the_evolution_check_is_not_blind():
    assert {"EVOLVE SCHEMA", "OWNERSHIP"} <= set(SF["schema_evolution_privileges"])
