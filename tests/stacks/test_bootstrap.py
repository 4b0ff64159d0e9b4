"""stacks/ysg_stacks/bootstrap.py: the administrator's prerequisites rendered beside every stack, every
statement checked, and read by the access model as "bootstrap (admin, once)"."""
from __future__ import annotations

from ysg.access.check import Checker, load_bootstrap
from ysg.access.model import AccessModel, Principal, Securable, role
from ysg.access.requirements import load_requirements
from ysg.access.stack import TerraformStack
from ysg_core.render import split_statements
from ysg_core.sqlcheck import check_statement


def test_every_stack_has_its_bootstrap_with_its_own_roles(synthesized, configs):
    for env, folder in synthesized.items():
        text = (folder / "bootstrap.sql").read_text(encoding="utf-8")
        suffix = configs[env].names.suffix
        assert f"CREATE ROLE IF NOT EXISTS SFE_TERRAFORM_DEPLOY_ROLE{suffix}\n" in text
        assert ("GRANT CREATE AGENT ON SCHEMA SNOWFLAKE_INTELLIGENCE.AGENTS TO ROLE "
                f"SFE_AGENT_AUTHOR_ROLE{suffix};") in text
        for statement in split_statements(text):
            check_statement(statement)


def test_the_access_model_reads_the_bootstrap_as_an_administrator_s_once(synthesized):
    checker = Checker(AccessModel(), load_requirements(), TerraformStack({}))
    summary = load_bootstrap(checker, synthesized["prod"] / "bootstrap.sql")
    model = checker.model
    agents = Securable("SCHEMA", ("SNOWFLAKE_INTELLIGENCE", "AGENTS"))
    assert "statements" in summary and model.objects[agents].owner == role("SYSADMIN")
    [holding] = model.holdings(role("SFE_AGENT_AUTHOR_ROLE"), "CREATE AGENT", agents)
    assert holding.describe().startswith("bootstrap.sql line ") and "(bootstrap: admin, once)" in holding.describe()
    [cortex] = model.membership(role("SFE_AGENT_USER_ROLE"), Principal("DATABASE ROLE", ("SNOWFLAKE", "CORTEX_USER")))
    assert cortex.source.origin == "bootstrap"
