import pytest

from ysg_constructs.object_tags import ObjectTags, ObjectTagsProps

from tfdoc import resources


def test_one_tag_per_key_associated_with_each_target(synth_stack, raw_schema):
    doc = synth_stack(lambda s: ObjectTags(s, "tags", raw_schema(s), ObjectTagsProps(
        tags={"OWNER": "platform", "ENV": "dev"}, targets={"DATABASE": ["DB_T"], "WAREHOUSE": ["WH_T"]})))
    assert sorted(t["name"] for t in resources(doc, "snowflake_tag").values()) == ["ENV", "OWNER"]
    associations = sorted((a["object_type"], a["tag_value"]) for a in resources(doc, "snowflake_tag_association").values())
    assert associations == [("DATABASE", "dev"), ("DATABASE", "platform"), ("WAREHOUSE", "dev"), ("WAREHOUSE", "platform")]


def test_bad_tag_name_is_refused(synth_stack, raw_schema):
    with pytest.raises(ValueError, match="tag name"):
        synth_stack(lambda s: ObjectTags(s, "tags", raw_schema(s), ObjectTagsProps(tags={"cost center": "x"}, targets={})))
