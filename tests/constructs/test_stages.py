"""internal_stage.py, external_stage.py and file_format.py: where landing files come from."""
import pytest

from ysg_constructs.external_stage import GcsExternalStage, GcsExternalStageProps
from ysg_constructs.file_format import BillingFileFormat, FileFormatProps
from ysg_constructs.internal_stage import InternalStage, InternalStageProps

from tfdoc import only, resources


def test_internal_stage_is_encrypted_with_a_directory_table(synth_stack, raw_schema):
    stage = only(synth_stack(lambda s: InternalStage(s, "st", raw_schema(s), InternalStageProps(name="RAW"))),
                 "snowflake_stage")
    assert (stage["encryption"], stage["directory"]) == ("TYPE = 'SNOWFLAKE_SSE'", "ENABLE = true")


def test_external_stage_reads_through_its_storage_integration_only(synth_stack, raw_schema):
    def build(stack):
        schema = raw_schema(stack)
        csv = BillingFileFormat(stack, "csv", schema, FileFormatProps(name="CSV_T", format_type="CSV"))
        GcsExternalStage(stack, "ga4", schema, csv, GcsExternalStageProps(
            integration_name="GCS_T", stage_name="GA4_T", url="gcs://bucket-t/path/"))
    doc = synth_stack(build)
    (integration_id, integration), = resources(doc, "snowflake_storage_integration").items()
    assert (integration["storage_provider"], integration["storage_allowed_locations"]) == ("GCS", ["gcs://bucket-t/path/"])
    stage = only(doc, "snowflake_stage")
    assert stage["storage_integration"] == f"${{snowflake_storage_integration.{integration_id}.name}}"
    assert "credentials" not in stage


@pytest.mark.parametrize("url", ["gcs://", "gcs://*", "s3://bucket/path/"])
def test_external_stage_refuses_wide_or_foreign_urls(synth_stack, raw_schema, url):
    def build(stack):
        schema = raw_schema(stack)
        csv = BillingFileFormat(stack, "csv", schema, FileFormatProps(name="CSV_T", format_type="CSV"))
        GcsExternalStage(stack, "ga4", schema, csv, GcsExternalStageProps(
            integration_name="GCS_T", stage_name="GA4_T", url=url))
    with pytest.raises(ValueError, match="not a narrow gcs:// prefix"):
        synth_stack(build)


def test_file_formats(synth_stack, raw_schema):
    def build(stack):
        schema = raw_schema(stack)
        BillingFileFormat(stack, "csv", schema, FileFormatProps(name="CSV_T", format_type="CSV"))
        BillingFileFormat(stack, "json", schema, FileFormatProps(name="JSON_T", format_type="JSON"))
    formats = {f["name"]: f for f in resources(synth_stack(build), "snowflake_file_format").values()}
    assert (formats["CSV_T"]["format_type"], formats["CSV_T"]["skip_header"]) == ("CSV", 1)
    assert (formats["JSON_T"]["format_type"], formats["JSON_T"]["strip_outer_array"]) == ("JSON", True)


def test_unknown_format_type_is_refused(synth_stack, raw_schema):
    with pytest.raises(ValueError, match="format_type must be CSV or JSON"):
        synth_stack(lambda s: BillingFileFormat(s, "x", raw_schema(s), FileFormatProps(name="X_T", format_type="XML")))
