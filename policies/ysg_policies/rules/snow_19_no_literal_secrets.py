"""CKV_SNOW_19: no resource carries a literal secret (password, private key, token, client secret)."""
import re

from ysg_policies.model import Resource, Rule, Stack, failed, is_reference, passed, strings

SECRET_KEY = re.compile(r"(^|_)(password|passphrase|secret|private_key|token|api_key|credentials?|"
                        r"aws_secret_key|azure_sas_token|client_secret|oauth_refresh_token)($|_|\[)", re.I)
SECRET_VALUE = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}|"
                          r"(?i:password|pwd|secret)\s*=\s*'[^']+'|AWS_SECRET_KEY\s*=", re.I)


def check(resource: Resource, stack: Stack):
    found = []
    for path, value in strings(resource.conf):
        leaf = path.rsplit(".", 1)[-1]
        if value and SECRET_KEY.search(leaf) and not is_reference(value):
            found.append(path)
        elif SECRET_VALUE.search(value):
            found.append(path)
    if found:
        return failed(f"literal secret in {', '.join(found)}; pass secrets through variables or a secret store")
    return passed()


RULE = Rule(
    id="CKV_SNOW_19", name="No literal secret in any resource", control="platform guardrail",
    rationale="Synthesized JSON is committed to review, logs and state; a secret written there is leaked "
              "to everyone who can read any of them.",
    resource_types=("snowflake_*", "provider.snowflake"), check=check)
