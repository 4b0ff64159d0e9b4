"""The Snowflake policy pack: pure rules over synthesized stacks, importable without checkov.

It imports the standard library and two standard-library-only modules of the core (`ysg_core.paths`, for
the file synthesis writes beside each stack, and `ysg_core.network_allowlist`, one rule for the
environment model and CKV_SNOW_16), nothing else, so the same rules run in the main environment (unit
tests, the scan's bookkeeping) and inside checkov's own environment (the adapter). The import contract
(pyproject.toml) holds the pack to that.
"""
