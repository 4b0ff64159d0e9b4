"""constructs/ysg_constructs/post_apply_hook.py: a hook declared in the construct tree."""
import pytest

from ysg_constructs import bindings as b
from ysg_constructs.post_apply_hook import PostApplyHook, PostApplyHookProps

FILE = "sql/analytics/churn_predictions.sql"


def creates(database: str) -> tuple[str, ...]:
    """What FILE creates, as a declaration must say (ysg_hooks.effects)."""
    return (f"{database}.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS",)


@pytest.fixture
def stack():
    return b.TerraformStack(b.App(), "hook-test")


def test_a_hook_renders_its_file_and_creates_no_resource(stack):
    hook = PostApplyHook(stack, "h", PostApplyHookProps(name="analytics.churn_predictions", sql_file=FILE,
                                                        params={"database": "DB_X"}, creates=creates("DB_X")))
    assert (hook.node.children, hook.rendered().statements[0].split("\n")[0]) == (
        [], "CREATE TABLE IF NOT EXISTS DB_X.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS (")


def test_environments_default_to_all_and_can_be_narrowed(stack):
    everywhere = PostApplyHook(stack, "a", PostApplyHookProps(name="a.b", sql_file=FILE, params={"database": "D"},
                                                              creates=creates("D")))
    dev_only = PostApplyHook(stack, "b", PostApplyHookProps(name="a.c", sql_file=FILE, params={"database": "D"},
                                                           environments=("dev",), creates=creates("D")))
    assert [(h.runs_in("prod"), h.runs_in("dev")) for h in (everywhere, dev_only)] == [(True, True), (False, True)]


@pytest.mark.parametrize("props, message", [
    (PostApplyHookProps(name="x.y", sql_file="README.md"), "must be a .sql file under sql/"),
    (PostApplyHookProps(name="x.y", sql_file="sql/../ysg/x.sql"), "must be a .sql file under sql/"),
    (PostApplyHookProps(name="x.y", sql_file="sql/nope.sql"), "no file at sql/nope.sql"),
    (PostApplyHookProps(name="Bad Name", sql_file=FILE), "expected '<layer>.<object>'"),
    (PostApplyHookProps(name="x.y", sql_file=FILE, params={"database": "D"}, snowflake_only=True),
     "needs a reason"),
    (PostApplyHookProps(name="x.y", sql_file=FILE, params={"database": "D; DROP DATABASE D"}),
     r"sql/analytics/churn_predictions\.sql:5: .*not a valid Snowflake identifier"),
])
def test_bad_props_are_refused_where_the_hook_is_declared(stack, props, message):
    with pytest.raises(ValueError, match=message):
        PostApplyHook(stack, "h", props)
