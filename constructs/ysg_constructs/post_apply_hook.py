"""A post-apply SQL hook: a file under sql/ that runs after `cdktf deploy`, declared in the tree.

It creates no Terraform resource. Synthesis collects the hooks of a stack, renders them and writes
the hook manifest (hooks.json) beside cdk.tf.json; the hook runner executes that manifest.
"""
from __future__ import annotations

from constructs import Construct

from ysg_hooks.declare import PostApplyHookProps, prepare, rendered
from ysg_hooks.manifest import RenderedHook

__all__ = ["PostApplyHook", "PostApplyHookProps"]


class PostApplyHook(Construct):
    def __init__(self, scope: Construct, id: str, props: PostApplyHookProps):
        super().__init__(scope, id)
        # Render now, so a bad file or parameter fails where the hook is declared, naming the file.
        prepared = prepare(props)
        self._props = props
        self._statements = prepared.statements
        self._checks = prepared.checks

    @property
    def hook_name(self) -> str:
        return self._props.name

    @property
    def snowflake_only(self) -> bool:
        return self._props.snowflake_only

    @property
    def statements(self) -> tuple[str, ...]:
        return self._statements

    @property
    def checks(self):
        """How each statement was checked (ysg_core.sqlcheck.Check), in statement order."""
        return self._checks

    def runs_in(self, environment: str) -> bool:
        return self._props.runs_in(environment)

    def rendered(self) -> RenderedHook:
        return rendered(self._props)
