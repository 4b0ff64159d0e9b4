"""Post-apply SQL hooks: their declarations, the manifest (hooks.json) and the runner that applies it.
A layer above the core, beside the constructs and the policy pack; it imports neither."""
