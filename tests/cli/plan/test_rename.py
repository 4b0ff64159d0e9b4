"""Renaming the prod database: every resource that refers to it, directly or through others, is in the plan
(replaced or changed, from the provider's facts), and the prod guard refuses the rename."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from edits import edit

from ysg.plan.report import build, render
from ysg_core.paths import ENVIRONMENTS_DIR, REPO_ROOT

REFERENCE = re.compile(r"\$\{([a-z0-9_]+\.[A-Za-z0-9_\-]+)\.")


@pytest.fixture(scope="module")
def renamed(synthesized, tmp_path_factory):
    """The prod stack of this checkout (base) against the same with its database renamed (head)."""
    from ysg_stacks.app import synthesize

    root = tmp_path_factory.mktemp("rename")
    environments = shutil.copytree(ENVIRONMENTS_DIR, root / "environments")
    edit(environments / "prod.yaml", "name: SNOWFLAKE_EXAMPLE\n", "name: SNOWFLAKE_EXAMPLE_V2\n")
    head = synthesize(root / "cdktf.out", environments_dir=environments)
    plan = build("main", "0" * 40, "head", {"prod": synthesized["prod"]}, {"prod": head["prod"]}, REPO_ROOT, [],
                 today=dt.date(2026, 11, 22))
    base = json.loads((synthesized["prod"] / "cdk.tf.json").read_text())
    return plan, base


def _bodies(document: dict) -> dict[str, dict]:
    return {f"{rtype}.{name}": {k: v for k, v in body.items() if k not in ("//", "depends_on")}
            for rtype, items in document["resource"].items() for name, body in items.items()}


def _listed(plan) -> set[str]:
    return {c.address for c in plan.environments["prod"].resources.changes if c.action in ("replace", "update")}


def test_every_resource_whose_json_refers_to_the_database_is_replaced_or_changed(renamed):
    plan, base = renamed
    referring = {address for address, body in _bodies(base).items() if "${snowflake_database." in json.dumps(body)}
    assert (sorted(referring - _listed(plan)), len(referring) > 20) == ([], True)


def test_so_is_every_resource_that_refers_to_a_replaced_one(renamed):
    plan, base = renamed
    replaced = {c.address for c in plan.environments["prod"].resources.by_action("replace")}
    referring = {address for address, body in _bodies(base).items()
                 if set(REFERENCE.findall(json.dumps(body))) & replaced}
    assert (sorted(referring - _listed(plan)), len(replaced) > 50) == ([], True)


def test_the_rename_is_refused_in_prod_and_the_plan_exits_1(renamed):
    plan, base = renamed
    [database] = [a for a in _bodies(base) if a.startswith("snowflake_database.")]
    text = render(plan)
    assert ((plan.exit_code, [(g.action, g.kind) for g in plan.guard.refused if g.change.address == database]),
            f"**REFUSED**: rename of database `{database}` in prod (renamed in place, SNOWFLAKE_EXAMPLE -> "
            "SNOWFLAKE_EXAMPLE_V2: the object stays, but every consumer that names it breaks" in text) == (
        (1, [("rename", "database")]), True)


def test_a_change_that_follows_a_reference_says_why(renamed):
    plan, base = renamed
    schemas = [c for c in plan.environments["prod"].resources.changes if c.type == "snowflake_schema"]
    database = next(a for a in _bodies(base) if a.startswith("snowflake_database."))
    assert {c.reason for c in schemas} == {
        f"database refers to {database}.name, which changes: forces a replacement"}
