"""hooks/ysg_hooks/declare.py: a hook declaration prepared (validated, rendered, checked) without jsii."""
from __future__ import annotations

import subprocess
import sys

import pytest

from ysg_hooks import declare
from ysg_hooks.declare import PostApplyHookProps, prepare, prepare_quietly


@pytest.fixture
def sql_root(tmp_path, monkeypatch):
    monkeypatch.setattr(declare, "REPO_ROOT", tmp_path)
    (tmp_path / "sql").mkdir()
    return tmp_path / "sql"


def test_a_declaration_prepared_twice_is_rendered_once_and_a_changed_file_again(sql_root):
    (sql_root / "v.sql").write_text("CREATE VIEW {{ identifier:database }}.S.V AS SELECT 1;\n")
    props = PostApplyHookProps(name="s.v", sql_file="sql/v.sql", params={"database": "DB_A"}, creates=("DB_A.S.V",))
    first = prepare(props)
    assert prepare(PostApplyHookProps(name="s.v", sql_file="sql/v.sql", params={"database": "DB_A"},
                                      creates=("DB_A.S.V",))) is first
    assert prepare(PostApplyHookProps(name="s.v", sql_file="sql/v.sql", params={"database": "DB_B"},
                                      creates=("DB_B.S.V",))) is not first
    (sql_root / "v.sql").write_text("CREATE VIEW {{ identifier:database }}.S.V AS SELECT 2;\n")
    assert prepare(props).statements == ("CREATE VIEW DB_A.S.V AS SELECT 2",)
    assert [c.level for c in first.checks] == ["sqlglot"]


def test_preparing_ahead_keeps_quiet_and_the_declaration_raises_in_its_place(sql_root):
    (sql_root / "v.sql").write_text("CREATE VIEW {{ identifier:database }}.S.V AS SELECT 1;\n")
    props = PostApplyHookProps(name="s.v", sql_file="sql/v.sql", params={"database": "DB; DROP TABLE T"})
    prepare_quietly(props)
    with pytest.raises(ValueError, match=r"sql/v\.sql:1: .*not a valid Snowflake identifier"):
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
