"""The mirror property with conferences, presentations, sensors and calls added."""

from __future__ import annotations

from hypothesis import settings

from .rules_core import CoreRules
from .rules_streams import StreamRules


class MirrorPropertyStreams(StreamRules, CoreRules):
    pass


MirrorPropertyStreams.TestCase.settings = settings(
    settings.default, stateful_step_count=50, max_examples=200
)
TestMirrorPropertyStreams = MirrorPropertyStreams.TestCase
