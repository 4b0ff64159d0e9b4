"""Errors every command may report, importable without loading the configuration model."""
from __future__ import annotations


class ConfigError(Exception):
    """One or more environment files are invalid; the message names each file and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))
