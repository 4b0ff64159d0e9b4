import pytest

from ysg_constructs.git_repository import BillingGitRepository, GitRepositoryProps

from tfdoc import only, resources

ORIGIN = "https://github.com/ysg/platform.git"


def _repo(raw_schema, prefixes=("https://github.com/ysg/",), origin=ORIGIN, secret=None):
    return lambda s: BillingGitRepository(s, "git", raw_schema(s), GitRepositoryProps(
        integration_name="GIT_T", repository_name="REPO_T", origin=origin, allowed_prefixes=prefixes,
        credentials_secret=secret))


def test_the_git_https_integration_is_created_by_sql_since_the_provider_refuses_git_https_api(
        synth_stack, raw_schema):
    """Finding 1 of issue 11: snowflake_api_integration allows only the cloud gateways as api_provider."""
    doc = synth_stack(_repo(raw_schema))
    assert resources(doc, "snowflake_api_integration") == {}
    (execute_id, execute), = resources(doc, "snowflake_execute").items()
    assert execute["execute"] == ("CREATE OR REPLACE API INTEGRATION GIT_T API_PROVIDER = git_https_api "
                                  "API_ALLOWED_PREFIXES = ('https://github.com/ysg/') ENABLED = TRUE "
                                  "COMMENT = 'Snowflake Git repository access for the platform repository'")
    assert execute["revert"] == "DROP API INTEGRATION IF EXISTS GIT_T"
    repository = only(doc, "snowflake_git_repository")
    assert (repository["origin"], repository["api_integration"], repository["depends_on"]) == (
        ORIGIN, "GIT_T", [f"snowflake_execute.{execute_id}"])
    assert "git_credentials" not in repository     # a public repository


def test_a_private_repository_authenticates_with_a_secret_named_not_held(synth_stack, raw_schema):
    doc = synth_stack(_repo(raw_schema, secret="ADMIN_DB.SECRETS.GIT_TOKEN"))
    assert "ALLOWED_AUTHENTICATION_SECRETS = (ADMIN_DB.SECRETS.GIT_TOKEN)" in only(doc, "snowflake_execute")["execute"]
    assert only(doc, "snowflake_git_repository")["git_credentials"] == "ADMIN_DB.SECRETS.GIT_TOKEN"


@pytest.mark.parametrize("secret", ["GIT_TOKEN", "A.B", "A.B.C; DROP", "a.b.c"])
def test_a_secret_that_is_not_a_qualified_name_is_refused(synth_stack, raw_schema, secret):
    with pytest.raises(ValueError):
        synth_stack(_repo(raw_schema, secret=secret))


@pytest.mark.parametrize("prefixes,origin,message", [
    (("*",), ORIGIN, "not a narrow https:// prefix"),
    (("https://",), ORIGIN, "not a narrow https:// prefix"),
    (("https://github.com/other/",), ORIGIN, "outside the allowed prefixes"),
])
def test_wide_or_mismatched_prefixes_are_refused(synth_stack, raw_schema, prefixes, origin, message):
    with pytest.raises(ValueError, match=message):
        synth_stack(_repo(raw_schema, prefixes, origin))
