"""One TerraformStack per environment, composed from ysg_constructs."""
