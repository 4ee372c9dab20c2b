"""The mirror property with fax, announcement, box and file commands among the core ones."""

from __future__ import annotations

from .machine import MACHINE_SETTINGS
from .rules_core import CoreRules
from .rules_objects_state import ObjectsStateRules


class MirrorPropertyObjectsState(ObjectsStateRules, CoreRules):
    pass


MirrorPropertyObjectsState.TestCase.settings = MACHINE_SETTINGS
TestMirrorPropertyObjectsState = MirrorPropertyObjectsState.TestCase
