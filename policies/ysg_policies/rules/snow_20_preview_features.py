"""CKV_SNOW_20: the provider enables every preview feature its resources need and no other.

The features the provider accepts come from the installed bindings at synthesis (preview-features.json
beside the stack), since checkov's environment has no bindings to ask.
"""
from ysg_policies.model import Resource, Rule, Stack, failed, passed


def needed(stack: Stack) -> set[str]:
    return {f"{r.type}_resource" for r in stack.resources} & set(stack.known_preview_features or ())


def check(provider: Resource, stack: Stack):
    if stack.known_preview_features is None:
        return failed("no preview-features.json beside the stack: synthesize it with `ysg synth`")
    enabled = set(provider.get("preview_features_enabled") or [])
    need = needed(stack)
    missing, extra = sorted(need - enabled), sorted(enabled - need)
    problems = ([f"missing {', '.join(missing)}"] if missing else []) + \
               ([f"enabled without a resource that needs it: {', '.join(extra)}"] if extra else [])
    return failed("; ".join(problems)) if problems else passed()


RULE = Rule(
    id="CKV_SNOW_20", name="Provider enables exactly the preview features its resources need",
    control="platform guardrail",
    rationale="A missing feature fails the apply; an extra one silently opts the account into unstable "
              "behaviour of resources nobody reviewed.",
    resource_types=("provider.snowflake",), check=check)
