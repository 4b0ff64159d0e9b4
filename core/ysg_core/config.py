"""Environment configuration: one YAML file per environment, layered over `_defaults.yaml`, validated
by a typed model that refuses unknown keys, and errors that name the file and the field at fault."""
from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Any, Callable, Literal, Union

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, StrictInt, ValidationError,
                      field_validator, model_validator)

from ysg_core import naming, network_allowlist
from ysg_core.errors import ConfigError, InputFileError, field_path  # noqa: F401  (apart, so the CLI starts without pydantic)
from ysg_core.paths import ENVIRONMENTS_DIR, REPO_ROOT, environment_files  # noqa: F401  (re-exported)
from ysg_core.pem import PemError, single_block
from ysg_core.reserved_words import is_reserved
from ysg_core.safe_yaml import load_file, read_text

DEFAULTS_FILE = "_defaults.yaml"
# `ysg up`, the app and the tests run the embedded environment from this file; without it they cannot.
REQUIRED_ENVIRONMENTS = ("local",)


def _ident(value: str) -> str:
    naming.identifier(value)
    if is_reserved(value):
        raise ValueError(f"{value!r} is a keyword Snowflake reserves or limits "
                         "(https://docs.snowflake.com/en/sql-reference/reserved-keywords): choose another name")
    # Legal in an unquoted name, but configured names are rendered into hook SQL, some inside $$-quoted
    # bodies that a '$' could end (core/ysg_core/render.py refuses it there): refuse it here, where it is written.
    if "$" in value:
        raise ValueError(f"{value!r}: '$' is refused in configured names (it could end a $$-quoted hook body)")
    return value


Identifier = Annotated[str, AfterValidator(_ident)]
WarehouseSize = Literal["XSMALL", "SMALL", "MEDIUM", "LARGE", "XLARGE", "XXLARGE", "XXXLARGE",
                        "X4LARGE", "X5LARGE", "X6LARGE"]


def _https(value: HttpUrl) -> HttpUrl:
    if value.scheme != "https":
        raise ValueError(f"expected an https:// URL, got {str(value)!r}")
    return value


HttpsUrl = Annotated[HttpUrl, AfterValidator(_https)]


def _cidr(value: str) -> str:
    # IPv4 only: the stack makes IPV4 network rules (the provider's types are IPV4, AWSVPCEID, AZURELINKID
    # and HOST_PORT: docs/resources/network_rule.md:43 at v2.11.0).
    try:
        network = ipaddress.IPv4Network(str(value), strict=True)
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block ({exc})") from None
    problem = network_allowlist.too_open([network])
    if problem:
        raise ValueError(f"{value!r} {problem}")
    return str(network)


Cidr = Annotated[str, AfterValidator(_cidr)]


def whole_number(*, le: int, **lower: int):
    """A whole number within bounds (`le` and `ge` or `gt`): not 1.0, "1", true or 1e+44 (which synthesis
    would write as such), and never beyond what its setting can mean."""
    return Annotated[StrictInt, Field(le=le, **lower)]


# A monthly quota beyond a million credits is a typo (and beyond 2**53, JavaScript, which synthesizes the
# stack, can no longer even write it exactly); raise the bound here if it ever is not.
MAX_CREDIT_QUOTA = 1_000_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Account(Strict):
    """The account locator pieces: never a credential."""

    organization_name: Identifier
    account_name: Identifier


class Database(Strict):
    name: Identifier
    data_retention_days: whole_number(ge=0, le=90)


class Warehouse(Strict):
    size: WarehouseSize = "XSMALL"
    auto_suspend_seconds: whole_number(ge=1, le=3600) = 60
    statement_timeout_seconds: whole_number(ge=1, le=172800) = 3600


