"""An account that cannot be reached: login gives up after LOGIN_TIMEOUT_SECONDS, and the failure is one
line naming the account, the connection and what to check, not the connector's traceback."""
from __future__ import annotations

import pytest
import snowflake.connector
from snowflake.connector.errors import OperationalError

from ysg import connection
from ysg.cli import main
from ysg.connection import ConnectionConfigError, connection_factory

UNREACHABLE = "250001: Could not connect to Snowflake backend after 2 attempt(s).Aborting"


@pytest.fixture
def key_pair_env(tmp_path, monkeypatch):
    key = tmp_path / "home" / "deployer.p8"
    key.parent.mkdir(parents=True)
    key.write_text("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    environ = {"SNOWFLAKE_ACCOUNT": "ysg-billing", "SNOWFLAKE_USER": "deployer", "SNOWFLAKE_PRIVATE_KEY_PATH": str(key)}
    for name in ("YSG_CONNECTION", "SNOWFLAKE_DEFAULT_CONNECTION_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    calls = []

    def unreachable(**parameters):
        calls.append(parameters)
        raise OperationalError(msg=UNREACHABLE, errno=250001)

    monkeypatch.setattr(snowflake.connector, "connect", unreachable)
    return environ, calls


def test_login_gives_up_sooner_than_the_connectors_two_minutes(configs, key_pair_env):
    environ, calls = key_pair_env
    with pytest.raises(ConnectionConfigError):
        connection_factory(configs["dev"], environ=environ)(role="SFE_PIPELINE_ROLE_DEV")
    assert calls[0]["login_timeout"] == connection.LOGIN_TIMEOUT_SECONDS < 120


def test_the_failure_names_the_account_the_connection_and_what_to_check(configs, key_pair_env):
    environ, _ = key_pair_env
    with pytest.raises(ConnectionConfigError) as raised:
        connection_factory(configs["dev"], environ=environ)(role="SFE_PIPELINE_ROLE_DEV")
    message = str(raised.value)
    assert ("\n" not in message, message.startswith(
        "cannot connect to Snowflake account ysg-billing as role SFE_PIPELINE_ROLE_DEV through the SNOWFLAKE_* "
        "key-pair variables: 250001: Could not connect"), "Check the account identifier" in message) == (
        True, True, True)


def test_a_named_connection_names_itself_and_its_account(configs, tmp_path, key_pair_env):
    toml = tmp_path / "home" / "connections.toml"
    toml.write_text('[ysg_dev]\naccount = "ysg-billing-dev"\nuser = "deployer"\n')
    with pytest.raises(ConnectionConfigError, match="account ysg-billing-dev through connection 'ysg_dev'"):
        connection_factory(configs["dev"], connection_name="ysg_dev", connections_file=toml, environ={},
                           repo_root=tmp_path / "repo")()


def test_a_command_on_an_unreachable_account_prints_one_line(key_pair_env, capsys):
    code = main(["query", "dev", "SELECT 1"])
    err = capsys.readouterr().err
    assert (code, err.count("\n"), "account ysg-billing" in err, "Traceback" in err) == (2, 1, True, False)
