"""Environment files: the shipped ones validate; malformed ones are refused naming the file and field."""
from __future__ import annotations

import pytest
import yaml
from edits import edit

from ysg_core.config import DEFAULTS_FILE, ENVIRONMENTS_DIR, ConfigError, load_all, load_environment


def test_shipped_environments_validate():
    configs = load_all()
    assert sorted(configs) == ["dev", "local", "prod", "staging"]
    assert configs["local"].target == "emulator" and configs["local"].backend.type == "local"
    assert {configs[e].backend.type for e in ("dev", "staging", "prod")} == {"s3"}


def test_layering_environment_over_defaults():
    prod = load_all()["prod"]
    assert prod.warehouse.size == "SMALL"                 # prod.yaml overrides
    assert prod.warehouse.auto_suspend_seconds == 60      # from _defaults.yaml
    assert prod.network.attach_to_account is True         # nested override keeps sibling defaults:
    assert prod.network.waf_egress == ["203.0.113.0/28"]


# (file, text to replace, replacement, field path expected in the message, words expected in the message)
MALFORMED = [
    ("dev", "target: snowflake", "target: snowflake\nwarehous:\n  size: SMALL", "warehous", "Extra inputs"),
    ("prod", "  size: SMALL", "  size: SMALL\n  sise: LARGE", "warehouse.sise", "Extra inputs"),
    ("prod", "  size: SMALL", "  size: HUGE", "warehouse.size", "XSMALL"),
    ("dev", "  warehouse_credit_quota: 20", "  warehouse_credit_quota: -5", "resource_monitors.warehouse_credit_quota", "greater than or equal to 1"),
    ("prod", "  account_credit_quota: 400", "  account_credit_quota: -1", "resource_monitors.account_credit_quota", "greater than or equal to 1"),
    ("staging", "  warehouse_credit_quota: 50", "  warehouse_credit_quota: 50\n  account_credit_quota: 100", "resource_monitors", "attached to nothing"),
    ("prod", "  account_credit_quota: 400\n", "", "resource_monitors", "account_credit_quota is missing"),
    ("prod", "network:\n  attach_to_account: true", "network:\n  attach_to_account: true\n  corporate: [10.0.0.1/8]", "network.corporate[0]", "host bits"),
    ("prod", "network:\n  attach_to_account: true", "network:\n  attach_to_account: true\n  waf_egress: [0.0.0.0/0]", "network.waf_egress[0]", "admits every address"),
    ("prod", "network:\n  attach_to_account: true", "network:\n  attach_to_account: true\n  kafka_rest_proxy_egress: [not-a-cidr]", "network.kafka_rest_proxy_egress[0]", "not an IPv4 CIDR"),
    ("dev", "  name: SNOWFLAKE_EXAMPLE_DEV\n", "", "database.name", "Field required"),
    ("dev", "  name: SNOWFLAKE_EXAMPLE_DEV", "  name: SNOWFLAKE_EXAMPLE_DEV; DROP DATABASE PROD", "database.name", "not a valid Snowflake identifier"),
    ("staging", "  issuer: http://www.okta.com/exk1staging0000000001\n", "", "sso", "issuer is missing"),
    ("prod", "  sso_url: https://", "  sso_url: http://", "sso.sso_url", "https://"),
    ("dev", "backend:\n  type: s3", "backend:\n  type: local\n  path: x.tfstate\n  typo: s3", "backend.typo", "Extra inputs"),
    ("dev", "  bucket: ysg-terraform-state\n", "", "backend.bucket", "Field required"),
    ("local", "target: emulator", "target: snowflake", "(top level)", "remote backend"),
    ("dev", "  data_retention_days: 1", "  data_retention_days: 400", "database.data_retention_days", "less than or equal to 90"),
    ("prod", "  attach_account_monitor: true", "  attach_account_monitor: true\n  notify_at_percent: [90, 150]", "resource_monitors.notify_at_percent[1]", "less than or equal to 100"),
    ("dev", "  warehouse_credit_quota: 20", "  warehouse_credit_quota: 20\n  suspend_immediately_at_percent: 100", "resource_monitors.suspend_immediately_at_percent", "greater than 100"),
    ("prod", "  size: SMALL", "  size: SMALL\n  auto_suspend_seconds: 0", "warehouse.auto_suspend_seconds", "greater than or equal to 1"),
    ("dev", "  gcs_url: gcs://ysg-ga4-export-dev/billing/", "  gcs_url: gcs://*", "integrations.ga4.gcs_url", "not a gcs://"),
    ("dev", "  kafka_ingest: {rsa_public_key_path: environments/keys/dev/kafka_ingest.pub}",
     "  kafka_ingest: {rsa_public_key_path: environments/keys/dev/missing.pub}",
     "service_users.kafka_ingest.rsa_public_key_path", "no file at"),
]


