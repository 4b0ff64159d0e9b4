"""stacks/ysg_stacks/data_hooks.py, hook_manifest: a stack's hooks, filtered by environment and ordered."""
import pytest

from ysg_constructs import bindings as b
from ysg_constructs.post_apply_hook import PostApplyHook, PostApplyHookProps
from ysg_hooks.manifest import ManifestError
from ysg_stacks.data_hooks import hook_manifest

FILE = "sql/analytics/churn_predictions.sql"
CREATES = ("D.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS",)   # what FILE creates, as a declaration must say


def _stack(config, *props):
    stack = b.TerraformStack(b.App(), "manifest-test")
    stack.config = config
    for i, p in enumerate(props):
        PostApplyHook(stack, f"h{i}", p)
    return stack


def test_hooks_for_other_environments_are_left_out_and_order_follows_dependencies(configs):
    stack = _stack(configs["prod"],
                   PostApplyHookProps(name="b.second", sql_file=FILE, params={"database": "D"}, creates=CREATES, depends_on=("z.first",)),
                   PostApplyHookProps(name="z.first", sql_file=FILE, params={"database": "D"}, creates=CREATES),
                   PostApplyHookProps(name="a.dev_only", sql_file=FILE, params={"database": "D"}, creates=CREATES, environments=("dev",)))
    manifest = hook_manifest(stack)
    assert ([(h.order, h.name) for h in manifest.hooks], manifest.target) == ([(0, "z.first"), (1, "b.second")],
                                                                              "snowflake")


def test_a_dependency_on_an_undeclared_hook_is_refused(configs):
    stack = _stack(configs["local"],
                   PostApplyHookProps(name="a.b", sql_file=FILE, params={"database": "D"}, creates=CREATES, depends_on=("x.missing",)))
    with pytest.raises(ManifestError, match="depends on unknown hook 'x.missing'"):
        hook_manifest(stack)
