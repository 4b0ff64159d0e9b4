"""The offline access model: who may do what in a synthesized stack, and whether every hook statement,
the app and the ingest users hold what Snowflake requires (`ysg access`)."""