@pytest.mark.parametrize("env,old,new,field,words", MALFORMED, ids=[f"{m[0]}:{m[3]}" for m in MALFORMED])
def test_malformed_file_is_rejected_naming_file_and_field(env_dir, env, old, new, field, words):
    path = edit(env_dir / f"{env}.yaml", old, new)
    with pytest.raises(ConfigError) as raised:
        load_environment(path)
    message = str(raised.value)
    assert f"{path}: {field}:" in message, message
    assert words in message, message


def test_duplicate_key_is_rejected_with_its_line(env_dir):
    path = edit(env_dir / "prod.yaml", "  size: SMALL", "  size: SMALL\n  size: MEDIUM")
    with pytest.raises(ConfigError, match=r"prod\.yaml: line 8, column 3: not valid YAML: duplicate key 'size'"):
        load_environment(path)


def test_not_yaml_is_rejected(env_dir):
    path = env_dir / "dev.yaml"
    path.write_text("database: [unclosed\n")
    with pytest.raises(ConfigError, match=r"dev\.yaml: line 2, column 1: not valid YAML"):
        load_environment(path)


def test_a_problem_in_the_defaults_names_the_defaults_file(env_dir):
    edit(env_dir / "_defaults.yaml", "  size: XSMALL", "  size: TINY")
    with pytest.raises(ConfigError) as raised:
        load_environment(env_dir / "dev.yaml")
    assert f"{env_dir / '_defaults.yaml'}: warehouse.size:" in str(raised.value)


def test_private_key_at_a_public_key_path_is_refused(env_dir, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = tmp_path / "oops.pub"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    path = edit(env_dir / "dev.yaml", "environments/keys/dev/kafka_ingest.pub", str(private))
    with pytest.raises(ConfigError, match=r"service_users\.kafka_ingest\.rsa_public_key_path: .*holds a private key"):
        load_environment(path)


def test_every_problem_of_every_file_is_reported_together(env_dir):
    edit(env_dir / "prod.yaml", "  size: SMALL", "  size: HUGE")
    edit(env_dir / "dev.yaml", "  warehouse_credit_quota: 20", "  warehouse_credit_quota: -5")
    with pytest.raises(ConfigError) as raised:
        load_all(env_dir)
    assert {p.split(":")[0].rsplit("/", 1)[-1] for p in raised.value.problems} == {"prod.yaml", "dev.yaml"}


def test_the_name_comes_from_the_file_not_a_key(env_dir):
    path = edit(env_dir / "dev.yaml", "target: snowflake", "target: snowflake\nname: prod")
    with pytest.raises(ConfigError, match=r"dev\.yaml: name: the environment's name is its file name"):
        load_environment(path)


def test_the_shared_defaults_name_no_people_to_notify():
    """NOTIFY_USERS must name existing users with verified e-mail addresses (CREATE RESOURCE MONITOR);
    the stacks create no people, and defaults apply to every environment, so they name nobody."""
    defaults = yaml.safe_load((ENVIRONMENTS_DIR / DEFAULTS_FILE).read_text())
    assert defaults.get("resource_monitors", {}).get("notify_users", []) == []


def test_alert_recipients_must_be_e_mail_addresses_and_errors_name_file_and_field(env_dir):
    (env_dir / "dev.yaml").write_text((env_dir / "dev.yaml").read_text()
                                      + "alerts:\n  email_recipients: [finops@yousoundgreat.com, 'x; DROP TABLE t']\n")
    with pytest.raises(ConfigError) as caught:
        load_environment(env_dir / "dev.yaml")
    assert str(caught.value).count("environments/dev.yaml: alerts.email_recipients[1]: 'x; DROP TABLE t' is not an "
                                   "e-mail address") == 1


def test_alert_schedule_must_be_a_cron_schedule(env_dir):
    (env_dir / "staging.yaml").write_text((env_dir / "staging.yaml").read_text()
                                          + "alerts:\n  email_recipients: [a@b.co]\n  schedule: every hour\n")
    with pytest.raises(ConfigError, match=r"staging.yaml: alerts.schedule: 'every hour' is not a schedule"):
        load_environment(env_dir / "staging.yaml")
