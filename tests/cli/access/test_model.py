"""cli/ysg/access/model.py and stack.py: effective privileges computed from small hand-built stacks."""
from __future__ import annotations

from access_stacks import StackBuilder, ref

from ysg.access.model import HOOKS, AccessModel, Moment, Securable, Source, role
from ysg.access.stack import UNNAMED_DEPLOY_ROLE, TerraformStack, load_stack

TABLE = Securable("TABLE", ("DB", "S", "T"))


def model_of(builder: StackBuilder, deploy_role: str | None = None) -> AccessModel:
    model = AccessModel()
    load_stack(model, TerraformStack(builder.document()), deploy_role)
    return model


def holds(model: AccessModel, role_name: str, privilege: str, securable: Securable = TABLE) -> set[str]:
    """The addresses of every resource a holding goes through (empty: not held)."""
    return {a for h in model.holdings(role(role_name), privilege, securable) for a in h.addresses}


def test_a_role_holds_what_is_granted_to_a_role_granted_to_it_and_no_other_role_does():
    b = StackBuilder()
    child, parent, other = b.role("child", "CHILD"), b.role("parent", "PARENT"), b.role("other", "OTHER")
    table = b.table("t", "T")
    b.grant("select", child, ["SELECT"], on_schema_object={"object_type": "TABLE",
                                                           "object_name": ref(table, "fully_qualified_name")})
    b.grant_role("up", child, parent)
    model = model_of(b)
    assert holds(model, "PARENT", "SELECT") == {"snowflake_grant_privileges_to_account_role.select",
                                                 "snowflake_grant_account_role.up"}
    assert holds(model, "OTHER", "SELECT") == set()
    assert holds(model, "CHILD", "INSERT") == set()


def test_database_roles_pass_their_privileges_up_to_database_roles_and_account_roles():
    b = StackBuilder()
    r = b.role("r", "R")
    read = b.add("snowflake_database_role.read", database=ref(b.database), name="READ")
    write = b.add("snowflake_database_role.write", database=ref(b.database), name="WRITE")
    b.add("snowflake_grant_privileges_to_database_role.usage", database_role_name=ref(read, "fully_qualified_name"),
          privileges=["USAGE"], on_schema={"schema_name": ref(b.schema, "fully_qualified_name")})
    b.add("snowflake_grant_database_role.write-includes-read", database_role_name=ref(read, "fully_qualified_name"),
          parent_database_role_name=ref(write, "fully_qualified_name"))
    b.add("snowflake_grant_database_role.write-to-r", database_role_name=ref(write, "fully_qualified_name"),
          parent_role_name=ref(r))
    schema = Securable("SCHEMA", ("DB", "S"))
    assert holds(model_of(b), "R", "USAGE", schema) == {
        "snowflake_grant_privileges_to_database_role.usage", "snowflake_grant_database_role.write-includes-read",
        "snowflake_grant_database_role.write-to-r"}


def future_tables(b: StackBuilder, rid: str, role_address: str, container: dict) -> str:
    return b.grant(rid, role_address, ["SELECT"],
                   on_schema_object={"future": {"object_type_plural": "TABLES", **container}})


def test_a_future_grant_covers_a_terraform_table_only_when_the_table_depends_on_it():
    b = StackBuilder()
    r = b.role("r", "R")
    future = future_tables(b, "future", r, {"in_schema": ref(b.schema, "fully_qualified_name")})
    b.table("after", "AFTER", depends_on=[f"snowflake_grant_privileges_to_account_role.future"])
    b.table("unordered", "UNORDERED")
    model = model_of(b)
    assert holds(model, "R", "SELECT", Securable("TABLE", ("DB", "S", "AFTER"))) == {future}
    # Terraform may create the table before the grant: Snowflake applies a future grant to later objects only.
    assert holds(model, "R", "SELECT", Securable("TABLE", ("DB", "S", "UNORDERED"))) == set()


