"""Shared fixtures. Synthesis runs once per test session (it is the slow part) and is shared."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ysg_core.paths import ENVIRONMENTS_DIR

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


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
    from ysg_core.config import load_all

    return load_all()


@pytest.fixture
def env_dir(tmp_path) -> Path:
    """A copy of the shipped environments/ folder at tmp_path/environments, to change freely."""
    return shutil.copytree(ENVIRONMENTS_DIR, tmp_path / "environments")
