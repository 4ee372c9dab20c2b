"""The mirror property with re-sends on purpose interleaved: status sent again, periodic status
and keepalives firing as the clock moves, boxes coming online again, among the detailed
streams, per-object state and core commands."""

from __future__ import annotations

from .machine import MACHINE_SETTINGS
from .rules_core import CoreRules
from .rules_objects_state import ObjectsStateRules
from .rules_resend import ResendRules
from .rules_streams import StreamRules


class MirrorPropertyResend(ResendRules, ObjectsStateRules, StreamRules, CoreRules):
    pass


MirrorPropertyResend.TestCase.settings = MACHINE_SETTINGS
TestMirrorPropertyResend = MirrorPropertyResend.TestCase
