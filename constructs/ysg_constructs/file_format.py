"""A named file format (CSV or JSON) for loads into the landing schema."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.schema import BillingSchema
from ysg_core.naming import identifier


@dataclass(frozen=True)
class FileFormatProps:
    name: str
    format_type: str  # CSV or JSON
    # Defaults to one header line for CSV files (GA4 exports carry one); ignored for JSON.
    skip_header: int = 1
    comment: str = ""


class BillingFileFormat(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, props: FileFormatProps):
        super().__init__(scope, id)
        identifier(props.name, what="file format name")
        if props.format_type not in ("CSV", "JSON"):
            raise ValueError(f"file format {props.name}: format_type must be CSV or JSON, got {props.format_type!r}")
        options = dict(compression="AUTO", comment=props.comment or f"{props.format_type} landing files")
        if props.format_type == "CSV":
            options.update(skip_header=props.skip_header, field_optionally_enclosed_by='"',
                           null_if=["", "NULL"], empty_field_as_null=True,
                           error_on_column_count_mismatch=True)
        else:
            options.update(strip_outer_array=True)
        self._format = b.FileFormat(self, "format", database=schema.database_reference,
                                    schema=schema.schema_name_reference, name=props.name,
                                    format_type=props.format_type, depends_on=schema.future_grants, **options)
        self._qualified = schema.qualify(props.name)

    @property
    def qualified_name(self) -> str:
        return self._qualified

    @property
    def format_resource(self) -> b.FileFormat:
        """For `depends_on` of objects that name this format inside a string (COPY options)."""
        return self._format
