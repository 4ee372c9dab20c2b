"""State-machine rules for re-sends on purpose: status again, periodic status and keepalives,
a box coming online again. Periodic ones fire during ``wait`` (the clock's queue), so their
events interleave with every other rule's."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule

from .machine import WorldMachine, pick

STATUS_TYPES = ("conference", "presentation")
STAGED = (*STATUS_TYPES, "box")
periods = st.integers(1, 30)


class ResendRules(WorldMachine):
    @initialize(data=st.data(), period=st.none() | periods)
    def stage(self, data: st.DataObject, period: int | None) -> None:
        """A conference, a live presentation and a box everyone reads, some sessions subscribed:
        so that re-sends reach someone in most examples, not only after a long build-up."""
        world = self.world
        tag = world.tags.create("anna", "everyone", policy={"ben": 1, "carl": 2})
        made = {kind: world.objects.create("anna", kind, kind, tags=[tag]) for kind in STAGED}
        world.conference.join(None, made["conference"], "00000000-0000-4000-8000-00000000a001")
        world.presentation.start("anna", made["presentation"])
        world.box.online(made["box"], "10.0.0.1", "00:11", "1.0", "X86")
        sessions = sorted(world.sessions)
        for kind in STATUS_TYPES:
            for session in data.draw(st.lists(st.sampled_from(sessions), unique=True)):
                getattr(world, kind).subscribe(session, made[kind])
        if period is not None:
            world.presentation.keepalive_every(made["presentation"], period)

    @rule(data=st.data(), kind=st.sampled_from(STATUS_TYPES))
    def resend_status(self, data: st.DataObject, kind: str) -> None:
        uuid = pick(data, self.uuids(kind))
        if uuid is not None:
            domain = getattr(self.world, kind)
            self.attempt(lambda: domain.resend_status(uuid))

    @rule(data=st.data(), kind=st.sampled_from(STATUS_TYPES), seconds=periods, stop=st.booleans())
    def status_every(self, data: st.DataObject, kind: str, seconds: int, stop: bool) -> None:
        uuid = pick(data, self.uuids(kind))
        if uuid is None:
            return
        domain = getattr(self.world, kind)
        if stop:
            self.attempt(lambda: domain.stop_status_every(uuid))
        else:
            self.attempt(lambda: domain.status_every(uuid, seconds))

    @rule(data=st.data(), seconds=periods, stop=st.booleans())
    def keepalive_every(self, data: st.DataObject, seconds: int, stop: bool) -> None:
        uuid = pick(data, self.uuids("presentation"))
        if uuid is None:
            return
        domain = self.world.presentation
        if stop:
            self.attempt(lambda: domain.stop_keepalive_every(uuid))
        else:
            self.attempt(lambda: domain.keepalive_every(uuid, seconds))

    @rule(data=st.data())
    def box_online_again(self, data: st.DataObject) -> None:
        box = pick(data, self.uuids("box"))
        if box is not None:
            self.attempt(lambda: self.world.box.online_again(box))
