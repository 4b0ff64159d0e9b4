"""Conformance findings of issue 11 that are known and fixed on main by the lead (findings 1, 2 and 8).

Fixed on main by the lead: delete this expectation when merging, so any finding fails the tests again.
"""
from __future__ import annotations

ENVIRONMENTS = ("dev", "local", "prod", "staging")
KNOWN = frozenset(
    # finding 1: api_provider "git_https_api" is not an allowed value (pkg/resources/api_integration.go:33)
    {(f"billing-{env}", "snowflake_api_integration", "api_provider", "git_https_api", "provider") for env in ENVIRONMENTS}
    # finding 2: STREAMLIT is not a grant-ownership object type (pkg/sdk/grants_validations.go:21), read twice
    | {(f"billing-{env}", "snowflake_grant_ownership", "on.object_type", "STREAMLIT", source)
       for env in ENVIRONMENTS for source in ("provider", "bindings")}
    # finding 8: deprecated direction/type of the notification integration (pkg/resources/notification_integration.go)
    | {(f"billing-{env}", "snowflake_notification_integration", attribute, value, "deprecated")
       for env in ("dev", "prod", "staging") for attribute, value in (("direction", "INBOUND"), ("type", "QUEUE"))}
)


def key(finding) -> tuple:
    """A conformance finding as KNOWN names it."""
    kind = ("bindings" if "bindings document" in finding.problem else
            "deprecated" if finding.problem.startswith("is deprecated") else "provider")
    return (finding.stack, finding.address.split(".")[0], finding.attribute, finding.value, kind)


def unexpected(findings, any_stack: bool = False) -> list[str]:
    """The findings KNOWN does not name; with any_stack, in whatever stack (a copy of a shipped one, say)."""
    known = {k[1:] for k in KNOWN} if any_stack else KNOWN
    return [str(f) for f in findings if (key(f)[1:] if any_stack else key(f)) not in known]
