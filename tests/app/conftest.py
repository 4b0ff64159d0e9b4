"""Fixtures of the Billing Ops app tests: emulator databases built once per session (app_fixtures.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app_fixtures import build_emulator


@pytest.fixture(scope="session")
def emulator_dirs(tmp_path_factory) -> dict[str, Path]:
    """Fixture databases by kind: `full` (rows), `empty` (tables, no rows), `bare` (no tables)."""
    root = tmp_path_factory.mktemp("emulator")
    return {
        "full": build_emulator(root / "full"),
        "empty": build_emulator(root / "empty", rows=False),
        "bare": build_emulator(root / "bare", tables=False),
    }


@pytest.fixture
def use_emulator(monkeypatch, emulator_dirs):
    """Point the app at one fixture database: `use_emulator("empty")`."""
    def use(kind: str) -> Path:
        monkeypatch.setenv("YSG_EMULATOR_DIR", str(emulator_dirs[kind]))
        monkeypatch.setenv("YSG_APP_ENVIRONMENT", "local")
        return emulator_dirs[kind]
    return use
