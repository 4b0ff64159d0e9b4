"""An internal stage with server-side encryption and a directory table."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.schema import BillingSchema
from ysg_core.naming import identifier


@dataclass(frozen=True)
class InternalStageProps:
    name: str
    comment: str = "Landing files uploaded with PUT before COPY INTO"


class InternalStage(Construct):
    ENCRYPTION = "TYPE = 'SNOWFLAKE_SSE'"

    def __init__(self, scope: Construct, id: str, schema: BillingSchema, props: InternalStageProps):
        super().__init__(scope, id)
        identifier(props.name, what="stage name")
        self._stage = b.Stage(self, "stage", database=schema.database_reference,
                              schema=schema.schema_name_reference, name=props.name,
                              encryption=self.ENCRYPTION, directory="ENABLE = true", comment=props.comment,
                              depends_on=schema.future_grants)
        self._qualified = schema.qualify(props.name)

    @property
    def qualified_name(self) -> str:
        return self._qualified

    @property
    def stage_resource(self) -> b.Stage:
        return self._stage
