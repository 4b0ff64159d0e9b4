"""ysg: the command line and shared core (configuration, naming, contract) of the billing platform."""