class ResourceMonitors(Strict):
    warehouse_credit_quota: whole_number(ge=1, le=MAX_CREDIT_QUOTA)
    # The account monitor's quota; only with attach_account_monitor (an unattached monitor governs nothing).
    account_credit_quota: whole_number(ge=1, le=MAX_CREDIT_QUOTA) | None = None
    notify_at_percent: list[whole_number(ge=1, le=100)] = Field(default=[75, 90], min_length=1)
    suspend_immediately_at_percent: whole_number(gt=100, le=200) = 110
    # Users of the account with a verified e-mail address (CREATE RESOURCE MONITOR, NOTIFY_USERS); the
    # stack creates no people, so none by default.
    notify_users: list[Identifier] = Field(default_factory=list)
    # Only one resource monitor can govern the account, so only one environment may attach it.
    attach_account_monitor: bool = False

    @field_validator("notify_at_percent")
    @classmethod
    def _ascending(cls, values: list[int]) -> list[int]:
        if values != sorted(set(values)):
            raise ValueError(f"expected distinct percentages in ascending order, got {values}")
        return values

    @model_validator(mode="after")
    def _account_quota_with_attachment(self) -> "ResourceMonitors":
        if self.attach_account_monitor and self.account_credit_quota is None:
            raise ValueError("attach_account_monitor is true but account_credit_quota is missing")
        if not self.attach_account_monitor and self.account_credit_quota is not None:
            raise ValueError("account_credit_quota is set but attach_account_monitor is false: an account "
                             "monitor attached to nothing governs nothing; remove the quota or attach it")
        return self


class Network(Strict):
    waf_egress: list[Cidr] = Field(min_length=1)
    kafka_rest_proxy_egress: list[Cidr] = Field(min_length=1)
    corporate: list[Cidr] = Field(default_factory=list)
    attach_to_account: bool = False

    @model_validator(mode="after")
    def _union_within_limit(self) -> "Network":
        # One network policy allows all three lists: judge what they admit together (ysg_core.network_allowlist).
        problem = network_allowlist.too_open(
            ipaddress.IPv4Network(c) for c in (*self.waf_egress, *self.kafka_rest_proxy_egress, *self.corporate))
        if problem:
            raise ValueError(f"the union of waf_egress, kafka_rest_proxy_egress and corporate {problem}")
        return self


class Sso(Strict):
    enabled: bool = False
    issuer: str | None = None
    sso_url: HttpsUrl | None = None
    x509_cert_path: Path | None = None

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> "Sso":
        if self.enabled:
            missing = [f for f in ("issuer", "sso_url", "x509_cert_path") if getattr(self, f) is None]
            if missing:
                raise ValueError(f"SSO is enabled but {', '.join(missing)} is missing")
        return self


class ServiceUser(Strict):
    rsa_public_key_path: Path
    rsa_public_key_2_path: Path | None = None


class ServiceUsers(Strict):
    kafka_ingest: ServiceUser
    salesforce_sync: ServiceUser


def _qualified(value: str) -> str:
    parts = value.split(".")
    if len(parts) != 3:
        raise ValueError(f"{value!r} is not a fully qualified name DATABASE.SCHEMA.OBJECT")
    return naming.qualified(*parts)


QualifiedName = Annotated[str, AfterValidator(_qualified)]


class GitIntegration(Strict):
    origin: HttpsUrl
    allowed_prefixes: list[HttpsUrl] = Field(min_length=1)
    # Defaults to none: the repository must be public. For a private one, the DB.SCHEMA.SECRET an
    # administrator created with the token (README, "First deploy"); never the token itself.
    credentials_secret: QualifiedName | None = None


_AWS_ROLE_ARN = re.compile(r"^arn:aws:iam::\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$")


class SalesforceIntegration(Strict):
    api_aws_role_arn: str
    proxy_url: HttpsUrl
    allowed_prefixes: list[HttpsUrl] = Field(min_length=1)

    @field_validator("api_aws_role_arn")
    @classmethod
    def _arn(cls, value: str) -> str:
        if not _AWS_ROLE_ARN.fullmatch(value):
            raise ValueError(f"{value!r} is not an AWS IAM role ARN (arn:aws:iam::<12 digits>:role/...)")
        return value


