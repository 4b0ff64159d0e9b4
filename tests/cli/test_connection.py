"""Connections: secrets never come from the repository; the emulator persists under a git-ignored folder."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from ysg import connection
from ysg.connection import (ConnectionConfigError, EmulatorBusy, check_connections_file, connection_factory,
                            emulator_session, key_pair_parameters)
from ysg_core.config import REPO_ROOT

NO_ENV: dict[str, str] = {}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_a_connections_file_in_the_repository_carrying_a_password_is_refused_naming_file_and_field(configs, tmp_path):
    repo = tmp_path / "repo"
    toml = write(repo / ".snowflake" / "connections.toml", """
        [ysg_dev]
        account = "yousoundgreat-dev"
        user = "deployer"
        password = "hunter2"
    """)
    with pytest.raises(ConnectionConfigError, match=r"\.snowflake/connections\.toml: connections\.ysg_dev\.password"):
        connection_factory(configs["dev"], connection_name="ysg_dev", connections_file=toml, environ=NO_ENV,
                           repo_root=repo)


def test_the_same_file_outside_the_repository_is_the_connectors_business(configs, tmp_path):
    toml = write(tmp_path / "home" / "connections.toml", """
        [ysg_dev]
        account = "yousoundgreat-dev"
        user = "deployer"
        password = "only-on-this-laptop"
    """)
    factory = connection_factory(configs["dev"], connection_name="ysg_dev", connections_file=toml,
                                 environ=NO_ENV, repo_root=tmp_path / "repo")
    assert factory.keywords == {"connection_name": "ysg_dev", "database": "SNOWFLAKE_EXAMPLE_DEV",
                                "connections_file_path": toml, "login_timeout": connection.LOGIN_TIMEOUT_SECONDS}


def test_a_key_pair_connection_in_a_repository_file_is_accepted(tmp_path):
    repo = tmp_path / "repo"
    toml = write(repo / "connections.toml", """
        [ysg_dev]
        account = "yousoundgreat-dev"
        user = "deployer"
        authenticator = "SNOWFLAKE_JWT"
        private_key_file = "~/.snowflake/keys/deployer.p8"
    """)
    assert check_connections_file(toml, repo_root=repo) is None


def test_an_unknown_connection_name_is_refused_naming_the_file(configs, tmp_path):
    toml = write(tmp_path / "connections.toml", "[other]\naccount = 'x'\n")
    with pytest.raises(ConnectionConfigError, match="'ysg_dev' is not defined in .*connections.toml"):
        connection_factory(configs["dev"], connection_name="ysg_dev", connections_file=toml, environ=NO_ENV,
                           repo_root=tmp_path / "repo")


def test_without_any_connection_the_error_says_both_ways_to_configure_one(configs):
    with pytest.raises(ConnectionConfigError, match="YSG_CONNECTION=<name>.*SNOWFLAKE_PRIVATE_KEY_PATH"):
        connection_factory(configs["dev"], environ=NO_ENV)


def test_key_pair_variables_missing_one_name_it(tmp_path):
    with pytest.raises(ConnectionConfigError, match="SNOWFLAKE_PRIVATE_KEY_PATH is not set"):
        key_pair_parameters({"SNOWFLAKE_ACCOUNT": "org-acct", "SNOWFLAKE_USER": "deployer"}, repo_root=tmp_path)


def test_a_private_key_inside_the_repository_is_refused(tmp_path):
    repo = tmp_path / "repo"
    key = write(repo / "keys" / "deployer.p8", "-----BEGIN PRIVATE KEY-----\n")
    with pytest.raises(ConnectionConfigError, match="inside the repository"):
        key_pair_parameters({"SNOWFLAKE_ACCOUNT": "org-acct", "SNOWFLAKE_USER": "deployer",
                             "SNOWFLAKE_PRIVATE_KEY_PATH": str(key)}, repo_root=repo)


def test_key_pair_variables_give_jwt_parameters_and_no_password(tmp_path):
    key = write(tmp_path / "home" / "deployer.p8", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    params = key_pair_parameters({"SNOWFLAKE_ACCOUNT": "org-acct", "SNOWFLAKE_USER": "deployer",
                                  "SNOWFLAKE_PRIVATE_KEY_PATH": str(key), "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE": "pp",
                                  "SNOWFLAKE_ROLE": "SFE_PIPELINE_ROLE_DEV", "SNOWFLAKE_PASSWORD": "ignored"},
                                 repo_root=tmp_path / "repo")
    assert params == {"account": "org-acct", "user": "deployer", "authenticator": "SNOWFLAKE_JWT",
                      "private_key_file": str(key), "private_key_file_pwd": "pp", "role": "SFE_PIPELINE_ROLE_DEV"}


def test_the_emulator_is_refused_a_snowflake_factory_and_vice_versa(configs, tmp_path):
    with pytest.raises(ConnectionConfigError, match="emulator"):
        connection_factory(configs["local"], environ=NO_ENV)
    with pytest.raises(ConnectionConfigError, match="not the emulator"):
        with emulator_session(configs["dev"], db_path=tmp_path):
            pass


def test_the_emulator_persists_between_sessions(configs, tmp_path):
    with emulator_session(configs["local"], db_path=tmp_path) as connect:
        cursor = connect().cursor()
        cursor.execute("CREATE SCHEMA SNOWFLAKE_EXAMPLE_LOCAL.SFE_RAW_BILLING")
        cursor.execute("CREATE TABLE SNOWFLAKE_EXAMPLE_LOCAL.SFE_RAW_BILLING.KEPT (X INT)")
    with emulator_session(configs["local"], db_path=tmp_path) as connect:
        cursor = connect().cursor()
        cursor.execute("SELECT COUNT(*) FROM SNOWFLAKE_EXAMPLE_LOCAL.SFE_RAW_BILLING.KEPT")
        assert cursor.fetchone() == (0,)


def test_the_emulator_folder_is_git_ignored():
    probe = connection.EMULATOR_DIR / "SNOWFLAKE_EXAMPLE_LOCAL.db"
    result = subprocess.run(["git", "check-ignore", "-q", str(probe)], cwd=REPO_ROOT, check=False)
    assert result.returncode == 0


def test_an_emulator_held_by_another_process_is_reported_busy(configs, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from ysg_core.config import load_all
        from ysg.connection import emulator_session
        with emulator_session(load_all()["local"], db_path={str(tmp_path)!r}) as connect:
            connect()
            print("open", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"open"
        with pytest.raises(EmulatorBusy, match="in use by another process"):
            with emulator_session(configs["local"], db_path=tmp_path) as connect:
                connect()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_emulator_connections_have_a_current_schema_so_a_merge_runs(configs, tmp_path):
    # Each runner worker opens its own connection; fakesnow 0.12.1 cannot MERGE without a current schema.
    with emulator_session(configs["local"], db_path=tmp_path) as connect:
        cursor = connect().cursor()
        cursor.execute("CREATE SCHEMA SNOWFLAKE_EXAMPLE_LOCAL.SFE_SHARED_KNOWLEDGE")
        cursor.execute("CREATE TABLE SNOWFLAKE_EXAMPLE_LOCAL.SFE_SHARED_KNOWLEDGE.KB (DOC_TITLE VARCHAR)")
        fresh = connect().cursor()
        fresh.execute("MERGE INTO SNOWFLAKE_EXAMPLE_LOCAL.SFE_SHARED_KNOWLEDGE.KB AS kb USING (SELECT 'a' AS t) AS s "
                      "ON kb.DOC_TITLE = s.t WHEN NOT MATCHED THEN INSERT (DOC_TITLE) VALUES (s.t)")
        fresh.execute("SELECT DOC_TITLE FROM SNOWFLAKE_EXAMPLE_LOCAL.SFE_SHARED_KNOWLEDGE.KB")
        assert fresh.fetchall() == [("a",)]


# --- a private key or token file inside the repository, from any connections file -------------------------------

def _key_in(repo):
    return write(repo / "keys" / "deployer.p8", "-----BEGIN PRIVATE KEY-----\n")


def test_a_repository_connections_file_naming_a_repository_key_is_refused_naming_file_and_field(configs, tmp_path):
    repo = tmp_path / "repo"
    key = _key_in(repo)
    toml = write(repo / "connections.toml", f"""
        [ysg_dev]
        account = "yousoundgreat-dev"
        user = "deployer"
        authenticator = "SNOWFLAKE_JWT"
        private_key_file = "{key}"
    """)
    with pytest.raises(ConnectionConfigError, match=r"^connections\.toml: connections\.ysg_dev\.private_key_file: "
                                                    r".*/repo/keys/deployer\.p8 is inside the repository"):
        connection_factory(configs["dev"], connection_name="ysg_dev", connections_file=toml, environ=NO_ENV,
                           repo_root=repo)


def test_a_home_connections_file_naming_a_repository_key_is_refused_too(tmp_path):
    repo = tmp_path / "repo"
    toml = write(tmp_path / "home" / ".snowflake" / "connections.toml",
                 f'[ysg_dev]\nprivate_key_file = "{_key_in(repo)}"\n')
    with pytest.raises(ConnectionConfigError, match=r"home/\.snowflake/connections\.toml: connections\.ysg_dev\."
                                                    r"private_key_file: .* is inside the repository"):
        check_connections_file(toml, repo_root=repo)


def test_a_link_from_outside_into_the_repository_is_followed(tmp_path):
    repo = tmp_path / "repo"
    link = tmp_path / "home" / "deployer.p8"
    link.parent.mkdir(parents=True)
    link.symlink_to(_key_in(repo))
    toml = write(tmp_path / "home" / "connections.toml", f'[ysg_dev]\nprivate_key_file = "{link}"\n')
    with pytest.raises(ConnectionConfigError, match=r"repo/keys/deployer\.p8 is inside the repository"):
        check_connections_file(toml, repo_root=repo)


def test_a_relative_key_path_is_read_from_the_working_folder(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    _key_in(repo)
    toml = write(tmp_path / "home" / "connections.toml", '[ysg_dev]\nprivate_key_file = "keys/deployer.p8"\n')
    monkeypatch.chdir(repo)
    with pytest.raises(ConnectionConfigError, match="private_key_file: .* is inside the repository"):
        check_connections_file(toml, repo_root=repo)


def test_a_token_file_inside_the_repository_is_refused(tmp_path):
    repo = tmp_path / "repo"
    token = write(repo / ".tokens" / "oauth", "secret")
    toml = write(tmp_path / "home" / "connections.toml", f'[ysg_dev]\ntoken_file_path = "{token}"\n')
    with pytest.raises(ConnectionConfigError, match=r"connections\.ysg_dev\.token_file_path: .* inside the repository"):
        check_connections_file(toml, repo_root=repo)


@pytest.mark.parametrize("key", ["token", "private_key", "proxy_password", "oauth_client_secret"])
def test_a_repository_connections_file_holding_any_secret_is_refused(tmp_path, key):
    repo = tmp_path / "repo"
    toml = write(repo / "config" / "connections.toml", f'[ysg_dev]\naccount = "a"\n{key} = "s3cr3t"\n')
    with pytest.raises(ConnectionConfigError, match=rf"^config/connections\.toml: connections\.ysg_dev\.{key}: a secret"):
        check_connections_file(toml, repo_root=repo)


def test_every_secret_the_connector_takes_is_refused_from_the_repository():
    """Derived from the connector's own option list: a new secret option cannot be missed."""
    import re

    from snowflake.connector.connection import DEFAULT_CONFIGURATION

    secret_like = {name for name, (_, types) in DEFAULT_CONFIGURATION.items()
                   if re.search("password|passcode|secret|token|private_key", name)
                   and {str, bytes} & set(types if isinstance(types, tuple) else (types,))}
    assert secret_like - {"oauth_token_request_url"} == set(connection.SECRET_KEYS) | set(connection.SECRET_FILE_KEYS)
