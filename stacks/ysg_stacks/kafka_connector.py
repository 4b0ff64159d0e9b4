"""The Kafka connector configuration a platform team needs for Snowpipe Streaming: no secret in it.

The private key is referenced through Kafka Connect's file config provider, never written out.
"""
from __future__ import annotations

from ysg import naming
from ysg.config import EnvironmentConfig

USAGE_TABLE = "USAGE_METRICS"


def connector_config(config: EnvironmentConfig) -> dict:
    names = config.names
    secrets = f"/opt/kafka/secrets/{names.stack}.properties"
    host = f"{config.account.organization_name}-{config.account.account_name}".lower()
    return {
        "name": config.kafka.connector_name,
        "config": {
            "connector.class": "com.snowflake.kafka.connector.SnowflakeSinkConnector",
            "tasks.max": "2",
            "topics": config.kafka.topic,
            "snowflake.topic2table.map": f"{config.kafka.topic}:{USAGE_TABLE}",
            "snowflake.url.name": f"{host}.snowflakecomputing.com:443",
            "snowflake.user.name": names.kafka_user,
            "snowflake.role.name": names.roles.ingest,
            "snowflake.database.name": config.database.name,
            "snowflake.schema.name": naming.RAW_SCHEMA,
            "snowflake.ingestion.method": "SNOWPIPE_STREAMING",
            "snowflake.enable.schematization": "true",
            "snowflake.private.key": f"${{file:{secrets}:private.key}}",
            "snowflake.private.key.passphrase": f"${{file:{secrets}:private.key.passphrase}}",
            "config.providers": "file",
            "config.providers.file.class": "org.apache.kafka.common.config.provider.FileConfigProvider",
            "buffer.flush.time": "10",
            "buffer.count.records": "10000",
            "buffer.size.bytes": "20000000",
            "key.converter": "org.apache.kafka.connect.storage.StringConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable": "false",
            "errors.tolerance": "none",
            "errors.log.enable": "true",
        },
    }
