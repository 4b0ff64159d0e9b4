"""Reusable CDKTF constructs for the Snowflake objects of YouSoundGreat Billing Intelligence."""
