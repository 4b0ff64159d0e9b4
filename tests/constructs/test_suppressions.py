"""suppress() writes one rule's reason into one resource's synthesized metadata, where the scan reads it."""
from __future__ import annotations

import json

import pytest

from ysg_constructs import bindings as b
from ysg_constructs.suppressions import suppress
from ysg_policies.model import Resource
from ysg_policies.rules import all_rules
from ysg_policies.suppressions import valid_reason


@pytest.fixture(scope="module")
def suppressed_warehouse(tmp_path_factory) -> dict:
    """One tiny stack (not the platform's) synthesized as the app does, metadata included."""
    outdir = tmp_path_factory.mktemp("suppressed")
    app = b.App(outdir=str(outdir))
    stack = b.TerraformStack(app, "billing-test")
    b.SnowflakeProvider(stack, "snowflake")
    warehouse = b.Warehouse(stack, "wh", name="WH", auto_suspend=600)
    suppress(warehouse, "CKV_SNOW_13", "nightly batch keeps its cache warm")
    app.synth()
    document = json.loads((outdir / "stacks" / "billing-test" / "cdk.tf.json").read_text())
    return document["resource"]["snowflake_warehouse"]["wh"]


def test_the_suppression_survives_synthesis_and_is_read_back(suppressed_warehouse):
    resource = Resource("snowflake_warehouse", "wh", suppressed_warehouse)
    assert valid_reason(resource, "CKV_SNOW_13", all_rules()) == "nightly batch keeps its cache warm"


def test_a_suppression_without_a_reason_is_refused_where_it_is_declared():
    app = b.App(skip_validation=True)
    stack = b.TerraformStack(app, "billing-test")
    warehouse = b.Warehouse(stack, "wh", name="WH")
    with pytest.raises(ValueError, match="reason of at least 10"):
        suppress(warehouse, "CKV_SNOW_13", "because")