_GCS_URL = re.compile(r"^gcs://[a-z0-9][a-z0-9._-]{1,61}[a-z0-9](/[A-Za-z0-9._/-]*)?/$")


class Ga4Export(Strict):
    gcs_url: str
    pubsub_subscription: str | None = None

    @field_validator("gcs_url")
    @classmethod
    def _gcs(cls, value: str) -> str:
        if not _GCS_URL.fullmatch(value):
            raise ValueError(f"{value!r} is not a gcs://bucket/path/ URL ending in '/'")
        return value


class Integrations(Strict):
    git: GitIntegration
    salesforce: SalesforceIntegration
    ga4: Ga4Export


class Kafka(Strict):
    topic: str = Field(pattern=r"^[A-Za-z0-9._-]{1,249}$")
    connector_name: str = Field(pattern=r"^[A-Za-z0-9._-]{1,128}$")


class LocalBackend(Strict):
    type: Literal["local"]
    path: str


class S3Backend(Strict):
    type: Literal["s3"]
    bucket: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    key: str = Field(min_length=1)
    region: str = Field(pattern=r"^[a-z]{2}-[a-z]+-\d$")
    use_lockfile: bool = True
    encrypt: bool = True


class RemoteBackend(Strict):
    """HCP Terraform / Terraform Enterprise."""

    type: Literal["remote"]
    organization: str = Field(min_length=1)
    workspace: str = Field(min_length=1)
    hostname: str = "app.terraform.io"


Backend = Annotated[Union[LocalBackend, S3Backend, RemoteBackend], Field(discriminator="type")]


# A cron schedule as tasks and alerts take it: "USING CRON <5 fields> <time zone>"
# (https://docs.snowflake.com/en/sql-reference/sql/create-task, https://docs.snowflake.com/sql-reference/sql/create-alert.html).
_CRON = re.compile(r"^USING CRON( [0-9A-Za-z*/,#L-]+){5} [A-Za-z_]+(/[A-Za-z_+-]+)*$")


def _cron(value: str) -> str:
    if not _CRON.fullmatch(value):
        raise ValueError(f"{value!r} is not a schedule such as 'USING CRON 0 * * * * UTC' "
                         "(USING CRON, five cron fields, a time zone)")
    return value


CronSchedule = Annotated[str, AfterValidator(_cron)]
# An e-mail address: one @, a local part and a dotted domain, nothing that could carry SQL or a list.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#%&*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$")


def _email(value: str) -> str:
    if not isinstance(value, str) or not _EMAIL.fullmatch(value):
        raise ValueError(f"{value!r} is not an e-mail address (name@domain.tld)")
    return value


Email = Annotated[str, AfterValidator(_email)]


class Alerts(Strict):
    """The cost alerts (sql/analytics/sfe_*_alert.sql) and the e-mail notification integration they
    send through. Snowflake e-mails only verified addresses of users in the account (README)."""

    email_recipients: list[Email] = Field(min_length=1)
    # Defaults to every hour, on the hour (UTC).
    schedule: CronSchedule = "USING CRON 0 * * * * UTC"

    @field_validator("email_recipients")
    @classmethod
    def _distinct(cls, values: list[str]) -> list[str]:
        lowered = [v.lower() for v in values]
        repeated = sorted({v for v in lowered if lowered.count(v) > 1})
        if repeated:
            raise ValueError(f"recipients listed twice: {', '.join(repeated)}")
        return values


_LAG = re.compile(r"^(?P<count>[1-9][0-9]{0,5}) (?P<unit>seconds?|minutes?|hours?|days?)$")
_LAG_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


