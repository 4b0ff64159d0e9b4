"""The Snowflake policy pack: pure rules over synthesized stacks, importable without checkov.

Nothing here imports anything outside the standard library but the core's standard-library-only
`ysg.network_allowlist` (one rule for the environment model and CKV_SNOW_16), so the same rules run in the
main environment (unit tests, the scan's bookkeeping) and inside checkov's own environment (the adapter).
"""
