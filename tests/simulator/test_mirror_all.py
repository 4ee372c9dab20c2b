"""The mirror property with every domain's rules in one machine, so that domains interact:
a volume shared by a tag while its files change, a subscriber losing access to a stream, a
trash purge under a live presentation."""

from __future__ import annotations

from .machine import MACHINE_SETTINGS
from .rules_core import CoreRules
from .rules_objects_state import ObjectsStateRules
from .rules_people import PeopleRules
from .rules_streams import StreamRules


class MirrorPropertyAll(ObjectsStateRules, StreamRules, PeopleRules, CoreRules):
    pass


MirrorPropertyAll.TestCase.settings = MACHINE_SETTINGS
TestMirrorPropertyAll = MirrorPropertyAll.TestCase
