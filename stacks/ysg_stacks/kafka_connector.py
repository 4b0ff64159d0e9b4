"""The Kafka Connect request that creates the usage-events connector (Snowflake connector 4.1.0,
Snowpipe Streaming high-performance architecture, through the pipe USAGE_METRICS): no secret in it.

The private key is a reference to the worker's file config provider, never a value. Facts about the
connector are from snowflakedb/snowflake-kafka-connector at tag v4.1.0 (paths below are under
src/main/java/com/snowflake/kafka/connector/); tests/stacks/test_kafka_connector.py checks this file
against the keys read from that tag (tools/kafka_connector_facts.json).
"""
from __future__ import annotations

from ysg_core import naming
from ysg_core.config import EnvironmentConfig

# Pinned here and in README.md. The request body has no field for it: Kafka Connect reads only
# name, config and initial_state (apache/kafka 3.9, CreateConnectorRequest.java).
CONNECTOR_VERSION = "4.1.0"
USAGE_TABLE = "USAGE_METRICS"
# With server-side validation the connector streams through the pipe named like the table when one
# exists (internal/streaming/SnowflakeSinkServiceV2.java:270-272), so the stack creates that pipe.
STREAMING_PIPE = USAGE_TABLE
# Where the worker's file config provider reads the key (README: Kafka connector).
SECRETS_DIR = "/opt/kafka/secrets"


def connector_config(config: EnvironmentConfig) -> dict:
    names = config.names
    secrets = f"{SECRETS_DIR}/{names.stack}.properties"
    host = f"{config.account.organization_name}-{config.account.account_name}".lower()
    return {
        "name": config.kafka.connector_name,
        "config": {
            # The one SinkConnector of 4.x; 3.x's SnowflakeSinkConnector no longer exists.
            "connector.class": "com.snowflake.kafka.connector.SnowflakeStreamingSinkConnector",
            "tasks.max": "2",
            "topics": config.kafka.topic,
            "snowflake.topic2table.map": f"{config.kafka.topic}:{USAGE_TABLE}",
            "snowflake.url.name": f"{host}.snowflakecomputing.com:443",
            "snowflake.user.name": names.kafka_user,
            "snowflake.role.name": names.roles.ingest,
            "snowflake.database.name": config.database.name,
            "snowflake.schema.name": naming.RAW_SCHEMA,
            "snowflake.private.key": f"${{file:{secrets}:private.key}}",
            "snowflake.private.key.passphrase": f"${{file:{secrets}:private.key.passphrase}}",
            # The table exists (Terraform) and is used as it is (SnowflakeSinkServiceV2.java:284-299);
            # should it be missing, fail instead of creating another (:329-336).
            "snowflake.autocreate.table.type": "none",
            # Each event's top-level keys, as written, are the row the pipe reads ($1['account_id'],
            # ...), not one RECORD_CONTENT value (records/SnowflakeSinkRecord.java:121-130).
            "snowflake.enable.schematization": "true",
            # Server side: client-side validation refuses a user-created pipe (ERROR_0032,
            # SnowflakeSinkServiceV2.java:264-266) and is the only mode that alters the table
            # (v2/service/PartitionChannelManager.java:216-219).
            "snowflake.validation": "server_side",
            # Its default, true, demands the 3.x-compatible client-side settings
            # (DefaultConnectorConfigValidator.java:199-222), which the line above rules out.
            "snowflake.streaming.validate.compatibility.with.classic": "false",
            "key.converter": "org.apache.kafka.connect.storage.StringConverter",
            # Schematization refuses the String and ByteArray converters
            # (internal/streaming/DefaultStreamingConfigValidator.java:97-100).
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable": "false",
            "errors.tolerance": "none",
            "errors.log.enable": "true",
        },
    }
