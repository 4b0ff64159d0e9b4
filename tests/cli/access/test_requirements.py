"""cli/ysg/access/requirements.yaml: every requirement cited, the file refused when malformed; and the
provider facts the stack reader relies on, checked against the provider's own source."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ysg.access.requirements import REQUIREMENTS_FILE, RequirementsError, load_requirements
from ysg.access.stack import PLURALS

PROVIDER = Path("/work/provider-v2.11.0")


def test_every_requirement_cites_a_page_and_every_unquoted_citation_says_why():
    requirements = load_requirements()
    for kinds in (requirements.statements, requirements.consumers):
        for kind in kinds.values():
            for requirement in kind.requirements:
                assert requirement.cites and all(c.url.startswith("https://") for c in requirement.cites)
    for citation in requirements.citations.values():
        assert citation.quote or citation.note, citation.id


def test_snowflake_pages_are_cited_only_from_snowflake_s_own_sites():
    urls = {c.url for c in load_requirements().citations.values()}
    allowed = ("https://docs.snowflake.com/", "https://docs.snowflake.net/",
               "https://github.com/snowflakedb/terraform-provider-snowflake/")
    assert [u for u in urls if not u.startswith(allowed)] == []


@pytest.mark.parametrize("change, message", [
    (lambda d: d["statements"]["CREATE VIEW"]["requirements"][0].update(need="CREATE VIEW on nowhere"),
     "unknown reference 'nowhere'"),
    (lambda d: d["statements"]["CREATE VIEW"]["requirements"][0].update(when="sometimes"),
     "unknown condition 'sometimes'"),
    (lambda d: d["statements"]["CREATE VIEW"]["requirements"][0].update(cite=["made-up"]),
     "unknown citations ['made-up']"),
    (lambda d: d["citations"]["dt-create"].pop("quote"), "a quoted citation has a quote"),
])
def test_a_malformed_requirements_file_is_refused_naming_the_field(tmp_path, change, message):
    data = yaml.safe_load(REQUIREMENTS_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "requirements.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RequirementsError, match=re.escape(message)):
        load_requirements(path)


@pytest.mark.skipif(not PROVIDER.is_dir(), reason=f"the provider's source is not checked out at {PROVIDER}")
def test_the_plural_object_types_are_the_providers():
    # pkg/sdk/object_types.go at v2.11.0: the ObjectType constants and objectTypeSingularToPluralMap.
    source = (PROVIDER / "pkg/sdk/object_types.go").read_text(encoding="utf-8")
    constants = dict(re.findall(r'^\s*((?:Plural)?ObjectType\w+)\s+(?:Plural)?ObjectType\s*=\s*"([^"]+)"',
                                source, re.M))
    pairs = re.findall(r"^\s*(ObjectType\w+):\s*(PluralObjectType\w+),", source, re.M)
    provider = {constants[plural]: constants[singular] for singular, plural in pairs}
    assert {plural: provider.get(plural) for plural in PLURALS} == PLURALS


@pytest.mark.skipif(not PROVIDER.is_dir(), reason=f"the provider's source is not checked out at {PROVIDER}")
def test_the_grant_attributes_read_are_the_providers():
    for resource, fields in {
        "grant_privileges_to_account_role": ("account_role_name", "privileges", "all_privileges", "with_grant_option",
                                             "on_account", "on_account_object", "on_schema", "on_schema_object"),
        "grant_privileges_to_database_role": ("database_role_name", "on_database", "on_schema", "on_schema_object"),
        "grant_account_role": ("role_name", "user_name", "parent_role_name"),
        "grant_database_role": ("database_role_name", "parent_role_name", "parent_database_role_name"),
        "grant_ownership": ("account_role_name", "database_role_name", "on"),
    }.items():
        source = (PROVIDER / f"pkg/resources/{resource}.go").read_text(encoding="utf-8")
        declared = set(re.findall(r'^\t"([a-z_]+)": \{', source, re.M))
        assert set(fields) <= declared, resource