class Hooks(Strict):
    """What the post-apply SQL hooks need from configuration (see sql/)."""

    # Defaults to one hour: a one-minute lag keeps the warehouse awake all day.
    search_target_lag: str = "1 hour"
    # Defaults to Snowflake Intelligence's default agent location.
    agent_database: Identifier = "SNOWFLAKE_INTELLIGENCE"
    agent_schema: Identifier = "AGENTS"
    # Defaults to 1.4: a month costing over 1.4 times the account's baseline (the average of its up to
    # three previous billing months) is an anomaly; an event, against its account's earlier months.
    anomaly_factor: float = Field(default=1.4, gt=1, le=100, allow_inf_nan=False, strict=True)
    # Defaults to every six hours (UTC): the Salesforce account sync task's schedule.
    salesforce_sync_schedule: CronSchedule = "USING CRON 0 */6 * * * UTC"

    @field_validator("search_target_lag")
    @classmethod
    def _lag(cls, value: str) -> str:
        match = _LAG.fullmatch(value)
        if not match:
            raise ValueError(f"{value!r} is not a target lag such as '1 hour' or '30 minutes' "
                             "(<count> seconds|minutes|hours|days)")
        seconds = int(match["count"]) * _LAG_SECONDS[match["unit"].rstrip("s")]
        if seconds < 60:
            raise ValueError(f"{value!r} is below Cortex Search's minimum target lag of 1 minute")
        return value


class EnvironmentConfig(Strict):
    """One environment, as its YAML file (over the shared defaults) describes it."""

    name: str
    target: Literal["snowflake", "emulator"]
    account: Account
    database: Database
    warehouse: Warehouse = Warehouse()
    resource_monitors: ResourceMonitors
    network: Network
    sso: Sso = Sso()
    service_users: ServiceUsers
    integrations: Integrations
    kafka: Kafka
    backend: Backend
    tags: dict[Identifier, Annotated[str, Field(max_length=256)]] = Field(default_factory=dict)
    hooks: Hooks = Hooks()
    alerts: Alerts

    @model_validator(mode="after")
    def _backend_matches_target(self) -> "EnvironmentConfig":
        if self.target == "emulator" and self.backend.type != "local":
            raise ValueError("an emulator environment keeps its state locally: backend.type must be 'local'")
        if self.target == "snowflake" and self.backend.type == "local":
            raise ValueError("a Snowflake environment needs a remote backend (s3 or remote), not 'local'")
        return self

    @property
    def names(self) -> naming.EnvironmentNames:
        return naming.EnvironmentNames(environment=self.name, database=self.database.name)


# --- loading ---------------------------------------------------------------------------------------

