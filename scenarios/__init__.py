"""The scenario engine: scripted YAML sessions run against the simulator (see issue: scenarios)."""
