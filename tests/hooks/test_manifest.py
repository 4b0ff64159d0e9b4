"""hooks/ysg_hooks/manifest.py: hooks.json, the one seam between synthesis and the runner, refused on read
when it is not what synthesis wrote."""
from __future__ import annotations

import dataclasses
import json

import pytest

from ysg_hooks.manifest import (Manifest, ManifestError, RenderedHook, Write, checksum, file_checksum, load_manifest,
                                manifest_checksum, ordered, write_manifest)


def hook(name: str, *statements: str, depends_on: tuple[str, ...] = (), role: str | None = None) -> RenderedHook:
    return RenderedHook(name=name, sql_file=f"sql/{name.replace('.', '/')}.sql", depends_on=depends_on,
                        snowflake_only=False, reason="", statements=statements or ("SELECT 1",), role=role)


def manifest(*hooks: RenderedHook) -> Manifest:
    return Manifest(environment="dev", stack="billing-dev", target="snowflake", hooks=ordered(list(hooks)),
                    role="SFE_PIPELINE_ROLE_DEV", warehouse="SFE_BILLING_WH_DEV")


def test_a_checksum_covers_the_statements_their_boundaries_and_the_hooks_own_role():
    base = checksum(["SELECT 1", "SELECT 2"])
    assert [checksum(s, r) == base for s, r in ((["SELECT 1", "SELECT 2"], None), (["SELECT 1SELECT 2"], None),
                                                (["SELECT 1", "SELECT 2"], "APP_ROLE"))] == [True, False, False]


def test_hooks_are_ordered_by_dependency_then_name_with_position_and_checksum():
    hooks = ordered([hook("s.c", depends_on=("s.b",)), hook("s.b"), hook("s.a")])
    assert [(h.order, h.name, h.checksum == checksum(h.statements)) for h in hooks] == [
        (0, "s.a", True), (1, "s.b", True), (2, "s.c", True)]


@pytest.mark.parametrize("hooks, message", [
    ([hook("s.a"), hook("s.a")], "hook 's.a' is declared twice"),
    ([hook("s.a", depends_on=("s.z",))], "hook 's.a' depends on unknown hook 's.z'"),
    ([hook("s.a", depends_on=("s.b",)), hook("s.b", depends_on=("s.a",))], "in a cycle: s.a, s.b"),
])
def test_an_order_that_cannot_be_is_refused(hooks, message):
    with pytest.raises(ManifestError, match=message):
        ordered(hooks)


def test_a_written_manifest_reads_back_the_same_and_its_checksum_is_the_files(tmp_path):
    written = manifest(hook("s.a", "SELECT 1", role="APP_ROLE"), hook("s.b", depends_on=("s.a",)))
    written = dataclasses.replace(written, hooks=(dataclasses.replace(
        written.hooks[0], creates=("DB.S.A",), writes=(Write("DB.S.T", ("INSERT",), "fills it"),)),
        *written.hooks[1:]))
    path = write_manifest(tmp_path, written)
    assert (load_manifest(tmp_path), file_checksum(path)) == (written, manifest_checksum(written))


def _edited(tmp_path, edit) -> str:
    data = json.loads(manifest(hook("s.a", "SELECT 1"), hook("s.b", depends_on=("s.a",))).to_json())
    edit(data)
    (tmp_path / "hooks.json").write_text(json.dumps(data))
    return str(tmp_path / "hooks.json")


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["hooks"][0]["statements"].__setitem__(0, "DROP TABLE T"), "does not match its checksum"),
    (lambda d: d["hooks"][0].update(statements=["SELECT 1; DROP TABLE T"],
                                    checksum=checksum(["SELECT 1; DROP TABLE T"])), "holds more than one SQL statement"),
    (lambda d: d["hooks"].reverse(), "hooks are not in dependency order"),
    (lambda d: d.update(format_version=4), "format_version 4, expected 3"),
    (lambda d: d["run_as"].update(role="x; drop"), r"run_as\.role 'x; drop' is not a valid Snowflake identifier"),
    (lambda d: d["hooks"][0].pop("statements"), "malformed hook entry"),
])
def test_a_manifest_edited_after_synthesis_is_refused_naming_the_file(tmp_path, edit, message):
    path = _edited(tmp_path, edit)
    with pytest.raises(ManifestError, match=f"^{path}: .*{message}"):
        load_manifest(path)


def test_a_missing_or_unreadable_manifest_is_refused_naming_the_file(tmp_path):
    (tmp_path / "hooks.json").write_text("{")
    with pytest.raises(ManifestError, match="no hook manifest; run `ysg synth` first"):
        load_manifest(tmp_path / "nope" / "hooks.json")
    with pytest.raises(ManifestError, match=r"hooks\.json: not valid JSON"):
        load_manifest(tmp_path)


def test_format_2_is_still_read_its_hooks_declaring_nothing(tmp_path):
    path = _edited(tmp_path, lambda d: (d.update(format_version=2),
                                        [(h.pop("creates"), h.pop("writes")) for h in d["hooks"]]))
    assert [(h.name, h.creates, h.writes) for h in load_manifest(path).hooks] == [("s.a", (), ()), ("s.b", (), ())]