def _read_yaml(path: Path) -> dict:
    """A YAML file as a mapping, read through the guarded loader (core/ysg_core/safe_yaml.py)."""
    try:
        data = load_file(path, _display(path))
    except InputFileError as exc:
        raise ConfigError([str(exc)]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError([f"{_display(path)}: expected a mapping at the top level, got {type(data).__name__}"])
    return data


def _merge(base: dict, override: dict) -> dict:
    """Deep merge: mappings merge key by key, everything else (lists included) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _has_path(data: Any, path: tuple) -> bool:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return False
    return True


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _yaml_loc(loc: tuple, data: dict) -> tuple:
    """pydantic adds the discriminator value to the location of a union member; YAML has no such key."""
    cleaned: list = []
    node: Any = data
    for part in loc:
        if isinstance(node, dict) and part not in node and part in ("local", "s3", "remote"):
            continue
        cleaned.append(part)
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
    return tuple(cleaned)


def _check_files(config: EnvironmentConfig, source_of: Callable[[tuple], Path]) -> list[str]:
    """Referenced files must exist and hold what they claim: public keys and a certificate.
    `source_of` names the file (environment or defaults) that set a field."""
    problems = []

    def where(path: tuple) -> str:
        return _display(source_of(path))

    for user in ("kafka_ingest", "salesforce_sync"):
        for fld in ("rsa_public_key_path", "rsa_public_key_2_path"):
            rel = getattr(getattr(config.service_users, user), fld)
            if rel is None:
                continue
            path = ("service_users", user, fld)
            problem = _check_public_key(REPO_ROOT / rel)
            if problem:
                problems.append(f"{where(path)}: service_users.{user}.{fld}: {problem}")
    if config.sso.enabled and config.sso.x509_cert_path is not None:
        problem = _check_certificate(REPO_ROOT / config.sso.x509_cert_path)
        if problem:
            problems.append(f"{where(('sso', 'x509_cert_path'))}: sso.x509_cert_path: {problem}")
    return problems


# Public keys and certificates are a few KB; anything much larger is not one.
_MAX_PEM_BYTES = 64 * 1024


def _read_pem(path: Path, label: str) -> tuple[bytes | None, str | None]:
    """The DER bytes of the one `label` PEM block a file holds, or why not (missing, a private key, a second
    block, text around it): only that block may ever reach synthesized output (core/ysg_core/pem.py)."""
    if not path.is_file():
        return None, f"no file at {_display(path)}"
    try:
        return single_block(read_text(path, _display(path), max_bytes=_MAX_PEM_BYTES), label).der, None
    except InputFileError as exc:
        return None, str(exc)
    except PemError as exc:
        return None, f"{_display(path)} {exc}"


def _check_public_key(path: Path) -> str | None:
    der, problem = _read_pem(path, "PUBLIC KEY")
    if problem:
        return problem
    try:
        key = serialization.load_der_public_key(der)
    except ValueError:
        return f"{_display(path)} is not a PEM public key"
    # "This authentication method requires, as a minimum, a 2048-bit RSA key pair."
    # (https://docs.snowflake.com/en/user-guide/key-pair-auth, Overview)
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
        return f"{_display(path)} must be an RSA public key of at least 2048 bits"
    # The block must be exactly the key's own encoding: nothing but the key rides along in its base64.
    if key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) != der:
        return f"{_display(path)} is not in the key's own encoding (SubjectPublicKeyInfo); export it again"
    return None


def _check_certificate(path: Path) -> str | None:
    der, problem = _read_pem(path, "CERTIFICATE")
    if problem:
        return problem
    try:
        x509.load_der_x509_certificate(der)
    except ValueError:
        return f"{_display(path)} is not a PEM X.509 certificate"
    return None


def _check_attachments(config: EnvironmentConfig, source_of: Callable[[tuple], Path]) -> list[str]:
    """An account has one network policy and one resource monitor, which only prod attaches (README,
    "Environments"): attached from a second environment, two Terraform states would fight over them."""
    if config.name == naming.DEFAULT_ENVIRONMENT:
        return []
    problems = []
    for loc, attached, what in ((("network", "attach_to_account"), config.network.attach_to_account,
                                 "network policy"),
                                (("resource_monitors", "attach_account_monitor"),
                                 config.resource_monitors.attach_account_monitor, "resource monitor")):
        if attached:
            problems.append(f"{_display(source_of(loc))}: {field_path(loc)}: only {naming.DEFAULT_ENVIRONMENT} "
                            f"attaches the account's {what} (an account has one); set it to false")
    return problems


def _source_lookup(path: Path, own: dict, defaults_path: Path, defaults: dict) -> Callable[[tuple], Path]:
    def source_of(loc: tuple) -> Path:
        # The file that wrote the deepest existing part of this path; new keys belong to the env file.
        for depth in range(len(loc), 0, -1):
            if _has_path(own, loc[:depth]):
                return path
            if _has_path(defaults, loc[:depth]):
                return defaults_path
        return path
    return source_of


def field_source(path: Path, defaults_path: Path | None = None) -> Callable[[tuple], str]:
    """For a valid environment file: the file (as shown in messages) that set a field, by its location."""
    path = Path(path)
    defaults_path = defaults_path or path.parent / DEFAULTS_FILE
    defaults = _read_yaml(defaults_path) if defaults_path.is_file() else {}
    lookup = _source_lookup(path, _read_yaml(path), defaults_path, defaults)
    return lambda loc: _display(lookup(loc))


def load_environment(path: Path, defaults_path: Path | None = None) -> EnvironmentConfig:
    """Load and validate one environment file, layered over the defaults file beside it."""
    path = Path(path)
    defaults_path = Path(defaults_path or path.parent / DEFAULTS_FILE)
    return _load(path, defaults_path, _read_defaults(defaults_path))


def _read_defaults(defaults_path: Path) -> dict:
    return _read_yaml(defaults_path) if defaults_path.exists() else {}


def _load(path: Path, defaults_path: Path, defaults: dict) -> EnvironmentConfig:
    name = path.stem
    try:
        naming.environment_name(name)
    except naming.InvalidIdentifier as exc:
        raise ConfigError([f"{_display(path)}: {exc}"]) from None
    own = _read_yaml(path)
    if "name" in own or "name" in defaults:
        where = path if "name" in own else defaults_path
        raise ConfigError([f"{_display(where)}: name: the environment's name is its file name; remove this key"])
    data = _merge(defaults, own)
    data["name"] = name
    source_of = _source_lookup(path, own, defaults_path, defaults)
    try:
        config = EnvironmentConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = _yaml_loc(tuple(error["loc"]), data)
            given = "" if error["type"] == "missing" else f" (given {_shown(error.get('input'))})"
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{_display(source_of(loc))}: {field_path(loc)}: {message}{given}")
        raise ConfigError(problems) from None
    problems = _check_attachments(config, source_of) + _check_files(config, source_of)
    if problems:
        raise ConfigError(problems)
    return config


def _shown(value: Any, limit: int = 80) -> str:
    """A given value as an error shows it: never a whole file's worth."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def load_all(directory: Path = ENVIRONMENTS_DIR, only: list[str] | None = None) -> dict[str, EnvironmentConfig]:
    """Every environment, or the named ones; all problems of all files are reported together, each once.

    Loading every environment also checks them against each other (`cross_environment_problems`) and that
    the environments the tool itself needs are there (REQUIRED_ENVIRONMENTS).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError([f"{_display(directory)}: no such folder of environment files"])
    files = environment_files(directory)
    if only:
        known = {p.stem for p in files}
        unknown = [n for n in only if n not in known]
        if unknown:
            raise ConfigError([f"no environment file for {n!r} in {_display(directory)} "
                               f"(known: {', '.join(sorted(known))})" for n in unknown])
        files = [p for p in files if p.stem in only]
    if not files:
        raise ConfigError([f"{_display(directory)}: no environment files (*.yaml)"])
    defaults_path = directory / DEFAULTS_FILE
    defaults = _read_defaults(defaults_path)   # once: a broken defaults file is one problem, not one per file
    configs: dict[str, EnvironmentConfig] = {}
    problems: list[tuple[str, str]] = []
    for path in files:
        try:
            configs[path.stem] = _load(path, defaults_path, defaults)
        except ConfigError as exc:
            problems += [(path.stem, problem) for problem in exc.problems]
    if not only:
        problems += [("", f"{_display(directory)}: no {env}.yaml: {env} is the embedded environment `ysg up` "
                      "and the app run") for env in REQUIRED_ENVIRONMENTS if env not in {p.stem for p in files}]
        problems += [("", problem) for problem in cross_environment_problems(configs, directory)]
    if problems:
        raise ConfigError(_each_once(problems, _display(defaults_path), [p.stem for p in files]))
    return configs


def _each_once(problems: list[tuple[str, str]], defaults_shown: str, environments: list[str]) -> list[str]:
    """Each problem once, in order; one of the defaults file says which environments it breaks."""
    seen: dict[str, list[str]] = {}
    for environment, problem in problems:
        seen.setdefault(problem, []).append(environment)
    lines = []
    for problem, envs in seen.items():
        if problem.startswith(f"{defaults_shown}:") and envs != [""]:
            envs = [e for e in envs if e]
            problem += (" (in every environment)" if envs == environments
                        else f" (in {', '.join(envs)}; the others override it)")
        lines.append(problem)
    return lines


# --- across environments ----------------------------------------------------------------------------

def cross_environment_problems(configs: dict[str, EnvironmentConfig], directory: Path) -> list[str]:
    """What two environments must never share, each problem naming both files and the field.

    In one account (organization and account name), a name is one object: two environments naming it would
    each have Terraform own it, and one's apply would alter or destroy the other's. That holds for the
    database (compared as the stacks name it, ysg_core.naming.EnvironmentNames), every account-level name the
    stacks derive, and the agent's database, which hooks use in place and no stack may own. Across accounts:
    the Terraform state (one state, two environments: each plan destroys the other's objects), the Kafka
    connector's name (one Connect cluster keeps one configuration per name) and the GA4 Pub/Sub
    subscription (each message reaches one subscriber, so each environment would miss files).
    """
    claimed: dict[tuple, tuple[str, str]] = {}
    problems: list[str] = []

    def shown(env: str) -> str:
        return _display(directory / f"{env}.yaml")

    def claim(env: str, key: tuple, what: str, field: str, why: str) -> None:
        if key not in claimed:
            claimed[key] = (env, field)
            return
        other, other_field = claimed[key]
        if other != env:
            problems.append(f"{shown(env)}: {field}: {what} is also {shown(other)}'s ({other_field}); {why}")

    owned = "two environments in one account would own one object, and one's deploy would destroy the other's"
    for env, config in configs.items():
        account = (config.account.organization_name.upper(), config.account.account_name.upper())
        names = config.names
        claim(env, (account, "database", names.database), f"database {names.database}", "database.name", owned)
        for attribute, name in _account_level_names(names):
            claim(env, (account, "account object", name), f"account-level name {name}",
                  f"its {attribute} (named after the environment)", owned)
    for env, config in configs.items():
        account = (config.account.organization_name.upper(), config.account.account_name.upper())
        agent_database = config.hooks.agent_database
        owner = claimed.get((account, "database", agent_database))
        if owner is not None and owner[0] != env:
            problems.append(f"{shown(env)}: hooks.agent_database: {agent_database} is {shown(owner[0])}'s own "
                            f"database ({owner[1]}); the agents' database is shared and no stack may own it")
    for env, config in configs.items():
        claim(env, ("state",) + _state_location(config.backend), f"the Terraform state {_state_shown(config.backend)}",
              f"backend.{_state_field(config.backend)}",
              "one state for two environments: each plan would destroy the other's objects")
        claim(env, ("connector", config.kafka.connector_name), f"Kafka connector {config.kafka.connector_name}",
              "kafka.connector_name", "one Kafka Connect cluster keeps one configuration per connector name")
        subscription = config.integrations.ga4.pubsub_subscription
        if subscription:
            claim(env, ("subscription", subscription), f"Pub/Sub subscription {subscription}",
                  "integrations.ga4.pubsub_subscription",
                  "each message reaches one subscriber, so each environment would miss files")
    return problems


def _account_level_names(names: naming.EnvironmentNames) -> list[tuple[str, str]]:
    """Every account-level name the stacks derive (each property of EnvironmentNames that is a name)."""
    found = []
    for attribute in dir(type(names)):
        if attribute.startswith("_") or attribute in ("database", "environment", "suffix", "stack"):
            continue
        value = getattr(names, attribute)
        if isinstance(value, str):
            found.append((attribute, value))
        elif isinstance(value, naming.FunctionalRoles):
            found += [(f"{attribute} role", role) for role in value.all()]
    return found


def _state_location(backend) -> tuple:
    if backend.type == "s3":
        return ("s3", backend.bucket, backend.key)
    if backend.type == "local":
        return ("local", str(Path(backend.path)))
    return ("remote", backend.hostname, backend.organization, backend.workspace)


def _state_field(backend) -> str:
    return {"s3": "key", "local": "path", "remote": "workspace"}[backend.type]


def _state_shown(backend) -> str:
    if backend.type == "s3":
        return f"s3://{backend.bucket}/{backend.key}"
    if backend.type == "local":
        return backend.path
    return f"{backend.hostname}/{backend.organization}/{backend.workspace}"
