"""Shared fixtures. Synthesis runs once per test session (it is the slow part) and is shared."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
REPO_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("dev", "staging", "prod", "local")


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory) -> dict[str, Path]:
    """Every environment synthesized once into a session folder: env -> stack folder."""
    from ysg_stacks.app import synthesize

    return synthesize(tmp_path_factory.mktemp("cdktf") / "cdktf.out")


@pytest.fixture(scope="session")
def stacks(synthesized) -> dict[str, dict]:
    """Every environment's parsed cdk.tf.json: env -> document."""
    return {env: json.loads((d / "cdk.tf.json").read_text()) for env, d in synthesized.items()}


@pytest.fixture(scope="session")
def configs():
    from ysg.config import load_all

    return load_all()
