"""The mirror property over random command sequences with chats, SIP and the dialplan."""

from __future__ import annotations

from hypothesis import settings

from .rules_core import CoreRules
from .rules_people import PeopleRules


class MirrorPropertyPeople(PeopleRules, CoreRules):
    pass


MirrorPropertyPeople.TestCase.settings = settings(
    settings.default, stateful_step_count=50, max_examples=200
)
TestMirrorPropertyPeople = MirrorPropertyPeople.TestCase
