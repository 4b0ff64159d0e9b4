"""Snowflake object tags from configuration, set on the environment's database and warehouse."""
from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_constructs.schema import BillingSchema
from ysg_core.naming import identifier


@dataclass(frozen=True)
class ObjectTagsProps:
    tags: dict[str, str]
    # Object type ("DATABASE", "WAREHOUSE") -> names as Terraform references.
    targets: dict[str, list[str]]


class ObjectTags(Construct):
    def __init__(self, scope: Construct, id: str, schema: BillingSchema, props: ObjectTagsProps):
        super().__init__(scope, id)
        for key, value in sorted(props.tags.items()):
            identifier(key, what="tag name")
            if len(value) > 256:
                raise ValueError(f"tag {key}: value is {len(value)} characters; Snowflake allows 256")
            tag = b.Tag(self, f"tag-{key.lower()}", database=schema.database_reference,
                        schema=schema.schema_name_reference, name=key)
            tag_id = tag.fully_qualified_name   # read once: each read is a round trip to jsii
            for object_type, names in sorted(props.targets.items()):
                b.TagAssociation(self, f"{key.lower()}-{object_type.lower()}", tag_id=tag_id,
                                 tag_value=value, object_type=object_type, object_identifiers=names)
