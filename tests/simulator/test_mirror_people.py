"""The mirror property over random command sequences with chats, SIP and the dialplan."""

from __future__ import annotations

from .machine import MACHINE_SETTINGS
from .rules_core import CoreRules
from .rules_people import PeopleRules


class MirrorPropertyPeople(PeopleRules, CoreRules):
    pass


MirrorPropertyPeople.TestCase.settings = MACHINE_SETTINGS
TestMirrorPropertyPeople = MirrorPropertyPeople.TestCase
