"""hooks/ysg_hooks/declare.py: a hook declaration prepared (validated, rendered, checked) without jsii, and
the manifest built from declarations."""
from __future__ import annotations

import subprocess
import sys

import pytest

from ysg_hooks import declare
from ysg_hooks.declare import HookDeclaration, manifest_of, prepare, prepare_quietly, rendered
from ysg_hooks.manifest import ManifestError


@pytest.fixture
def sql_root(tmp_path, monkeypatch):
    monkeypatch.setattr(declare, "REPO_ROOT", tmp_path)
    (tmp_path / "sql" / "s").mkdir(parents=True)
    return tmp_path / "sql"


def test_a_declaration_prepared_twice_is_rendered_once_and_a_changed_file_again(sql_root):
    (sql_root / "s" / "v.sql").write_text("CREATE VIEW {{ identifier:database }}.S.V AS SELECT 1;\n")
    props = HookDeclaration(name="s.v", params={"database": "DB_A"}, creates=("DB_A.S.V",))
    first = prepare(props)
    assert prepare(HookDeclaration(name="s.v", params={"database": "DB_A"}, creates=("DB_A.S.V",))) is first
    assert prepare(HookDeclaration(name="s.v", params={"database": "DB_B"}, creates=("DB_B.S.V",))) is not first
    (sql_root / "s" / "v.sql").write_text("CREATE VIEW {{ identifier:database }}.S.V AS SELECT 2;\n")
    assert prepare(props).statements == ("CREATE VIEW DB_A.S.V AS SELECT 2",)
    assert [c.level for c in first.checks] == ["sqlglot"]


def test_preparing_ahead_keeps_quiet_and_the_declaration_raises_in_its_place(sql_root):
    (sql_root / "s" / "v.sql").write_text("CREATE VIEW {{ identifier:database }}.S.V AS SELECT 1;\n")
    props = HookDeclaration(name="s.v", params={"database": "DB; DROP TABLE T"})
    prepare_quietly(props)
    with pytest.raises(ValueError, match=r"sql/s/v\.sql:1: .*not a valid Snowflake identifier"):
        prepare(props)


def test_synthesis_prepares_ahead_without_importing_jsii():
    """The thread that runs while jsii starts must stay plain Python (jsii is not thread-safe)."""
    code = ("import sys; from ysg_stacks.app import _Ahead; ahead = _Ahead(None); ahead.start(); "
            "configs, inputs, examples = ahead.result(); "
            "print(sorted(configs), any(m == 'jsii' or m.startswith(('jsii.', 'cdktf', 'constructs')) "
            "for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("] ")[-1].strip() == "False", done.stdout + done.stderr
    assert "'prod'" in done.stdout


FILE = "sql/analytics/churn_predictions.sql"   # the file of the hook named analytics.churn_predictions


def creates(database: str) -> tuple[str, ...]:
    """What FILE creates, as a declaration must say (ysg_hooks.effects)."""
    return (f"{database}.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS",)


def test_a_hooks_file_is_named_after_it_and_rendered_with_its_params():
    declaration = HookDeclaration(name="analytics.churn_predictions", params={"database": "DB_X"},
                                  creates=creates("DB_X"))
    assert (declaration.sql_file, rendered(declaration).statements[0].split("\n")[0]) == (
        FILE, "CREATE TABLE IF NOT EXISTS DB_X.SFE_ANALYTICS_COSTS.CHURN_PREDICTIONS (")


def test_environments_default_to_all_and_can_be_narrowed():
    everywhere = HookDeclaration(name="a.b")
    dev_only = HookDeclaration(name="a.c", environments=("dev",))
    assert [(h.runs_in("prod"), h.runs_in("dev")) for h in (everywhere, dev_only)] == [(True, True), (False, True)]


@pytest.mark.parametrize("declaration, message", [
    (HookDeclaration(name="analytics.nope"), r"no file at sql/analytics/nope\.sql"),
    (HookDeclaration(name="analytics/../../README"), "expected '<layer>.<object>'"),
    (HookDeclaration(name="Bad Name"), "expected '<layer>.<object>'"),
    (HookDeclaration(name="analytics.churn_predictions", params={"database": "D"}, creates=creates("D"),
                     snowflake_only=True), "needs a reason"),
    (HookDeclaration(name="analytics.churn_predictions", params={"database": "D; DROP DATABASE D"}),
     r"sql/analytics/churn_predictions\.sql:5: .*not a valid Snowflake identifier"),
])
def test_a_bad_declaration_is_refused_naming_the_hook_or_its_file(declaration, message):
    with pytest.raises(ValueError, match=message):
        prepare(declaration)


def _manifest(*declarations: HookDeclaration, environment: str = "prod"):
    return manifest_of(list(declarations), environment=environment, stack=f"billing-{environment}",
                       target="snowflake", role="PIPELINE_ROLE", warehouse="WH")


def test_the_manifest_leaves_out_other_environments_hooks_and_follows_dependencies(sql_root):
    for name in ("second", "first", "dev_only"):
        (sql_root / "s" / f"{name}.sql").write_text(f"CREATE VIEW DB.S.{name.upper()} AS SELECT 1;\n")
    manifest = _manifest(HookDeclaration(name="s.second", creates=("DB.S.SECOND",), depends_on=("s.first",)),
                         HookDeclaration(name="s.first", creates=("DB.S.FIRST",)),
                         HookDeclaration(name="s.dev_only", creates=("DB.S.DEV_ONLY",), environments=("dev",)))
    assert ([(h.order, h.name, h.sql_file) for h in manifest.hooks], manifest.role, manifest.warehouse) == (
        [(0, "s.first", "sql/s/first.sql"), (1, "s.second", "sql/s/second.sql")], "PIPELINE_ROLE", "WH")


def test_a_dependency_on_an_undeclared_hook_is_refused(sql_root):
    (sql_root / "s" / "v.sql").write_text("CREATE VIEW DB.S.V AS SELECT 1;\n")
    with pytest.raises(ManifestError, match="depends on unknown hook 'x.missing'"):
        _manifest(HookDeclaration(name="s.v", creates=("DB.S.V",), depends_on=("x.missing",)))
