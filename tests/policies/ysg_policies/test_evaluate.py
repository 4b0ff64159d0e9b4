"""The pack, evaluated in-process over every shipped environment: nothing fails."""
from __future__ import annotations

from ysg_policies.evaluate import failures
from ysg_policies.model import Stack


def test_every_shipped_environment_passes_the_pack(synthesized):
    assert {env: failures(Stack.from_file(d / "cdk.tf.json")) for env, d in synthesized.items()} == {
        env: [] for env in synthesized}


def test_the_provider_features_beside_the_stack_are_the_bindings_own(synthesized):
    from ysg_constructs.bindings import preview_features

    assert Stack.from_file(synthesized["dev"] / "cdk.tf.json").known_preview_features == preview_features()
