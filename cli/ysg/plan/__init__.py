"""The pull-request plan: what a change does to every environment, read from two syntheses, no state."""
