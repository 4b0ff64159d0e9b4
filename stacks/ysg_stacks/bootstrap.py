"""The account-level prerequisites of one environment (bootstrap/account_prerequisites.sql, and for the
environment that governs the account bootstrap/account_monitor.sql), rendered for it: what an
administrator runs once before the first deploy. Written beside each stack as bootstrap.sql, which
`ysg access` reads as a source of objects and grants."""
from __future__ import annotations

from ysg_core.config import EnvironmentConfig
from ysg_core.paths import REPO_ROOT
from ysg_core.render import render
from ysg_core.sqlcheck import check_statement

TEMPLATE = "bootstrap/account_prerequisites.sql"
ACCOUNT_MONITOR_TEMPLATE = "bootstrap/account_monitor.sql"
BOOTSTRAP_FILE = "bootstrap.sql"


def bootstrap_params(config: EnvironmentConfig) -> dict[str, object]:
    names, monitors, warehouse = config.names, config.resource_monitors, config.warehouse
    return {
        "agent_database": config.hooks.agent_database,
        "agent_schema": config.hooks.agent_schema,
        "deploy_role": names.deploy_role,
        "deploy_user": names.deploy_user,
        "agent_author_role": names.agent_author_role,
        "agent_user_role": names.agent_user_role,
        "usage_reader_role": names.usage_reader_role,
        "warehouse": names.warehouse,
        "warehouse_size": warehouse.size,
        "auto_suspend_seconds": warehouse.auto_suspend_seconds,
        "warehouse_monitor": names.warehouse_monitor,
        "warehouse_credit_quota": monitors.warehouse_credit_quota,
        "suspend_immediately_at_percent": monitors.suspend_immediately_at_percent,
    }


def account_monitor_params(config: EnvironmentConfig) -> dict[str, object]:
    monitors = config.resource_monitors
    return {"account_monitor": config.names.account_monitor, "account_credit_quota": monitors.account_credit_quota,
            "suspend_immediately_at_percent": monitors.suspend_immediately_at_percent,
            "deploy_role": config.names.deploy_role}


def bootstrap_statements(config: EnvironmentConfig) -> tuple[str, ...]:
    """Every statement, in order, each checked like a hook's (ysg_core.sqlcheck)."""
    templates = [(TEMPLATE, bootstrap_params(config))]
    if config.resource_monitors.attach_account_monitor:
        templates.append((ACCOUNT_MONITOR_TEMPLATE, account_monitor_params(config)))
    statements = tuple(statement for template, params in templates
                       for statement in render((REPO_ROOT / template).read_text(encoding="utf-8"), params,
                                               source=template))
    for statement in statements:
        check_statement(statement)
    return statements


def bootstrap_sql(config: EnvironmentConfig) -> str:
    """The rendered file, one statement per paragraph."""
    header = (f"-- {config.names.stack}: account-level prerequisites, rendered from {TEMPLATE} (read it for "
              "why each is here).\n-- An administrator runs this once, before the first `cdktf deploy "
              f"{config.names.stack}`, and again when a value it renders changes.\n\n")
    return header + "".join(f"{statement};\n\n" for statement in bootstrap_statements(config)).rstrip("\n") + "\n"
