"""The mirror property with fax, announcement, box and file commands among the core ones."""

from __future__ import annotations

from hypothesis import settings

from .rules_core import CoreRules
from .rules_objects_state import ObjectsStateRules


class MirrorPropertyObjectsState(ObjectsStateRules, CoreRules):
    pass


MirrorPropertyObjectsState.TestCase.settings = settings(
    settings.default, stateful_step_count=50, max_examples=200
)
TestMirrorPropertyObjectsState = MirrorPropertyObjectsState.TestCase
