"""The mirror property with conferences, presentations, sensors and calls added."""

from __future__ import annotations

from .machine import MACHINE_SETTINGS
from .rules_core import CoreRules
from .rules_streams import StreamRules


class MirrorPropertyStreams(StreamRules, CoreRules):
    pass


MirrorPropertyStreams.TestCase.settings = MACHINE_SETTINGS
TestMirrorPropertyStreams = MirrorPropertyStreams.TestCase
