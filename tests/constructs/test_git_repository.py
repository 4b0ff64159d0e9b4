import pytest

from ysg_constructs.git_repository import BillingGitRepository, GitRepositoryProps

from tfdoc import only

ORIGIN = "https://github.com/ysg/platform.git"


def _repo(raw_schema, prefixes=("https://github.com/ysg/",), origin=ORIGIN):
    return lambda s: BillingGitRepository(s, "git", raw_schema(s), GitRepositoryProps(
        integration_name="GIT_T", repository_name="REPO_T", origin=origin, allowed_prefixes=prefixes))


def test_git_https_integration_and_repository(synth_stack, raw_schema):
    doc = synth_stack(_repo(raw_schema))
    integration = only(doc, "snowflake_api_integration")
    assert (integration["api_provider"], integration["api_allowed_prefixes"]) == ("git_https_api", ["https://github.com/ysg/"])
    assert only(doc, "snowflake_git_repository")["origin"] == ORIGIN


@pytest.mark.parametrize("prefixes,origin,message", [
    (("*",), ORIGIN, "not a narrow https:// prefix"),
    (("https://",), ORIGIN, "not a narrow https:// prefix"),
    (("https://github.com/other/",), ORIGIN, "outside the allowed prefixes"),
])
def test_wide_or_mismatched_prefixes_are_refused(synth_stack, raw_schema, prefixes, origin, message):
    with pytest.raises(ValueError, match=message):
        synth_stack(_repo(raw_schema, prefixes, origin))
