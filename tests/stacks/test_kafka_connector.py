import json


def test_connector_config_names_the_streaming_path_and_no_secret(synthesized):
    config = json.loads((synthesized["dev"] / "kafka-connector.json").read_text())["config"]
    assert (config["snowflake.ingestion.method"], config["snowflake.user.name"], config["snowflake.role.name"],
            config["snowflake.database.name"], config["snowflake.schema.name"], config["snowflake.topic2table.map"]) == (
        "SNOWPIPE_STREAMING", "SFE_KAFKA_INGEST_USER_DEV", "SFE_INGEST_ROLE_DEV", "SNOWFLAKE_EXAMPLE_DEV",
        "SFE_RAW_BILLING", "billing.usage.v1:USAGE_METRICS")
    # Key material is a reference resolved by Kafka Connect at run time, never a value.
    assert config["snowflake.private.key"] == "${file:/opt/kafka/secrets/billing-dev.properties:private.key}"
