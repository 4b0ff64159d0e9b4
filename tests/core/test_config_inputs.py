"""What validation must refuse, one line each naming the file and field, because synthesis, Snowflake or a
reader of cdk.tf.json would otherwise meet it: names Snowflake reserves, '$' in names, numbers that are not
whole or not sane, keys that carry more than one public key, files that are not UTF-8 or not files."""
from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from edits import edit

from ysg_core.config import ConfigError, load_all, load_environment
from ysg_core.paths import REPO_ROOT


def _append(path, text):
    path.write_text(path.read_text() + text)
    return path


# --- names ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("env,old,new,field,words", [
    ("dev", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SELECT", "database.name", "'SELECT' is a keyword Snowflake"),
    ("dev", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: TABLE", "database.name", "'TABLE' is a keyword Snowflake"),
    ("dev", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SNOW$FLAKE", "database.name", "'$' is refused in configured"),
    ("staging", "tags:\n", "hooks:\n  agent_database: AGENT$DB\ntags:\n", "hooks.agent_database",
     "'$' is refused in configured names"),
    ("staging", "tags:\n", "hooks:\n  agent_schema: VIEW\ntags:\n", "hooks.agent_schema",
     "'VIEW' is a keyword Snowflake reserves or limits"),
    ("dev", "tags:\n", "tags:\n  GROUP: finance\n", "tags.GROUP.[key]", "'GROUP' is a keyword"),
    ("prod", "  warehouse_credit_quota: 200", "  warehouse_credit_quota: 200\n  notify_users: [ORDER]",
     "resource_monitors.notify_users[0]", "'ORDER' is a keyword"),
], ids=["SELECT database", "TABLE database", "$ in database", "AGENT$DB", "VIEW schema", "GROUP tag",
        "ORDER user"])
def test_a_name_snowflake_or_synthesis_would_refuse_is_refused_at_validation(env_dir, env, old, new, field, words):
    path = edit(env_dir / f"{env}.yaml", old, new)
    with pytest.raises(ConfigError) as raised:
        load_environment(path)
    (problem,) = raised.value.problems
    assert problem.startswith(f"{path}: {field}: ") and words in problem, problem


def test_a_name_that_only_starts_with_a_keyword_is_fine(env_dir):
    path = edit(env_dir / "dev.yaml", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SELECTED_DB")
    assert load_environment(path).database.name == "SELECTED_DB"


# --- numbers --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,words", [
    ("1" + "0" * 44, "less than or equal to 1000000"),   # synthesized as 1e+44
    ("1.0e+3", "valid integer"),
    ("'20'", "valid integer"),
    ("true", "valid integer"),
], ids=["1e44 written out", "a float", "a string", "a boolean"])
def test_a_quota_must_be_a_sane_whole_number(env_dir, value, words):
    path = edit(env_dir / "dev.yaml", "  warehouse_credit_quota: 20", f"  warehouse_credit_quota: {value}")
    with pytest.raises(ConfigError) as raised:
        load_environment(path)
    (problem,) = raised.value.problems
    assert problem.startswith(f"{path}: resource_monitors.warehouse_credit_quota: ") and words in problem, problem


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.Inf"])
def test_nan_and_infinity_are_refused_where_they_are_written(env_dir, value):
    path = _append(env_dir / "dev.yaml", f"hooks:\n  anomaly_factor: {value}\n")
    line = path.read_text().splitlines().index(f"  anomaly_factor: {value}") + 1
    with pytest.raises(ConfigError) as raised:
        load_environment(path)
    assert raised.value.problems == [f"{path}: line {line}, column 19: {value!r} is not a finite number; give a number"]


# --- public keys and certificates -----------------------------------------------------------------------------

def _pem_public(key) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _rsa(bits: int = 2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _private_body(key) -> str:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return "".join(pem.strip().splitlines()[1:-1])


def _with_key(env_dir, tmp_path, text: str):
    key_file = tmp_path / "kafka_ingest.pub"
    key_file.write_text(text)
    return edit(env_dir / "dev.yaml", "environments/keys/dev/kafka_ingest.pub", str(key_file)), key_file


def _variants():
    key, other = _rsa(), _rsa()
    public, private_body = _pem_public(key), _private_body(key)
    encrypted = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(b"passphrase")).decode()
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    smuggled = __import__("base64").b64encode(der + b"\x00" * 16).decode()
    return [
        ("the issue: a private key body under another label",
         public + f"-----BEGIN RSA KEY MATERIAL-----\n{private_body}\n-----END RSA KEY MATERIAL-----\n",
         "holds 2 PEM blocks"),
        ("two public keys", public + _pem_public(other), "holds 2 PEM blocks"),
        ("a private key alone", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()).decode(), "holds a private key"),
        ("an encrypted private key after", public + encrypted, "holds a private key"),
        ("trailing text", public + "and one more thing\n", "holds text after the END line"),
        ("leading text", "key for kafka:\n" + public, "holds text before the BEGIN line"),
        ("bytes after the key inside the block", f"-----BEGIN PUBLIC KEY-----\n{smuggled}\n-----END PUBLIC KEY-----\n",
         "is not"),
        ("a private key body under the public label",
         f"-----BEGIN PUBLIC KEY-----\n{private_body}\n-----END PUBLIC KEY-----\n", "is not a PEM public key"),
        ("an EC key", _pem_public(ec.generate_private_key(ec.SECP256R1())), "must be an RSA public key"),
        ("a 1024-bit RSA key", _pem_public(_rsa(1024)), "must be an RSA public key of at least 2048 bits"),
    ]


