"""The account-level prerequisites of one environment (bootstrap/account_prerequisites.sql), rendered
for it: what an administrator runs once before the first deploy. Written beside each stack as
bootstrap.sql, which `ysg access` reads as a source of objects and grants."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ysg.hooks.render import render
from ysg.hooks.sqlcheck import check_statement
from ysg.paths import REPO_ROOT

if TYPE_CHECKING:
    from ysg.config import EnvironmentConfig

TEMPLATE = "bootstrap/account_prerequisites.sql"
BOOTSTRAP_FILE = "bootstrap.sql"


def bootstrap_params(config: EnvironmentConfig) -> dict[str, object]:
    names = config.names
    return {
        "agent_database": config.hooks.agent_database,
        "agent_schema": config.hooks.agent_schema,
        "deploy_role": names.account_object("SFE_TERRAFORM_DEPLOY_ROLE"),
        "agent_author_role": names.account_object("SFE_AGENT_AUTHOR_ROLE"),
        "agent_user_role": names.account_object("SFE_AGENT_USER_ROLE"),
    }


def bootstrap_sql(config: EnvironmentConfig) -> str:
    """The rendered file: every statement checked like a hook's (ysg.hooks.sqlcheck), one per paragraph."""
    statements = render((REPO_ROOT / TEMPLATE).read_text(encoding="utf-8"), bootstrap_params(config),
                        source=TEMPLATE)
    for statement in statements:
        check_statement(statement)
    header = (f"-- {config.names.stack}: account-level prerequisites, rendered from {TEMPLATE} (read it for "
              "why each is here).\n-- An administrator runs this once, before the first `cdktf deploy "
              f"{config.names.stack}`.\n\n")
    return header + "".join(f"{statement};\n\n" for statement in statements).rstrip("\n") + "\n"
