from ysg_constructs import bindings as b


def test_preview_features_are_read_from_the_installed_bindings():
    features = b.preview_features()
    # Spot checks against the provider 2.11.0 documentation of preview_features_enabled:
    assert {"snowflake_table_resource", "snowflake_stage_resource", "snowflake_pipe_resource",
            "snowflake_tables_datasource"} <= features
    # Promoted (stable) features are listed apart in that text and are not preview features any more.
    assert "snowflake_git_repository_resource" not in features
    assert len(features) > 50


def test_preview_features_for_takes_exactly_what_the_types_need():
    assert b.preview_features_for({"snowflake_table", "snowflake_warehouse", "snowflake_git_repository"}) == [
        "snowflake_table_resource"]


def test_documented_values_are_read_from_the_installed_bindings():
    resources = b.documented_values()["resources"]
    size = resources["snowflake_warehouse"]["warehouse_size"]
    ownership = resources["snowflake_grant_ownership"]["on.object_type"]
    # Spot checks against the provider 2.11.0 descriptions the bindings carry: "Valid values are
    # (case-insensitive): ``XSMALL`` | ..." and "Available values are: AGGREGATION POLICY | ... | WAREHOUSE".
    assert (size["case_insensitive"], "X-SMALL" in size["values"], ownership["case_insensitive"],
            ownership["values"][0], ownership["values"][-1], "STREAMLIT" in ownership["values"],
            resources["snowflake_network_rule"]["mode"]["values"]) == (
        True, True, None, "AGGREGATION POLICY", "WAREHOUSE", False, ["INGRESS", "INTERNAL_STAGE", "EGRESS"])


def test_descriptions_that_mention_values_in_no_known_shape_are_listed_not_dropped():
    assert [u.split(":")[0] for u in b.documented_values()["unparsed"]] == [
        "snowflake_network_rule value_list", "snowflake_object_parameter key", "snowflake_object_parameter object_type"]