VARIANTS = _variants()


@pytest.mark.parametrize("case,text,words", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_a_public_key_file_holds_exactly_one_rsa_public_key_and_nothing_else(env_dir, tmp_path, case, text, words):
    path, key_file = _with_key(env_dir, tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_environment(path)
    (problem,) = raised.value.problems
    assert problem.startswith(f"{path}: service_users.kafka_ingest.rsa_public_key_path: {key_file} ") \
        and words in problem, problem


def test_a_lone_public_key_passes_crlf_and_all(env_dir, tmp_path):
    path, _ = _with_key(env_dir, tmp_path, _pem_public(_rsa()).replace("\n", "\r\n"))
    assert load_environment(path).name == "dev"


@pytest.mark.parametrize("case,text,words", VARIANTS[:6], ids=[v[0] for v in VARIANTS[:6]])
def test_the_construct_puts_no_more_than_one_public_key_into_the_stack(case, text, words):
    from ysg_constructs.service_user import public_key_body

    with pytest.raises(ValueError):
        public_key_body(text)


def test_a_certificate_file_holds_exactly_one_certificate(env_dir, tmp_path):
    cert = tmp_path / "okta.pem"
    cert.write_text((REPO_ROOT / "environments/certs/okta-dev.pem").read_text() + _pem_public(_rsa()))
    path = edit(env_dir / "dev.yaml", "environments/certs/okta-dev.pem", str(cert))
    with pytest.raises(ConfigError, match=r"dev\.yaml: sso\.x509_cert_path: .*okta\.pem holds 2 PEM blocks"):
        load_environment(path)


# --- files ----------------------------------------------------------------------------------------------------

def test_an_environment_file_that_is_not_utf8_is_refused_naming_file_and_line(env_dir):
    path = env_dir / "dev.yaml"
    path.write_bytes(path.read_bytes() + b"# caf\xe9\n")
    with pytest.raises(ConfigError) as raised:
        load_all(env_dir)
    (problem,) = raised.value.problems
    last_line = len(path.read_bytes().splitlines())
    assert problem.startswith(f"{path}: line {last_line}: not UTF-8 text (byte 0xe9"), problem


def test_a_folder_named_like_an_environment_file_is_refused(env_dir):
    (env_dir / "qa.yaml").mkdir()
    with pytest.raises(ConfigError) as raised:
        load_all(env_dir)
    assert raised.value.problems == [f"{env_dir / 'qa.yaml'}: is a folder, not a file"]


def test_deep_nesting_is_refused_not_a_recursion_error(env_dir):
    (env_dir / "qa.yaml").write_text("a: " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(ConfigError, match=r"qa\.yaml: line 1, column 35: nested deeper than 32 levels"):
        load_all(env_dir)


def test_the_embedded_environment_is_required(env_dir):
    (env_dir / "local.yaml").unlink()
    with pytest.raises(ConfigError) as raised:
        load_all(env_dir)
    assert raised.value.problems == [f"{env_dir}: no local.yaml: local is the embedded environment `ysg up` and "
                                     "the app run"]


def test_a_problem_of_the_defaults_is_reported_once_naming_the_environments_it_breaks(env_dir):
    edit(env_dir / "_defaults.yaml", "  size: XSMALL", "  size: TINY")
    with pytest.raises(ConfigError) as raised:
        load_all(env_dir)
    assert raised.value.problems == [
        f"{env_dir / '_defaults.yaml'}: warehouse.size: Input should be 'XSMALL', 'SMALL', 'MEDIUM', 'LARGE', "
        "'XLARGE', 'XXLARGE', 'XXXLARGE', 'X4LARGE', 'X5LARGE' or 'X6LARGE' (given 'TINY') "
        "(in dev, local, staging; the others override it)"]


def test_a_defaults_file_that_is_not_yaml_is_one_problem(env_dir):
    (env_dir / "_defaults.yaml").write_text("account: [unclosed\n")
    with pytest.raises(ConfigError) as raised:
        load_all(env_dir)
    assert len(raised.value.problems) == 1 and "_defaults.yaml: line 2, column 1: not valid YAML" in str(raised.value)