def test_a_future_grant_covers_what_a_hook_creates_after_terraform():
    b = StackBuilder()
    r = b.role("r", "R")
    future = b.grant("future", r, ["SELECT"], on_schema_object={
        "future": {"object_type_plural": "VIEWS", "in_schema": ref(b.schema, "fully_qualified_name")}})
    model = model_of(b)
    view = Securable("VIEW", ("DB", "S", "V"))
    model.add_object(view, role("PIPELINE"), Moment(HOOKS, 1), Source("hook a.v #1", "hook"))
    assert holds(model, "R", "SELECT", view) == {future}
    assert holds(model, "R", "SELECT", Securable("VIEW", ("DB", "S", "NEVER_CREATED"))) == set()


def test_a_schema_future_grant_takes_precedence_over_the_database_one_for_the_same_kind():
    b = StackBuilder()
    other = b.add("snowflake_schema.other", database=ref(b.database), name="OTHER", with_managed_access="true")
    wide, narrow = b.role("wide", "WIDE"), b.role("narrow", "NARROW")
    future_tables(b, "in-database", wide, {"in_database": ref(b.database)})
    future_tables(b, "in-schema", narrow, {"in_schema": ref(b.schema, "fully_qualified_name")})
    model = model_of(b)
    in_s, in_other = Securable("TABLE", ("DB", "S", "X")), Securable("TABLE", ("DB", "OTHER", "X"))
    for table in (in_s, in_other):
        model.add_object(table, role("PIPELINE"), Moment(HOOKS, 1), Source("hook a.x #1", "hook"))
    assert (bool(holds(model, "WIDE", "SELECT", in_s)), bool(holds(model, "NARROW", "SELECT", in_s))) == (False, True)
    assert bool(holds(model, "WIDE", "SELECT", in_other)) and other


def test_an_all_grant_covers_the_tables_that_exist_when_it_runs_and_not_later_ones():
    b = StackBuilder()
    r = b.role("r", "R")
    before = b.table("before", "BEFORE")
    b.add("snowflake_grant_privileges_to_account_role.all", account_role_name=ref(r), privileges=["SELECT"],
          on_schema_object={"all": {"object_type_plural": "TABLES",
                                    "in_schema": ref(b.schema, "fully_qualified_name")}},
          depends_on=[before])
    model = model_of(b)
    model.add_object(Securable("TABLE", ("DB", "S", "LATER")), role("P"), Moment(HOOKS, 1), Source("hook", "hook"))
    assert holds(model, "R", "SELECT", Securable("TABLE", ("DB", "S", "BEFORE")))
    assert not holds(model, "R", "SELECT", Securable("TABLE", ("DB", "S", "LATER")))


def test_terraform_objects_belong_to_the_deploy_role_it_runs_as_until_ownership_is_granted_away():
    b = StackBuilder()
    app_role = b.role("app", "APP")
    stage = b.add("snowflake_stage.st", database=ref(b.schema, "database"), schema=ref(b.schema), name="ST")
    b.table("t", "T")
    b.add("snowflake_grant_ownership.st", account_role_name=ref(app_role),
          on={"object_type": "STAGE", "object_name": ref(stage, "fully_qualified_name")})
    stage_securable = Securable("STAGE", ("DB", "S", "ST"))
    given = model_of(b, deploy_role="DEPLOYER")
    assert holds(given, "DEPLOYER", "INSERT") == {"snowflake_table.t"}
    assert holds(given, "APP", "WRITE", stage_securable) == {"snowflake_grant_ownership.st"}
    assert holds(given, "DEPLOYER", "WRITE", stage_securable) == set()
    assert holds(model_of(b), UNNAMED_DEPLOY_ROLE, "INSERT") == {"snowflake_table.t"}
    provider_model = AccessModel()
    load_stack(provider_model, TerraformStack(b.document(provider_role="TF_ROLE")))
    assert holds(provider_model, "TF_ROLE", "INSERT") == {"snowflake_table.t"}


def test_references_resolve_to_the_names_the_provider_computes():
    b = StackBuilder()
    table = b.table("t", "T")
    stack = TerraformStack(b.document())
    assert stack.value(ref(table, "fully_qualified_name"), "x") == '"DB"."S"."T"'
    assert stack.value(ref(b.schema, "fully_qualified_name"), "x") == '"DB"."S"'
    assert stack.value(ref(table, "database"), "x") == "DB"
