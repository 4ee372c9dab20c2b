"""The mirror property over random command sequences in every domain built so far."""

from __future__ import annotations

from .machine import MACHINE_SETTINGS
from .rules_core import CoreRules


class MirrorProperty(CoreRules):
    pass


MirrorProperty.TestCase.settings = MACHINE_SETTINGS
TestMirrorProperty = MirrorProperty.TestCase
