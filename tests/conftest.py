"""Shared test configuration: hypothesis profiles.

``ci`` (the default, and what .ci/run uses) is derandomized and bounded so the suite is fast
and gives the same result on every run; ``long`` explores far more examples for nightly-style
runs: ``HYPOTHESIS_PROFILE=long pytest``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
