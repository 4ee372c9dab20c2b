"""The mirror property over random command sequences in every domain built so far."""

from __future__ import annotations

from hypothesis import settings

from .rules_core import CoreRules


class MirrorProperty(CoreRules):
    pass


MirrorProperty.TestCase.settings = settings(
    settings.default, stateful_step_count=50, max_examples=200
)
TestMirrorProperty = MirrorProperty.TestCase
