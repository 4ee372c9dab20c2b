"""State-machine rules for the detailed streams: conferences, presentations, sensors, calls."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import rule

from .machine import WorldMachine, pick, users

STREAM_TYPES = ("conference", "presentation", "sensor")
MEMBERS = tuple(f"00000000-0000-4000-8000-00000000a00{n}" for n in range(3))
CALLS = ("00000000-0000-4000-8000-00000000c001", "00000000-0000-4000-8000-00000000c002")
volumes = st.integers(-4, 4)
fractions = st.sampled_from([0.0, 0.25, 0.5, 1.0])


class StreamRules(WorldMachine):
    def uuids(self, kind: str) -> list[str]:
        if kind in STREAM_TYPES:
            objects = self.world.objects.objects
            return sorted(u for u, o in objects.items() if o.type == kind)
        if kind == "session":
            return sorted(s.id for s in self.world.sessions.values() if not s.closed)
        return super().uuids(kind)

    @rule(owner=users, kind=st.sampled_from(STREAM_TYPES), tagged=st.booleans(), data=st.data())
    def create_stream_object(
        self, owner: str, kind: str, tagged: bool, data: st.DataObject
    ) -> None:
        tag = pick(data, self.uuids("tag")) if tagged else None
        tags = [tag] if tag is not None else []
        self.attempt(lambda: self.world.objects.create(owner, kind, kind, tags=tags))

    @rule(data=st.data(), kind=st.sampled_from(STREAM_TYPES))
    def subscribe(self, data: st.DataObject, kind: str) -> None:
        uuid, session = pick(data, self.uuids(kind)), pick(data, self.uuids("session"))
        if uuid is None or session is None:
            return
        if kind == "conference":
            # A status telling an idle conference to a session that knows it changes nothing.
            known = self.world.view(session)["conferences"].get(uuid)
            if known is not None and not self.world.conference.members(uuid):
                return
        domain = getattr(self.world, kind)
        self.attempt(lambda: domain.subscribe(session, uuid))

    @rule(data=st.data(), member=st.sampled_from(MEMBERS), who=st.none() | users)
    def conference_join(self, data: st.DataObject, member: str, who: str | None) -> None:
        conference = pick(data, self.uuids("conference"))
        if conference is not None:
            self.attempt(lambda: self.world.conference.join(who, conference, member, phone="+4930"))

    @rule(
        data=st.data(),
        member=st.sampled_from(MEMBERS),
        field=st.sampled_from(["mute", "deaf", "talk", "floor", "volume_in", "volume_out"]),
        flag=st.booleans(),
        volume=volumes,
    )
    def conference_update(
        self, data: st.DataObject, member: str, field: str, flag: bool, volume: int
    ) -> None:
        conference = pick(data, self.uuids("conference"))
        if conference is not None:
            value = volume if field.startswith("volume") else flag
            self.attempt(lambda: self.world.conference.update(conference, member, **{field: value}))

    @rule(data=st.data(), member=st.sampled_from(MEMBERS), stop=st.booleans())
    def conference_leave(self, data: st.DataObject, member: str, stop: bool) -> None:
        conference = pick(data, self.uuids("conference"))
        if conference is None:
            return
        if stop:
            self.attempt(lambda: self.world.conference.stop(conference))
        else:
            self.attempt(lambda: self.world.conference.leave(conference, member))

    @rule(data=st.data(), pages=st.none() | st.integers(0, 5))
    def presentation_convert(self, data: st.DataObject, pages: int | None) -> None:
        presentation = pick(data, self.uuids("presentation"))
        if presentation is not None:
            self.attempt(lambda: self.world.presentation.convert(presentation, pages))

    @rule(
        data=st.data(),
        who=users,
        action=st.sampled_from(["start", "stop", "join", "leave", "keepalive", "timeout"]),
    )
    def presentation_life(self, data: st.DataObject, who: str, action: str) -> None:
        uuid = pick(data, self.uuids("presentation"))
        if uuid is None:
            return
        domain = self.world.presentation
        if action == "keepalive":
            self.attempt(lambda: domain.keepalive(uuid))
        elif action == "timeout":
            self.attempt(lambda: domain.stop(None, uuid))
        else:
            self.attempt(lambda: getattr(domain, action)(who, uuid))

    @rule(
        data=st.data(),
        page=st.none() | st.integers(0, 3),
        x=st.none() | fractions,
        visible=st.none() | st.booleans(),
        moderator=st.none() | users,
    )
    def presentation_update(
        self,
        data: st.DataObject,
        page: int | None,
        x: float | None,
        visible: bool | None,
        moderator: str | None,
    ) -> None:
        uuid = pick(data, self.uuids("presentation"))
        if uuid is None:
            return
        given = {"page": page, "x": x, "visible": visible, "moderator": moderator}
        fields = {k: v for k, v in given.items() if v is not None}
        self.attempt(lambda: self.world.presentation.update(uuid, **fields))

    @rule(
        data=st.data(),
        millis=st.lists(st.integers(0, 3), min_size=1, max_size=2),
        value=st.integers(0, 2),
        act=st.booleans(),
        status=st.sampled_from(["ok", "replaced"]),
    )
    def sensor_event(
        self, data: st.DataObject, millis: list[int], value: int, act: bool, status: str
    ) -> None:
        sensor = pick(data, self.uuids("sensor"))
        if sensor is None:
            return
        if act:
            action_uuid = CALLS[millis[0] % 2]
            self.attempt(
                lambda: self.world.sensor.action(sensor, millis[0], [value], status, action_uuid)
            )
        else:
            points = {m: [value] for m in millis}
            self.attempt(lambda: self.world.sensor.data(sensor, points))

    @rule(data=st.data())
    def enable_calls(self, data: st.DataObject) -> None:
        session = pick(data, self.uuids("session"))
        if session is not None:
            self.attempt(lambda: self.world.call.enable(session))

    @rule(
        who=users,
        call=st.sampled_from(CALLS),
        status=st.none() | st.sampled_from(["ringing", "answered"]),
        bridge=st.none() | st.sampled_from(["", "b1"]),
        control=st.none() | st.sampled_from(["", "c1"]),
        answer_time=st.none() | st.integers(0, 2),
    )
    def call_update(
        self,
        who: str,
        call: str,
        status: str | None,
        bridge: str | None,
        control: str | None,
        answer_time: int | None,
    ) -> None:
        given = {
            "status": status,
            "bridge": bridge,
            "current_control": control,
            "answer_time": answer_time,
        }
        fields = {k: v for k, v in given.items() if v is not None}
        self.attempt(lambda: self.world.call.update(who, call, **fields))

    @rule(who=users, call=st.sampled_from(CALLS), digit=st.sampled_from("19#"))
    def call_dtmf(self, who: str, call: str, digit: str) -> None:
        self.attempt(lambda: self.world.call.dtmf(who, call, digit, 120))
