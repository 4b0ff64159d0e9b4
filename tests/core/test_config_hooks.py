"""core/ysg_core/config.py, the `hooks` section: what the post-apply hooks read from configuration."""
import pytest

from ysg_core.config import ConfigError, load_environment


def test_search_target_lag_defaults_to_one_hour(configs):
    assert {env: c.hooks.search_target_lag for env, c in configs.items()} == {
        "dev": "1 hour", "staging": "1 hour", "prod": "1 hour", "local": "1 hour"}


def test_a_configured_lag_is_used(env_dir):
    path = env_dir / "dev.yaml"
    path.write_text(path.read_text() + "hooks:\n  search_target_lag: 30 minutes\n")
    assert load_environment(path).hooks.search_target_lag == "30 minutes"


@pytest.mark.parametrize("lag, message", [
    ("1 minute'; DROP DATABASE X; --", "is not a target lag"),
    ("hourly", "is not a target lag"),
    ("30 seconds", "below Cortex Search's minimum"),
])
def test_a_bad_lag_is_refused_naming_file_and_field(env_dir, lag, message):
    path = env_dir / "staging.yaml"
    path.write_text(path.read_text() + f'hooks:\n  search_target_lag: "{lag}"\n')
    with pytest.raises(ConfigError, match=rf"environments/staging\.yaml: hooks\.search_target_lag: .*{message}"):
        load_environment(path)


def test_an_agent_location_carrying_sql_is_refused(env_dir):
    path = env_dir / "prod.yaml"
    path.write_text(path.read_text() + "hooks:\n  agent_database: 'SNOWFLAKE_INTELLIGENCE; DROP DATABASE X'\n")
    with pytest.raises(ConfigError, match=r"prod\.yaml: hooks\.agent_database: .*not a valid Snowflake identifier"):
        load_environment(path)
