"""A GCS storage integration and the external stage that reads through it (never with credentials)."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs._validate import check_prefixes
from ysg_constructs.file_format import BillingFileFormat
from ysg_constructs.schema import BillingSchema
from ysg_core.naming import identifier


@dataclass(frozen=True)
class GcsExternalStageProps:
    integration_name: str
    stage_name: str
    url: str
    comment: str = "GA4 export batches"


class GcsExternalStage(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, file_format: BillingFileFormat,
                 props: GcsExternalStageProps):
        super().__init__(scope, id)
        identifier(props.integration_name, what="storage integration name")
        identifier(props.stage_name, what="stage name")
        check_prefixes(props.integration_name, (props.url,), scheme="gcs://")
        self._integration = b.StorageIntegration(
            self, "integration", name=props.integration_name, type="EXTERNAL_STAGE",
            storage_provider="GCS", storage_allowed_locations=[props.url], enabled=True,
            comment=props.comment)
        self._stage = b.Stage(
            self, "stage", database=schema.database_reference, schema=schema.schema_name_reference,
            name=props.stage_name, url=props.url, storage_integration=self._integration.name,
            file_format=f"FORMAT_NAME = {file_format.qualified_name}",
            depends_on=[file_format.format_resource, *schema.future_grants], comment=props.comment)
        self._qualified = schema.qualify(props.stage_name)

    @property
    def qualified_name(self) -> str:
        return self._qualified

    @property
    def stage_resource(self) -> b.Stage:
        return self._stage
