"""One rule per module; every module defines `RULE`. `all_rules()` finds them, so adding a file adds a rule."""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from ysg_policies.model import Rule


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        rule = importlib.import_module(f"{__name__}.{info.name}").RULE
        if rule.id in rules:
            raise RuntimeError(f"rule id {rule.id} is defined twice ({info.name})")
        rules[rule.id] = rule
    return rules
