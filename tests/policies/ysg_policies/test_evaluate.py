"""The pack, evaluated in-process over every shipped environment: nothing fails."""
from __future__ import annotations

import pytest

from ysg_policies.evaluate import failures
from ysg_policies.model import Stack

from conftest import ENVIRONMENTS


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_shipped_environment_passes_the_pack(synthesized, env):
    assert failures(Stack.from_file(synthesized[env] / "cdk.tf.json")) == []


def test_the_provider_features_beside_the_stack_are_the_bindings_own(synthesized):
    from ysg_constructs.bindings import preview_features

    assert Stack.from_file(synthesized["dev"] / "cdk.tf.json").known_preview_features == preview_features()
