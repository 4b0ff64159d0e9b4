"""Every YAML the tool reads goes through the guarded loader: aliases, duplicate keys, deep nesting and
non-finite numbers are refused with the file and line, in every file, before anything expands."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from ysg.plan.synth import source_roots
from ysg_core.config import ConfigError, load_all, load_environment
from ysg_core.paths import REPO_ROOT

MAX_DEPTH = 32   # ysg_core.safe_yaml.MAX_DEPTH (imported inside the tests, so this file also runs where it is missing)

# The issue's 1 KB bomb: nine levels of nine aliases each, 9**9 (387 million) strings once expanded.
BOMB = "".join([f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
               + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)])


def test_the_bomb_is_refused_at_its_first_anchor_naming_file_and_line():
    from ysg_core.errors import InputFileError
    from ysg_core.safe_yaml import loads

    assert len(BOMB) < 1024
    with pytest.raises(InputFileError, match=r"^bomb\.yaml: line 1, column 5: an anchor \(&l0\) is refused"):
        loads(BOMB, "bomb.yaml")


@pytest.mark.parametrize("text,message", [
    ("a: 1\nb: *a\n", r"line 2, column 4: an alias \(\*a\) is refused"),      # an alias to nothing anchored
    ("base: &b {size: SMALL}\nprod: *b\n", r"line 1, column 7: an anchor \(&b\) is refused"),
    ("prod:\n  <<: {size: SMALL}\n  size: LARGE\n", r"line 2, column 3: a merge key \(<<\) is refused"),
    ("a: 1\nb: 2\na: 3\n", r"line 3, column 1: not valid YAML: duplicate key 'a'"),
    ("x:\n  y: 1\n  y: 2\n", r"line 3, column 3: not valid YAML: duplicate key 'y'"),
    ("factor: .nan\n", r"line 1, column 9: '\.nan' is not a finite number"),
    ("factor: -.inf\n", r"line 1, column 9: '-\.inf' is not a finite number"),
    # The mapping is level 1, so the 32nd bracket (column 6 + 32) is one level too deep.
    ("deep: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", r"line 1, column 38: nested deeper than 32"),
    ("deep: " + "[" * 5000 + "]" * 5000 + "\n", r"line 1, column 38: nested deeper than 32 levels"),
    ("a: \"\x07\"\n", r"line 1: not valid YAML: character U\+0007 is not allowed"),
], ids=["alias", "anchor", "merge key", "duplicate key", "nested duplicate key", "nan", "negative inf",
        "deep", "5000 deep", "control character"])
def test_what_no_file_of_ours_needs_is_refused_in_one_line(text, message):
    from ysg_core.errors import InputFileError
    from ysg_core.safe_yaml import loads

    with pytest.raises(InputFileError) as raised:
        loads(text, "f.yaml")
    assert "\n" not in str(raised.value)
    assert re.search(r"^f\.yaml: " + message, str(raised.value)), str(raised.value)


def test_plain_yaml_still_loads():
    from ysg_core.safe_yaml import loads

    assert loads("a: [1, 2.5, {b: c}]\nd: 2026-12-01\n", "f.yaml") == {
        "a": [1, 2.5, {"b": "c"}], "d": __import__("datetime").date(2026, 12, 1)}


def test_a_folder_a_missing_file_and_bad_bytes_are_said_in_one_line(tmp_path):
    from ysg_core.errors import InputFileError
    from ysg_core.safe_yaml import load_file

    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "latin1.yaml").write_bytes(b"a: 1\nname: caf\xe9\n")
    for name, message in (("dir.yaml", "is a folder, not a file"), ("gone.yaml", "no such file"),
                          ("latin1.yaml", r"line 2: not UTF-8 text \(byte 0xe9 at offset 14\)")):
        with pytest.raises(InputFileError, match=rf"^{re.escape(str(tmp_path / name))}: {message}"):
            load_file(tmp_path / name)


# Once, naming the file: a broken defaults file is one problem, not one per environment.
@pytest.mark.parametrize("name,anchor_line", [("dev.yaml", 3), ("_defaults.yaml", 2)])
def test_an_alias_in_an_environment_or_the_defaults_file_is_refused_naming_it(env_dir, name, anchor_line):
    path = env_dir / name
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    lines.insert(anchor_line - 1, "x_bomb: &x [1, 2]\n")
    path.write_text("".join(lines))
    with pytest.raises(ConfigError) as raised:
        load_all(env_dir)
    assert raised.value.problems == [f"{path}: line {anchor_line}, column 9: an anchor (&x) is refused: files read "
                                     "by ysg use no anchors or aliases; write the value out"]


def test_the_issues_bomb_as_an_environment_file_is_refused_before_it_expands(env_dir):
    (env_dir / "qa.yaml").write_text(BOMB)
    with pytest.raises(ConfigError, match=r"qa\.yaml: line 1, column 5: an anchor \(&l0\) is refused"):
        load_environment(env_dir / "qa.yaml")


def test_the_allowances_file_refuses_aliases_and_duplicate_keys(tmp_path):
    from ysg.plan.allowances import AllowanceError, load_allowances

    (tmp_path / "environments").mkdir()
    allowances = tmp_path / "environments" / "_allowances.yaml"
    allowances.write_text(BOMB)
    with pytest.raises(AllowanceError, match=r"^environments/_allowances\.yaml: line 1, column 5: an anchor"):
        load_allowances(tmp_path)
    allowances.write_text("allowances: []\nallowances:\n  - environment: prod\n")
    with pytest.raises(AllowanceError,
                       match=r"^environments/_allowances\.yaml: line 2, column 1: not valid YAML: duplicate key"):
        load_allowances(tmp_path)


def test_a_knowledge_documents_front_matter_refuses_aliases(tmp_path):
    from ysg_core.knowledge import KnowledgeError, load_documents

    (tmp_path / "doc.md").write_text(textwrap.dedent("""\
        ---
        doc_id: &id 1
        doc_type: POLICY
        doc_title: t
        region_code: EMEA
        last_reviewed: 2026-01-01
        ---
        body
    """))
    with pytest.raises(KnowledgeError, match=r"doc\.md \(front matter\): line 1, column 9: an anchor \(&id\)"):
        load_documents(tmp_path)


def test_a_hooks_embedded_yaml_refuses_aliases():
    from ysg_core.sqlcheck import SqlCheckError, _yaml

    with pytest.raises(SqlCheckError, match=r"the spec: line 1, column 4: an anchor \(&a\) is refused"):
        _yaml("a: &a [1]\nb: *a\n", "the spec")


def test_no_product_module_parses_yaml_but_through_the_guarded_loader():
    """A new reader cannot slip past the guards: PyYAML's own loaders are called only in core/ysg_core/safe_yaml.py
    (policies/checkov_launcher.py gives checkov's own parser libyaml's speed: checkov's business)."""
    call = re.compile(r"\byaml\.(safe_load|load|load_all|full_load|unsafe_load|safe_load_all)\s*\(")
    offenders = [str(path.relative_to(REPO_ROOT))
                 for folder in (*source_roots(REPO_ROOT), "app")
                 for path in (REPO_ROOT / folder).rglob("*.py")
                 if path.name not in ("safe_yaml.py", "checkov_launcher.py") and call.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert call.search((REPO_ROOT / "core" / "ysg_core" / "safe_yaml.py").read_text(encoding="utf-8"))   # the check sees a call


def test_every_shipped_yaml_loads_through_the_guarded_loader():
    from ysg_core.safe_yaml import MAX_DEPTH as max_depth, load_file

    assert max_depth == MAX_DEPTH
    shipped = sorted(Path(REPO_ROOT, "environments").glob("*.yaml")) + [REPO_ROOT / "cli/ysg/access/requirements.yaml"]
    assert all(isinstance(load_file(path), dict) for path in shipped)
