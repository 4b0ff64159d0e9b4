from ysg_constructs.role import FunctionalRole, FunctionalRoleProps

from tfdoc import only, resources


def test_managed_access_and_inherited_retention(synth_stack, raw_schema):
    schema = only(synth_stack(lambda s: raw_schema(s, retention=5)), "snowflake_schema")
    assert (schema["with_managed_access"], schema["data_retention_time_in_days"]) == ("true", 5)


def test_read_and_write_database_roles_with_future_grants(synth_stack, raw_schema):
    doc = synth_stack(raw_schema)
    assert sorted(r["name"] for r in resources(doc, "snowflake_database_role").values()) == ["RAW_T_READ", "RAW_T_WRITE"]
    future = [g for g in resources(doc, "snowflake_grant_privileges_to_database_role").values()
              if "on_schema_object" in g]
    read_tables = [g for g in future if g["on_schema_object"]["future"]["object_type_plural"] == "TABLES"
                   and g["privileges"] == ["SELECT"]]
    assert len(read_tables) == 1
    # WRITE includes READ: the read role is granted to the write role.
    (nesting,) = resources(doc, "snowflake_grant_database_role").values()
    assert "read-role" in nesting["database_role_name"] and "write-role" in nesting["parent_database_role_name"]


def test_a_schema_without_a_write_role_has_only_read_and_refuses_grant_write(synth_stack):
    import pytest
    from ysg_constructs.database import BillingDatabase, BillingDatabaseProps
    from ysg_constructs.schema import BillingSchema, BillingSchemaProps

    def build(stack, grant_write: bool = False):
        database = BillingDatabase(stack, "db", BillingDatabaseProps(name="DB_T", data_retention_days=1))
        schema = BillingSchema(stack, "s", database, BillingSchemaProps(name="S_T", comment="c", write_role=False))
        assert (schema.read_role_name, schema.write_role_name) == ("S_T_READ", None)
        if grant_write:
            schema.grant_write(FunctionalRole(stack, "writer", FunctionalRoleProps(name="WRITER_T", comment="w")))
    doc = synth_stack(build)
    assert [r["name"] for r in resources(doc, "snowflake_database_role").values()] == ["S_T_READ"]
    assert resources(doc, "snowflake_grant_database_role") == {}
    assert all("read-role" in g["database_role_name"]
               for g in resources(doc, "snowflake_grant_privileges_to_database_role").values())
    with pytest.raises(ValueError, match=r"schema S_T has no WRITE role .* cannot grant it to writer"):
        synth_stack(lambda stack: build(stack, grant_write=True))


def test_grant_read_and_write_go_to_the_named_role(synth_stack, raw_schema):
    def build(stack):
        schema = raw_schema(stack)
        schema.grant_read(FunctionalRole(stack, "reader", FunctionalRoleProps(name="READER_T", comment="r")))
        schema.grant_write(FunctionalRole(stack, "writer", FunctionalRoleProps(name="WRITER_T", comment="w")))
    grants = {g["parent_role_name"].split(".")[1]: g["database_role_name"].split(".")[1]
              for g in resources(synth_stack(build), "snowflake_grant_database_role").values()
              if "parent_role_name" in g}
    assert {role.rsplit("_", 1)[0]: db_role.rsplit("_", 1)[0] for role, db_role in grants.items()} == {
        "reader_role": "raw_read-role", "writer_role": "raw_write-role"}


def test_stage_and_pipe_grants_only_where_asked(synth_stack, raw_schema):
    kinds = {g["on_schema_object"]["future"]["object_type_plural"]
             for g in resources(synth_stack(raw_schema), "snowflake_grant_privileges_to_database_role").values()
             if "on_schema_object" in g}
    assert kinds == {"TABLES", "VIEWS", "DYNAMIC TABLES"}


def test_unknown_object_kind_is_refused(synth_stack):
    import pytest
    from ysg_constructs.database import BillingDatabase, BillingDatabaseProps
    from ysg_constructs.schema import BillingSchema, BillingSchemaProps

    def build(stack):
        database = BillingDatabase(stack, "db", BillingDatabaseProps(name="DB_T", data_retention_days=1))
        BillingSchema(stack, "s", database, BillingSchemaProps(name="S_T", comment="c", object_kinds=("TABLE",)))
    with pytest.raises(ValueError, match=r"unknown object kinds \['TABLE'\]"):
        synth_stack(build)
