"""A pipe that copies staged batches into a landing table; auto-ingest through a notification
integration where one is configured."""
from __future__ import annotations

import re
from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.file_format import BillingFileFormat
from ysg_constructs.schema import BillingSchema
from ysg_core.naming import identifier
from ysg_core.render import render


# Rendered by the one typed renderer the hooks use, like every other SQL built from configuration.
# ON_ERROR = SKIP_FILE is Snowpipe's own default ("Default: Bulk loading using COPY: ABORT_STATEMENT;
# Snowpipe: SKIP_FILE", https://docs.snowflake.com/en/sql-reference/sql/copy-into-table, copy options), said
# out loud; a file with a bad row is skipped whole and reported to the pipe's error notifications.
COPY_STATEMENT = ("COPY INTO {{ qualified:table }} FROM @{{ qualified:stage }} "
                  "FILE_FORMAT = (FORMAT_NAME = {{ literal:file_format }}) ON_ERROR = SKIP_FILE")
# COPY options a pipe refuses. CREATE PIPE's usage notes: "All COPY options are supported except for the
# following: FILES, PATTERN, ON_ERROR = ABORT_STATEMENT, SIZE_LIMIT, PURGE, RETURN_FAILED_ONLY,
# VALIDATION_MODE" (https://docs.snowflake.com/en/sql-reference/sql/create-pipe, usage notes).
UNSUPPORTED_IN_PIPES = ("FILES", "PATTERN", "ABORT_STATEMENT", "SIZE_LIMIT", "PURGE", "RETURN_FAILED_ONLY",
                        "VALIDATION_MODE")


@dataclass(frozen=True)
class BatchPipeProps:
    name: str
    target_table: str
    source_stage: str
    # Defaults to no auto-ingest: the pipe is refreshed on demand (ALTER PIPE ... REFRESH).
    pubsub_subscription: str | None = None
    notification_integration_name: str | None = None
    comment: str = "Batch files into a landing table"


class BatchPipe(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, file_format: BillingFileFormat,
                 depends_on: list, props: BatchPipeProps):
        super().__init__(scope, id)
        identifier(props.name, what="pipe name")
        identifier(props.target_table, what="pipe target table")
        identifier(props.source_stage, what="pipe source stage")
        integration = None
        if props.pubsub_subscription:
            if not props.notification_integration_name:
                raise ValueError(f"pipe {props.name}: a Pub/Sub subscription needs a notification integration name")
            identifier(props.notification_integration_name, what="notification integration name")
            # No `type` or `direction`: both are deprecated in provider 2.11.0, "Will be removed - it is
            # added automatically on the SDK level" (pkg/resources/notification_integration.go:44,51).
            integration = b.NotificationIntegration(
                self, "notifications", name=props.notification_integration_name,
                notification_provider="GCP_PUBSUB",
                gcp_pubsub_subscription_name=props.pubsub_subscription, enabled=True,
                comment=f"New-file events for pipe {props.name}")
        (copy,) = render(COPY_STATEMENT, {"table": schema.qualify(props.target_table),
                                          "stage": schema.qualify(props.source_stage),
                                          "file_format": file_format.qualified_name}, source=f"pipe {props.name}")
        refused = [option for option in UNSUPPORTED_IN_PIPES if re.search(rf"\b{option}\b", copy.upper())]
        if refused:
            raise ValueError(f"pipe {props.name}: its COPY statement uses {', '.join(refused)}, which a pipe "
                             "does not support (CREATE PIPE usage notes)")
        self._pipe = b.Pipe(
            self, "pipe", database=schema.database_reference, schema=schema.schema_name_reference,
            name=props.name, copy_statement=copy, auto_ingest=integration is not None,
            integration=integration.name if integration else None,
            depends_on=[*depends_on, *([integration] if integration else []), *schema.future_grants],
            comment=props.comment)
        self._name = props.name
        self._auto_ingest = integration is not None

    @property
    def pipe_name(self) -> str:
        return self._name

    @property
    def auto_ingest(self) -> bool:
        return self._auto_ingest
