"""Post-apply SQL hooks: what Terraform should not own, rendered at synthesis and run afterwards."""
