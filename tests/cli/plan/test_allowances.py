"""allowances.py: the reviewed allowances file and the prod guard."""
from __future__ import annotations

import datetime as dt

import pytest

from ysg.plan.allowances import Allowance, AllowanceError, guard, load_allowances
from ysg.plan.codeowners import owners
from ysg.plan.diff import AttributeChange, ResourceChange
from ysg_core.paths import REPO_ROOT

TODAY = dt.date(2026, 11, 22)
DROP_TABLE = ResourceChange("delete", "snowflake_table", "snowflake_table.t_1", "billing-prod/t/table")
GOOD = ("allowances:\n  - environment: prod\n    address: snowflake_table.t_1\n    action: destroy\n"
        "    reason: retired after the 2026 billing migration\n    expires: 2026-12-01\n")


OWNED = "/environments/_allowances.yaml @example-org/platform-team\n"


def write(tmp_path, text: str, codeowners: str | None = OWNED):
    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / "_allowances.yaml").write_text(text)
    if codeowners is not None:
        (tmp_path / ".github").mkdir(exist_ok=True)
        (tmp_path / ".github" / "CODEOWNERS").write_text(codeowners)
    return tmp_path


def test_no_file_means_no_allowances(tmp_path):
    assert load_allowances(tmp_path) == []


@pytest.mark.parametrize("old, new, message", [
    ("retired after the 2026 billing migration", "because", r"allowances\[0\]\.reason: .*at least 10 characters"),
    ("action: destroy", "action: drop", r"allowances\[0\]\.action: Input should be 'destroy', 'replace' or 'rename'"),
    ("expires: 2026-12-01", "expires: soon", r"allowances\[0\]\.expires: Input should be a valid date"),
    ("expires: 2026-12-01", "expires: 2026-12-01\n    approved_by: me", r"allowances\[0\]\.approved_by: Extra inputs"),
    ("address: snowflake_table.t_1", "address: USAGE_METRICS", r"allowances\[0\]\.address: String should match"),
])
def test_a_bad_allowance_is_refused_naming_file_and_field(tmp_path, old, new, message):
    repo = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(AllowanceError, match=r"environments/_allowances\.yaml: " + message):
        load_allowances(repo)


def test_a_prod_destroy_is_refused_without_an_allowance():
    assert [g.change for g in guard({"prod": [DROP_TABLE]}, [], TODAY).refused] == [DROP_TABLE]


def test_a_prod_destroy_is_accepted_with_a_matching_allowance(tmp_path):
    result = guard({"prod": [DROP_TABLE]}, load_allowances(write(tmp_path, GOOD)), TODAY)
    assert (result.ok, [g.change for g in result.allowed]) == (True, [DROP_TABLE])


def test_an_allowance_to_destroy_does_not_allow_a_replacement(tmp_path):
    replace = ResourceChange("replace", "snowflake_table", "snowflake_table.t_1", "billing-prod/t/table")
    assert guard({"prod": [replace]}, load_allowances(write(tmp_path, GOOD)), TODAY).ok is False


def test_an_expired_allowance_does_not_count(tmp_path):
    result = guard({"prod": [DROP_TABLE]}, load_allowances(write(tmp_path, GOOD)), dt.date(2026, 12, 2))
    assert (result.ok, len(result.expired)) == (False, 1)


def test_other_environments_and_unprotected_types_are_not_guarded():
    drop_format = ResourceChange("delete", "snowflake_file_format", "snowflake_file_format.f", "x")
    assert guard({"staging": [DROP_TABLE], "prod": [drop_format]}, [], TODAY).ok is True


def test_the_reason_is_kept_for_the_document():
    allowance = Allowance(environment="prod", address="snowflake_stage.s", action="replace",
                          reason="  moved to the landing schema  ", expires=TODAY)
    assert allowance.reason == "moved to the landing schema"


def test_the_allowances_file_is_not_read_as_an_environment(env_dir, tmp_path):
    from ysg_core.config import load_all

    write(tmp_path, GOOD)
    assert sorted(load_all(env_dir)) == ["dev", "local", "prod", "staging"]


def test_the_committed_allowances_file_is_valid_and_allows_nothing():
    assert load_allowances(REPO_ROOT) == []


@pytest.mark.parametrize("codeowners", [
    None,                                                         # no CODEOWNERS file at all
    "/ysg/ @example-org/platform-team\n",                         # one that does not cover the file
    "/environments/ @example-org/platform-team\n/environments/_allowances.yaml\n",  # a later line unowns it
])
def test_allowances_without_a_code_owner_allow_nothing(tmp_path, codeowners):
    """Finding 10 of issue 11: without an owner, a pull request's author could allow their own change."""
    with pytest.raises(AllowanceError, match=r"environments/_allowances\.yaml: no code owner"):
        load_allowances(write(tmp_path, GOOD, codeowners))


def test_the_repositorys_own_allowances_file_has_a_code_owner():
    assert owners(REPO_ROOT, "environments/_allowances.yaml")


def test_a_codeowners_line_github_would_not_understand_is_refused_naming_the_line(tmp_path):
    with pytest.raises(AllowanceError, match=r"\.github/CODEOWNERS:2: 'platform' is not an owner"):
        load_allowances(write(tmp_path, GOOD, "# owners\n/environments/ platform team\n"))


RENAME_SCHEMA = ResourceChange("update", "snowflake_schema", "snowflake_schema.s", "billing-prod/s/schema",
                               (AttributeChange("name", "RAW", "RAW_V2"),))


def test_a_prod_rename_is_refused_and_a_rename_allowance_allows_it(tmp_path):
    allowance = Allowance(environment="prod", address="snowflake_schema.s", action="rename",
                          reason="consumers were moved to RAW_V2 first", expires=TODAY)
    refused, allowed = guard({"prod": [RENAME_SCHEMA]}, [], TODAY), guard({"prod": [RENAME_SCHEMA]}, [allowance], TODAY)
    assert ([(g.action, g.kind) for g in refused.refused], allowed.ok) == ([("rename", "schema")], True)


def test_a_name_that_changes_only_through_a_reference_is_not_a_rename():
    follows = ResourceChange("update", "snowflake_schema", "snowflake_schema.s", "billing-prod/s/schema",
                             (AttributeChange("name", "RAW", "(known after apply)", propagated=True),))
    assert guard({"prod": [follows]}, [], TODAY).ok is True


@pytest.mark.parametrize("environment", ["Prod", "production", "dev", "PROD"])
def test_an_allowance_for_an_environment_the_guard_does_not_protect_is_refused(tmp_path, environment):
    repo = write(tmp_path, GOOD.replace("environment: prod", f"environment: {environment}"))
    with pytest.raises(AllowanceError, match=rf"^environments/_allowances\.yaml: allowances\[0\]\.environment: "
                                             rf"'{environment}' is not an environment the prod guard protects"):
        load_allowances(repo)


def test_a_key_given_twice_in_an_allowance_is_refused_with_its_line(tmp_path):
    repo = write(tmp_path, GOOD + "    action: replace\n")
    with pytest.raises(AllowanceError, match=r"^environments/_allowances\.yaml: line 7, column 5: not valid YAML: "
                                             r"duplicate key 'action'$"):
        load_allowances(repo)
