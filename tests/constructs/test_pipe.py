import pytest

from ysg_constructs import pipe as pipe_module
from ysg_constructs.file_format import BillingFileFormat, FileFormatProps
from ysg_constructs.pipe import BatchPipe, BatchPipeProps

from tfdoc import only, resources


def _pipe(raw_schema, **overrides):
    def build(stack):
        schema = raw_schema(stack)
        csv = BillingFileFormat(stack, "csv", schema, FileFormatProps(name="CSV_T", format_type="CSV"))
        BatchPipe(stack, "pipe", schema, csv, depends_on=[], props=BatchPipeProps(
            name="PIPE_T", target_table="SEGMENTS_T", source_stage="GA4_T", **overrides))
    return build


def test_copy_statement_targets_the_table_from_the_stage(synth_stack, raw_schema):
    doc = synth_stack(_pipe(raw_schema))
    pipe = only(doc, "snowflake_pipe")
    assert pipe["copy_statement"] == ("COPY INTO DB_T.RAW_T.SEGMENTS_T FROM @DB_T.RAW_T.GA4_T "
                                      "FILE_FORMAT = (FORMAT_NAME = 'DB_T.RAW_T.CSV_T') ON_ERROR = SKIP_FILE")
    assert pipe["auto_ingest"] is False and resources(doc, "snowflake_notification_integration") == {}


def test_auto_ingest_through_a_notification_integration_where_configured(synth_stack, raw_schema):
    doc = synth_stack(_pipe(raw_schema, pubsub_subscription="projects/p/subscriptions/s",
                            notification_integration_name="NI_T"))
    (integration_id, integration), = resources(doc, "snowflake_notification_integration").items()
    assert integration["gcp_pubsub_subscription_name"] == "projects/p/subscriptions/s"
    # `type` and `direction` are deprecated in provider 2.11.0 (set by the provider itself)
    assert "type" not in integration and "direction" not in integration
    pipe = only(doc, "snowflake_pipe")
    assert (pipe["auto_ingest"], pipe["integration"]) == (True, f"${{snowflake_notification_integration.{integration_id}.name}}")


def test_a_subscription_without_an_integration_name_is_refused(synth_stack, raw_schema):
    with pytest.raises(ValueError, match="needs a notification integration name"):
        synth_stack(_pipe(raw_schema, pubsub_subscription="projects/p/subscriptions/s"))


@pytest.mark.parametrize("option", ["ON_ERROR = ABORT_STATEMENT", "PURGE = TRUE", "SIZE_LIMIT = 10",
                                    "PATTERN = '.*csv'", "VALIDATION_MODE = RETURN_ERRORS"])
def test_a_copy_option_pipes_do_not_support_is_refused(synth_stack, raw_schema, monkeypatch, option):
    monkeypatch.setattr(pipe_module, "COPY_STATEMENT", pipe_module.COPY_STATEMENT.replace("ON_ERROR = SKIP_FILE", option))
    with pytest.raises(ValueError, match="which a pipe does not support"):
        synth_stack(_pipe(raw_schema))
