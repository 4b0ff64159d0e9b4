"""CKV_SNOW_18: internal stages declare server-side (or full client-side) encryption."""
import re

from ysg_policies.model import NOT_APPLICABLE, Resource, Rule, Stack, failed, passed, unwrap

ENCRYPTED = re.compile(r"TYPE\s*=\s*'?(SNOWFLAKE_SSE|SNOWFLAKE_FULL)'?", re.I)


def check(stage: Resource, stack: Stack):
    if unwrap(stage.get("url")):
        return NOT_APPLICABLE  # external: encryption belongs to the bucket
    encryption = str(unwrap(stage.get("encryption")) or "")
    if not ENCRYPTED.search(encryption):
        return failed(f"encryption is {encryption or 'not set'}; expected TYPE = 'SNOWFLAKE_SSE' or 'SNOWFLAKE_FULL'")
    return passed()


RULE = Rule(
    id="CKV_SNOW_18", name="Internal stages are encrypted", control="platform guardrail",
    rationale="Files uploaded to an internal stage wait there before COPY; declaring the encryption type "
              "makes it explicit and reviewable instead of an account default.",
    resource_types=("snowflake_stage",), check=check)
