"""Environments checked against each other before anything is written: no two share a database, a Terraform
state, a connector or a subscription, and only prod attaches the account's network policy and monitor. Each
error names both files and the field."""
from __future__ import annotations

import subprocess
import sys

import pytest
from edits import edit

from ysg_core.config import ConfigError, load_all
from ysg_core.paths import REPO_ROOT


def _append(path, text):
    path.write_text(path.read_text() + text)


def _problems(env_dir) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_all(env_dir)
    return raised.value.problems


@pytest.mark.parametrize("env,old,new,field,other,other_field", [
    ("dev", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SNOWFLAKE_EXAMPLE", "database.name", "prod", "database.name"),
    ("staging", "  name: SNOWFLAKE_EXAMPLE_STAGING", "  name: SNOWFLAKE_EXAMPLE_DEV", "database.name", "dev",
     "database.name"),
    ("staging", "  key: billing/staging/terraform.tfstate", "  key: billing/prod/terraform.tfstate", "backend.key",
     "prod", "backend.key"),
    ("dev", "  connector_name: ysg-billing-usage-dev", "  connector_name: ysg-billing-usage-prod",
     "kafka.connector_name", "prod", "kafka.connector_name"),
    ("staging", "ga4-export-staging\nkafka", "ga4-export-prod\nkafka", "integrations.ga4.pubsub_subscription",
     "prod", "integrations.ga4.pubsub_subscription"),
], ids=["dev takes prod's database", "staging takes dev's database", "staging uses prod's state",
        "dev reuses prod's connector", "staging reads prod's subscription"])
def test_two_environments_sharing_an_object_are_refused_naming_both(env_dir, env, old, new, field, other,
                                                                     other_field):
    edit(env_dir / f"{env}.yaml", old, new)
    (problem,) = _problems(env_dir)
    # Files load in name order; the later one is named first, as claiming what the earlier one holds.
    (earlier, earlier_field), (later, later_field) = sorted([(env, field), (other, other_field)])
    assert problem.startswith(f"{env_dir / later}.yaml: {later_field}: "), problem
    assert f" is also {env_dir / earlier}.yaml's ({earlier_field}); " in problem, problem


def test_databases_of_the_same_name_in_different_accounts_do_not_collide(env_dir):
    edit(env_dir / "dev.yaml", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SNOWFLAKE_EXAMPLE")
    _append(env_dir / "dev.yaml", "account:\n  organization_name: YSG\n  account_name: BILLING_DEV\n")
    assert load_all(env_dir)["dev"].database.name == "SNOWFLAKE_EXAMPLE"


def test_the_state_is_one_per_environment_across_accounts_too(env_dir):
    edit(env_dir / "dev.yaml", "  key: billing/dev/terraform.tfstate", "  key: billing/prod/terraform.tfstate")
    _append(env_dir / "dev.yaml", "account:\n  organization_name: YSG\n  account_name: BILLING_DEV\n")
    (problem,) = _problems(env_dir)
    assert problem.startswith(f"{env_dir / 'prod.yaml'}: backend.key: the Terraform state "
                              f"s3://ysg-terraform-state/billing/prod/terraform.tfstate is also "
                              f"{env_dir / 'dev.yaml'}'s (backend.key)"), problem


def test_no_environment_may_own_the_shared_agents_database(env_dir):
    edit(env_dir / "dev.yaml", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SNOWFLAKE_INTELLIGENCE")
    problems = _problems(env_dir)
    assert f"{env_dir / 'prod.yaml'}: hooks.agent_database: SNOWFLAKE_INTELLIGENCE is {env_dir / 'dev.yaml'}'s own " \
           "database (database.name); the agents' database is shared and no stack may own it" in problems, problems


@pytest.mark.parametrize("env,old,new,field", [
    ("dev", "  warehouse_credit_quota: 20",
     "  warehouse_credit_quota: 20\n  attach_account_monitor: true\n  account_credit_quota: 10",
     "resource_monitors.attach_account_monitor"),
    ("staging", "target: snowflake", "target: snowflake\nnetwork:\n  attach_to_account: true",
     "network.attach_to_account"),
    ("local", "target: emulator", "target: emulator\nnetwork:\n  attach_to_account: true",
     "network.attach_to_account"),
], ids=["dev attaches the account monitor", "staging attaches the account network policy",
        "local attaches the network policy"])
def test_only_prod_attaches_the_accounts_network_policy_and_monitor(env_dir, env, old, new, field):
    path = edit(env_dir / f"{env}.yaml", old, new)
    (problem,) = _problems(env_dir)
    assert problem.startswith(f"{path}: {field}: only prod attaches the account's "), problem


def test_an_attachment_set_in_the_defaults_names_the_defaults_file_once(env_dir):
    edit(env_dir / "_defaults.yaml", "  attach_to_account: false", "  attach_to_account: true")
    assert _problems(env_dir) == [
        f"{env_dir / '_defaults.yaml'}: network.attach_to_account: only prod attaches the account's network "
        "policy (an account has one); set it to false (in dev, local, staging; the others override it)"]


def test_validate_refuses_a_collision_and_writes_nothing(env_dir, tmp_path):
    edit(env_dir / "staging.yaml", "  key: billing/staging/terraform.tfstate", "  key: billing/prod/terraform.tfstate")
    result = subprocess.run([sys.executable, "-m", "ysg.cli", "validate", "--environments-dir", str(env_dir)],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("configuration error, nothing written: ") and "backend.key" in result.stderr


def test_synthesis_refuses_a_collision_before_writing(env_dir, tmp_path):
    from ysg_stacks.app import synthesize

    edit(env_dir / "dev.yaml", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SNOWFLAKE_EXAMPLE")
    with pytest.raises(ConfigError, match="database.name"):
        synthesize(tmp_path / "out", env_dir)
    assert not (tmp_path / "out").exists()


def test_account_level_names_are_compared_as_the_stacks_would_make_them(env_dir, monkeypatch):
    """Today every environment but prod suffixes its account-level names; should naming ever make two
    alike (here: no suffix at all), the check compares what the stacks would create, not the files."""
    from ysg_core import naming

    monkeypatch.setattr(naming.EnvironmentNames, "suffix", property(lambda self: ""))
    problems = _problems(env_dir)
    assert f"{env_dir / 'local.yaml'}: its warehouse (named after the environment): account-level name " \
           f"SFE_BILLING_WH is also {env_dir / 'dev.yaml'}'s (its warehouse (named after the environment)); " \
           "two environments in one account would own one object, and one's deploy would destroy the " \
           "other's" in problems, problems
