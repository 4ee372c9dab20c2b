"""The simulator: a deterministic in-process model of the platform (see issue: simulator)."""
