"""Connections to an environment: Snowflake through the connector's named connections or key-pair
environment variables, and the embedded emulator (fakesnow) persisted under `.local/emulator/`.

No credential is read from this repository: a connections file inside it that carries a secret is refused, and
so is a connection (in any file) or key-pair variable whose private key or token file lies inside it.
"""
from __future__ import annotations

import functools
import os
import re
import tomllib
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from ysg_core.errors import ConnectionConfigError
from ysg_core.paths import EMULATOR_DIR, REPO_ROOT, emulator_dir  # noqa: F401  (EMULATOR_DIR re-exported)

if TYPE_CHECKING:   # the environment model loads pydantic; `ysg`'s parser imports this module
    from ysg_core.config import EnvironmentConfig

CONNECTION_ENV = "YSG_CONNECTION"            # a connection name in connections.toml
KEY_PAIR_ENV = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PRIVATE_KEY_PATH")
# Keys of a connection that are secrets; none may come from a file of this repository.
SECRET_KEYS = ("password", "passcode", "token", "private_key_file_pwd", "private_key_passphrase",
               "private_key", "oauth_client_secret", "proxy_password", "session_token", "master_token")
# Keys naming a file that holds a secret; wherever the connections file is, that file may not be in the repository.
SECRET_FILE_KEYS = ("private_key_file", "token_file_path")

Connect = Callable[[], Any]
# Login is given up after this long (the connector's default is 120 s, silent meanwhile): "Login requests
# will not be retried after this timeout expires" (snowflake-connector-python 4.8.1,
# src/snowflake/connector/connection.py, `login_timeout`; default `DEFAULT_AUTH_CLASS_TIMEOUT = 120`,
# src/snowflake/connector/auth/by_plugin.py). Queries are not limited: `network_timeout` is left unset.
LOGIN_TIMEOUT_SECONDS = 20


def connection_factory(config: EnvironmentConfig, *, connection_name: str | None = None,
                       connections_file: Path | None = None, environ: Mapping[str, str] | None = None,
                       repo_root: Path = REPO_ROOT) -> Connect:
    """A zero-argument callable opening a new connection to a `target: snowflake` environment.

    Chosen in this order: `connection_name` (or $YSG_CONNECTION), a connection of the connector's
    connections.toml; else key-pair variables SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER,
    SNOWFLAKE_PRIVATE_KEY_PATH [+ SNOWFLAKE_PRIVATE_KEY_PASSPHRASE, SNOWFLAKE_ROLE, SNOWFLAKE_WAREHOUSE].
    """
    import snowflake.connector

    environ = os.environ if environ is None else environ
    if config.target != "snowflake":
        raise ConnectionConfigError(f"{config.name} is a {config.target} environment: use emulator_session()")
    database = config.database.name
    name = connection_name or environ.get(CONNECTION_ENV)
    if name:
        files = [Path(connections_file)] if connections_file else _connector_files()
        for path in files:
            check_connections_file(path, repo_root=repo_root)
        if not any(name in _connections_in(path) for path in files if path.is_file()):
            shown = ", ".join(str(p) for p in files)
            raise ConnectionConfigError(f"connection {name!r} is not defined in {shown}")
        extra = {"connections_file_path": Path(connections_file)} if connections_file else {}
        account = next((str(_connections_in(path)[name].get("account", "")) for path in files
                        if path.is_file() and name in _connections_in(path)), "")
        return _Reporting(functools.partial(snowflake.connector.connect, connection_name=name, database=database,
                                            login_timeout=LOGIN_TIMEOUT_SECONDS, **extra),
                          account=account, via=f"connection {name!r}")
    if any(environ.get(var) for var in KEY_PAIR_ENV):
        parameters = key_pair_parameters(environ, repo_root=repo_root)
        return _Reporting(functools.partial(snowflake.connector.connect, **parameters, database=database,
                                            login_timeout=LOGIN_TIMEOUT_SECONDS),
                          account=parameters["account"], via="the SNOWFLAKE_* key-pair variables")
    raise ConnectionConfigError(
        f"no Snowflake connection configured for {config.name}: set {CONNECTION_ENV}=<name> (a connection in "
        "~/.snowflake/connections.toml, or pass --connection), or the key-pair variables "
        f"{', '.join(KEY_PAIR_ENV)} [SNOWFLAKE_PRIVATE_KEY_PASSPHRASE, SNOWFLAKE_ROLE, SNOWFLAKE_WAREHOUSE]")


class _Reporting:
    """A connect callable that says a failure to connect in one line: which account, which connection,
    and what to check. `keywords` are the connector parameters it passes (as functools.partial's)."""

    def __init__(self, connect: functools.partial, *, account: str, via: str):
        self._connect, self.account, self.via = connect, account, via
        self.keywords = connect.keywords

    def __call__(self, **session):
        from snowflake.connector.errors import Error as DriverError

        try:
            return self._connect(**session)
        except DriverError as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            as_role = f" as role {session['role']}" if session.get("role") else ""
            raise ConnectionConfigError(
                f"cannot connect to Snowflake account {self.account or '(unnamed)'}{as_role} through {self.via}: "
                f"{reason}. Check the account identifier (<organization>-<account>), the network path to it "
                "(proxy, VPN, the account's network policy), the user and key, and that the role is granted to "
                "the user") from None


