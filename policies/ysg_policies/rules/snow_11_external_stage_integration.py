"""CKV_SNOW_11: external stages reach cloud storage only through a storage integration of this stack."""
from ysg_policies.model import NOT_APPLICABLE, Resource, Rule, Stack, failed, is_reference, passed, unwrap


def check(stage: Resource, stack: Stack):
    external = stage.type.startswith("snowflake_external_stage") or stage.type.startswith("snowflake_stage_external")
    if not external and not unwrap(stage.get("url")):
        return NOT_APPLICABLE  # an internal stage
    if stage.get("credentials"):
        return failed("the stage carries cloud credentials instead of using a storage integration")
    integration = unwrap(stage.get("storage_integration"))
    if not integration:
        return failed("no storage_integration")
    if is_reference(integration):
        target = stack.resolve(integration)
        if target is None or target.type != "snowflake_storage_integration":
            return failed(f"storage_integration {integration} is not a snowflake_storage_integration of this stack")
    return passed()


RULE = Rule(
    id="CKV_SNOW_11", name="External stages use a storage integration", control="CIS 4.7",
    rationale="A storage integration keeps cloud credentials out of Snowflake objects and pins the "
              "locations a stage may read; stage-level keys leak through DESCRIBE and history.",
    resource_types=("snowflake_stage", "snowflake_external_stage*", "snowflake_stage_external*"), check=check)
