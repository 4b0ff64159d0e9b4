"""Helpers for construct tests: a tiny stack per case (milliseconds), and resource lookups."""
from __future__ import annotations

import json

import pytest
from cdktf import Testing

from ysg_constructs import bindings as b


@pytest.fixture
def synth_stack():
    """Build constructs in a fresh stack and return its synthesized document."""
    def _synth(build) -> dict:
        app = Testing.app()
        stack = b.TerraformStack(app, "unit")
        build(stack)
        return json.loads(Testing.synth(stack))
    return _synth


@pytest.fixture
def raw_schema():
    """A builder for a database and one schema, for constructs that live in a schema."""
    from ysg_constructs.database import BillingDatabase, BillingDatabaseProps
    from ysg_constructs.schema import BillingSchema, BillingSchemaProps

    def _build(stack, retention: int = 3):
        database = BillingDatabase(stack, "db", BillingDatabaseProps(name="DB_T", data_retention_days=retention))
        return BillingSchema(stack, "raw", database, BillingSchemaProps(name="RAW_T", comment="raw"))
    return _build
