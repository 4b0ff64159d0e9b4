"""The Snowflake policy pack: pure rules over synthesized stacks, importable without checkov.

Nothing here imports anything outside the standard library, so the same rules run in the main
environment (unit tests, the scan's bookkeeping) and inside checkov's own environment (the adapter).
"""
