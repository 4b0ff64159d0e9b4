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
