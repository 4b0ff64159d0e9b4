"""`ysg`: the command line, the top layer: it may import every layer below (stacks, constructs, hooks,
the policy pack, the core); nothing imports it."""
