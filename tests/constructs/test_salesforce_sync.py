import pytest

from ysg_constructs.salesforce_sync import SalesforceSync, SalesforceSyncProps

from tfdoc import only

PROXY = "https://abc.execute-api.us-west-2.amazonaws.com/prod/sync"


def _sync(raw_schema, proxy=PROXY):
    return lambda s: SalesforceSync(s, "sf", raw_schema(s), SalesforceSyncProps(
        integration_name="SF_T", api_aws_role_arn="arn:aws:iam::123456789012:role/x", proxy_url=proxy,
        allowed_prefixes=("https://abc.execute-api.us-west-2.amazonaws.com/prod/",)))


def test_gateway_integration_and_external_function(synth_stack, raw_schema):
    doc = synth_stack(_sync(raw_schema))
    assert only(doc, "snowflake_api_integration")["api_provider"] == "aws_api_gateway"
    function = only(doc, "snowflake_external_function")
    assert (function["name"], function["url_of_proxy_and_resource"], function["arg"]) == (
        "SFE_SALESFORCE_SYNC", PROXY, [{"name": "PAYLOAD", "type": "VARIANT"}])


def test_a_proxy_outside_the_allowed_prefixes_is_refused(synth_stack, raw_schema):
    with pytest.raises(ValueError, match="proxy URL https://evil.example.com/x is outside the allowed prefixes"):
        synth_stack(_sync(raw_schema, proxy="https://evil.example.com/x"))