def key_pair_parameters(environ: Mapping[str, str], *, repo_root: Path = REPO_ROOT) -> dict[str, Any]:
    """Connector parameters for key-pair (JWT) authentication from environment variables."""
    missing = [var for var in KEY_PAIR_ENV if not environ.get(var)]
    if missing:
        raise ConnectionConfigError(f"key-pair connection: {', '.join(missing)} is not set "
                                    f"(all of {', '.join(KEY_PAIR_ENV)} are needed)")
    key_path = Path(environ["SNOWFLAKE_PRIVATE_KEY_PATH"]).expanduser().resolve()
    if _inside(key_path, repo_root):
        raise ConnectionConfigError(f"SNOWFLAKE_PRIVATE_KEY_PATH: {key_path} is inside the repository; "
                                    "private keys never enter this repository, keep it under ~/.snowflake/")
    if not key_path.is_file():
        raise ConnectionConfigError(f"SNOWFLAKE_PRIVATE_KEY_PATH: no file at {key_path}")
    params: dict[str, Any] = {"account": environ["SNOWFLAKE_ACCOUNT"], "user": environ["SNOWFLAKE_USER"],
                              "authenticator": "SNOWFLAKE_JWT", "private_key_file": str(key_path)}
    if environ.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"):
        params["private_key_file_pwd"] = environ["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"]
    for var, key in (("SNOWFLAKE_ROLE", "role"), ("SNOWFLAKE_WAREHOUSE", "warehouse")):
        if environ.get(var):
            params[key] = environ[var]
    return params


def check_connections_file(path: Path, *, repo_root: Path = REPO_ROOT) -> None:
    """Refuse, naming the file and field: a connections file inside the repository that carries a secret,
    and a connection in any file whose key or token file lies inside the repository (symlinks resolved)."""
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        return
    inside = _inside(path, repo_root)
    shown = path.relative_to(Path(repo_root).resolve()) if inside else path
    for connection, values in _connections_in(path).items():
        for key in SECRET_KEYS if inside else ():
            if key in values:
                raise ConnectionConfigError(
                    f"{shown}: connections.{connection}.{key}: a secret in a file of this repository is refused; "
                    "move the connection to ~/.snowflake/connections.toml and use key-pair authentication")
        for key in SECRET_FILE_KEYS:
            value = values.get(key)
            if isinstance(value, str) and value.strip() and _inside(_as_read(value), repo_root):
                raise ConnectionConfigError(
                    f"{shown}: connections.{connection}.{key}: {_as_read(value)} is inside the repository; "
                    "private keys and tokens never enter it: keep the file under ~/.snowflake/")


def _as_read(value: str) -> Path:
    """A file path as the connector opens it: `~` expanded, relative to the working folder, links followed."""
    return Path(value).expanduser().resolve()


def _connections_in(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConnectionConfigError(f"{path}: not valid TOML ({exc})") from None
    if Path(path).name == "config.toml":    # the connector also reads [connections.<name>] from config.toml
        data = data.get("connections", {})
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def _connector_files() -> list[Path]:
    """The files the connector reads named connections from (it honours SNOWFLAKE_HOME)."""
    from snowflake.connector.constants import CONFIG_FILE, CONNECTIONS_FILE

    return [Path(CONNECTIONS_FILE), Path(CONFIG_FILE)]


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
        return True
    except ValueError:
        return False


class EmulatorBusy(ConnectionConfigError):
    """Another process has the emulator's database files open (DuckDB allows one writer process)."""


@contextmanager
def emulator_session(config: EnvironmentConfig, db_path: Path | None = None) -> Iterator[Connect]:
    """Within the block, a connect callable for the emulator persisted in `db_path`, else
    $YSG_EMULATOR_DIR, else `.local/emulator/` (the folder `ysg.emulator` and the app use).

    Uses `fakesnow.patch(db_path=...)`: each connection is its own DuckDB cursor on one shared
    in-process database, which is safe to use from one thread per connection.
    """
    import duckdb

    from ysg.emulator import open_emulator   # lazy: sqlglot; `ysg`'s parser imports this module (ysg/cli.py)

    if config.target != "emulator":
        raise ConnectionConfigError(f"{config.name} is a {config.target} environment, not the emulator")
    db_path = emulator_dir(db_path)
    db_path.mkdir(parents=True, exist_ok=True)
    database = config.database.name

    with open_emulator(db_path, database) as open_connection:

        def connect(**session):
            try:
                return open_connection(**session)
            except duckdb.IOException as exc:
                holder = re.search(r"PID (\d+)", str(exc))
                raise EmulatorBusy(f"the emulator at {db_path} is in use by another process"
                                   f"{f' (pid {holder.group(1)})' if holder else ''}: wait for it to finish, or stop "
                                   "it and run again (`make app` steps aside for `make up` by itself)") from None

        yield connect


@contextmanager
def environment_connection(config: EnvironmentConfig, *, connection_name: str | None = None) -> Iterator[Connect]:
    """A connect callable for any environment: the emulator for `target: emulator`, else Snowflake."""
    if config.target == "emulator":
        with emulator_session(config) as connect:
            yield connect
    else:
        yield connection_factory(config, connection_name=connection_name)
