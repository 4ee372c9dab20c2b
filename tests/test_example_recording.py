"""The bundled example recording: generated, complete, valid, and telling a coherent day."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import eventmirror.examples
import reducers
from eventmirror.events import DOMAINS, EVENT_TYPES
from eventmirror.examples import EXAMPLE, EXAMPLE_ME, generate
from eventmirror.examples.generate import (
    ANNA,
    BEN,
    BOARD,
    BOARD_CALL,
    CALLS,
    CARLA,
    CLIMATE,
    DAILY,
    DECK,
    DESK_NEW,
    DRAFT,
    EASTER,
    ERIKA,
    FAX_DRAFT,
    FAX_IN,
    FAX_OFFER,
    GUSTAV,
    HANS,
    LISA,
    LUNCH_CHAT,
    PETRA,
    PROJECT,
    SALES,
    SERVER_ROOM,
    TEAM_CHAT,
    VOLUME,
    XMAS,
    clock,
)
from eventmirror.explain import wire_name
from reducers import Health, Mirror

ME = EXAMPLE_ME
LINES = EXAMPLE.read_bytes().splitlines()
EVENTS: list[dict[str, Any]] = [json.loads(line) for line in LINES]
UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

#: The reference's 19 sections and their event types (the event model groups user,
#: invitation, phone and trash events into one module, so DOMAINS names 16).
REFERENCE_SECTIONS = {
    "user": {"user_modify"},
    "invitation": {"invitation_new", "invitation_delete"},
    "phone": {"phone_modify"},
    "tag": {"tag_new", "tag_modify", "tag_delete"},
    "trash": {"trash_purge"},
    "object": {f"object_{kind}" for kind in ("new", "modify", "delete", "share", "tag", "unshare")},
    "comment": {"comment_new", "comment_modify", "comment_delete"},
    "metadata": {"user_metadata", "object_metadata"},
    "fax": {"fax_convert", "fax_report"},
    "announcement": {"announcement_convert"},
    "conference": {
        f"conference_{kind}" for kind in ("start", "stop", "status", "update", "join", "leave")
    },
    "file": {"file_new", "file_modify", "file_delete"},
    "box": {"box_online", "box_offline"},
    "dialplan": {"dialplan_modify", "dialplan_callreverse_start", "dialplan_callreverse_stop"},
    "sip": {f"sip_{kind}" for kind in ("new", "modify", "delete", "register", "unregister")},
    "presentation": {
        f"presentation_{kind}"
        for kind in ("convert", "start", "stop", "join", "leave", "status", "update", "keepalive")
    },
    "chat": {"chat_new", "chat_message", "chat_user"},
    "call": {"call_update", "call_dtmf"},
    "sensor": {"sensor_data", "sensor_action"},
}


@pytest.fixture(scope="module")
def mirror() -> Mirror:
    return reducers.fold(LINES, strict=True, me=ME)


def fold_until(last_time: int) -> Mirror:
    """The mirror of the events stamped up to ``last_time``."""
    lines = [line for line, event in zip(LINES, EVENTS, strict=True) if event["time"] <= last_time]
    return reducers.fold(lines, strict=True, me=ME)


# The file and its generator


def test_the_file_is_exactly_what_the_generator_writes() -> None:
    assert generate.render() == EXAMPLE.read_bytes()


def test_the_generator_gives_the_same_bytes_whatever_the_hash_seed() -> None:
    # A story that iterated a set or hashed a string would change with the hash seed.
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "eventmirror.examples.generate", "--check"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_check_mode_agrees_with_the_file() -> None:
    assert generate.main(["--check"]) == 0


def test_example_is_the_packaged_file() -> None:
    assert EXAMPLE.is_file()
    assert EXAMPLE.parent == Path(eventmirror.examples.__file__).parent
    assert EXAMPLE.name == eventmirror.examples.FILENAME == "office-day.jsonl"


def test_every_line_is_compact_json_with_keys_in_reference_order() -> None:
    for line, event in zip(LINES, EVENTS, strict=True):
        compact = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        assert line.decode("utf-8") == compact
        keys = list(event)
        assert keys[:3] == ["id", "event", "time"], keys
        order = generate.FIELD_ORDER[event["event"]]
        assert keys[3:] == [key for key in order if key in event], (event["id"], keys)


def test_the_field_order_lists_exactly_the_event_models_fields() -> None:
    assert set(generate.FIELD_ORDER) == set(EVENT_TYPES)
    for name, cls in EVENT_TYPES.items():
        model = {wire_name(field) for field in attrs.fields(cls)} - {"id", "event", "time"}
        assert set(generate.FIELD_ORDER[name]) == model, name


def test_the_story_refuses_a_field_the_event_does_not_have() -> None:
    with pytest.raises(ValueError, match="tag_delete has no field"):
        generate.Recording().scene("08:00").emit("tag_delete", tag=PROJECT, label="x")


def test_a_scene_cannot_go_back_in_time() -> None:
    scene = generate.Recording().scene("09:00")
    with pytest.raises(ValueError, match="already past 08:59"):
        scene.at("08:59")


# The stream


def test_a_few_hundred_events() -> None:
    assert 300 <= len(EVENTS) <= 500


def test_every_event_type_of_every_domain_and_section_occurs() -> None:
    used = Counter(event["event"] for event in EVENTS)
    assert set(used) == set(EVENT_TYPES)
    assert {DOMAINS[name] for name in used} == set(DOMAINS.values())
    assert len(REFERENCE_SECTIONS) == 19
    assert set().union(*REFERENCE_SECTIONS.values()) == set(EVENT_TYPES)
    for section, names in REFERENCE_SECTIONS.items():
        assert names <= set(used), section


def test_ids_are_contiguous_from_zero() -> None:
    assert [event["id"] for event in EVENTS] == list(range(len(EVENTS)))


def test_time_never_goes_backwards_and_stays_within_office_hours() -> None:
    times = [event["time"] for event in EVENTS]
    assert times == sorted(times)
    assert clock("07:30") <= times[0] and times[-1] <= clock("18:30")


def test_time_comes_in_bursts_and_pauses() -> None:
    times = [event["time"] for event in EVENTS]
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert sum(gap <= 2 for gap in gaps) >= 20  # bursts
    assert sum(gap >= 600 for gap in gaps) >= 3  # quiet spells


def test_every_uuid_is_a_version_4_uuid() -> None:
    found: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, str) and UUID_TEXT.match(value):
            found.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(key)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for event in EVENTS:
        collect(event)
    assert len(set(found)) > 60
    assert all(uuid.UUID(text).version == 4 for text in found)


def test_message_times_and_answer_times_match_their_events() -> None:
    for event in EVENTS:
        if event["event"] == "chat_message":
            assert all(m["time"] <= event["time"] for m in event["message"].values())
        if event["event"] == "call_update":
            for fields in event["call"].values():
                assert fields.get("answer_time", event["time"]) == event["time"]


def test_detailed_streams_start_with_a_status_after_going_live() -> None:
    names = [event["event"] for event in EVENTS]
    for prefix in ("conference", "presentation"):
        detailed = [
            i
            for i, name in enumerate(names)
            if name.startswith(prefix) and name.split("_")[1] in ("join", "leave", "update")
        ]
        status = names.index(f"{prefix}_status")
        assert names.index(f"{prefix}_start") < status < min(detailed)


# Folding it


def test_it_folds_strictly_with_a_clean_health(mirror: Mirror) -> None:
    assert mirror.applied == len(EVENTS)
    assert mirror.last_id == len(EVENTS) - 1
    assert mirror.now == EVENTS[-1]["time"]
    assert mirror.health == Health()
    assert not mirror.resync_needed


def test_a_lenient_fold_gives_the_same_mirror(mirror: Mirror) -> None:
    lenient = reducers.fold(LINES, me=ME)
    assert lenient.same_state(mirror)
    assert lenient.health == Health()


@given(st.integers(min_value=0, max_value=len(LINES)))
def test_a_replay_can_be_paused_anywhere(cut: int) -> None:
    paused = reducers.fold(LINES[:cut], strict=True, me=ME)
    resumed = reducers.fold(LINES[cut:], paused, strict=True)
    assert resumed.same_state(reducers.fold(LINES, strict=True, me=ME))


def test_every_slice_holds_something_at_the_end_of_the_day(mirror: Mirror) -> None:
    # Every call-reverse that started also stopped.
    empty = {name for name in reducers.SLICES if not len(getattr(mirror, name))}
    assert empty == {"callreverse"}


# What the story implies for the mirror at the end of the day


def test_tags_shared_lost_and_deleted(mirror: Mirror) -> None:
    assert set(mirror.tags) == {PROJECT, SALES}  # Draft deleted, Board prep taken from me
    assert mirror.tags[PROJECT].policy == {ME: 4, ANNA: 2, BEN: 3}  # Carla lost access again
    assert mirror.tags[SALES].owner == ANNA and mirror.tags[SALES].foreign_use
    assert mirror.objects.tagged(DRAFT) == [] and mirror.objects.tagged(BOARD) == []


def test_objects_created_purged_unshared_and_trashed(mirror: Mirror) -> None:
    present = (FAX_OFFER, FAX_IN, HANS, LISA, EASTER, DECK, XMAS)
    assert set(mirror.objects) == {thing["object"] for thing in present}
    for gone in (ERIKA, FAX_DRAFT, PETRA, BOARD_CALL):  # purged, purged, unshared, unshared
        assert gone["object"] not in mirror.objects
    assert set(mirror.objects.trash) == {XMAS["object"]}
    assert mirror.objects.tagged(SALES) == sorted(
        thing["object"] for thing in (FAX_OFFER, HANS, LISA)
    )


def test_the_contact_carries_its_tags_comment_and_metadata(mirror: Mirror) -> None:
    hans = mirror.objects.get(HANS["object"])
    assert hans is not None
    assert hans.description == "Hans Mustermann (Müller GmbH)"
    assert hans.tag == (SALES, PROJECT)
    assert dict(hans.metadata) == {
        "com.example.crm.stage": "negotiation",
        "com.example.crm.value": 12500,
    }
    assert [comment.owner for comment in hans.comments.values()] == [ME]


def test_comments_modified_and_deleted(mirror: Mirror) -> None:
    lisa = mirror.objects.get(LISA["object"])
    assert lisa is not None and lisa.owner == ANNA
    assert [(c.owner, c.text) for c in lisa.comments.values()] == [
        (ME, "I'll send her the roadmap deck tomorrow.")
    ]


def test_user_metadata_updated_and_deleted(mirror: Mirror) -> None:
    assert set(mirror.user_metadata) == {
        "com.example.desk.theme",
        "com.example.desk.sidebar",
        "com.example.desk.last_seen",
    }


def test_faxes_converted_and_reported(mirror: Mirror) -> None:
    assert set(mirror.faxes) == {FAX_OFFER["object"], FAX_IN["object"]}  # the draft was purged
    offer, received = mirror.faxes[FAX_OFFER["object"]], mirror.faxes[FAX_IN["object"]]
    assert (offer.converted, offer.page_count) == (True, 3)
    (report,) = offer.report.values()  # "sending", then "ok" under the same report UUID
    assert (report.incoming, report.status, report.sip_status_code) == (False, "ok", 200)
    assert (received.converted, received.page_count) == (True, 2)
    assert [r.incoming for r in received.report.values()] == [True]


def test_the_announcement_converted_on_the_second_try(mirror: Mirror) -> None:
    assert set(mirror.announcements) == {EASTER["object"]}
    assert mirror.announcements[EASTER["object"]].converted


def test_the_conference_room_is_empty_and_not_live(mirror: Mirror) -> None:
    assert not mirror.conferences[DAILY].live
    assert not mirror.conferences[DAILY].member
    during = fold_until(clock("09:33")).conferences[DAILY]
    assert during.live and len(during.member) == 3
    assert {m.user for m in during.member.values()} == {ANNA, ME, None}  # Ben dialled in


def test_the_drive_moved_renamed_and_deleted_a_subtree(mirror: Mirror) -> None:
    volume = mirror.volumes[VOLUME]
    paths = {volume.path(uuid): node for uuid, node in volume.files.items()}
    assert set(paths) == {
        "/Contracts",
        "/Contracts/2026",
        "/Contracts/2026/offer-mueller-v2.pdf",
        "/meeting-notes.txt",
    }
    offer = paths["/Contracts/2026/offer-mueller-v2.pdf"]
    assert (offer.size, offer.user, offer.mime_type) == (391877, ANNA, "application/pdf")
    before_delete = fold_until(clock("10:47")).volumes[VOLUME]
    names = {node.name for node in before_delete.files.values()}
    assert {"Drafts", "scans", "whiteboard.png"} <= names


def test_the_box_is_back_online_with_new_firmware(mirror: Mirror) -> None:
    (box,) = mirror.boxes.values()
    assert box.online and box.sw_version == "2.4.0"
    assert box.changed == clock("12:47:31")
    (during_update,) = fold_until(clock("12:45")).boxes.values()
    assert not during_update.online and during_update.sw_version == "2.3.7"


def test_call_reverse_was_active_only_in_between(mirror: Mirror) -> None:
    assert not mirror.callreverse
    assert len(fold_until(clock("11:25")).callreverse) == 1


def test_sip_registrations_expired_unregistered_and_deleted(mirror: Mirror) -> None:
    assert set(mirror.sip) == {"jana@cospace.de", "jana.mobile@cospace.de"}  # DECT deleted
    assert set(mirror.sip["jana@cospace.de"].registrations) == {DESK_NEW}
    assert mirror.sip["jana@cospace.de"].registrations[DESK_NEW].expire > EVENTS[-1]["time"]
    mobile = mirror.sip["jana.mobile@cospace.de"]
    assert mobile.description == "softclient laptop (Linphone)"
    assert not mobile.registrations  # expired during the recording
    assert fold_until(clock("10:00")).sip["jana.mobile@cospace.de"].registrations


def test_the_presentation_ended_after_a_full_run(mirror: Mirror) -> None:
    deck = mirror.presentations[DECK["object"]]
    assert (deck.converted, deck.page_count, deck.page) == (True, 14, 14)
    assert not deck.live and not deck.member and deck.moderator is None
    assert deck.keepalive is not None and deck.keepalive < clock("13:36:10")
    during = fold_until(clock("13:14")).presentations[DECK["object"]]
    assert during.live and during.moderator == ANNA
    assert during.member == {ME, ANNA, BEN, CARLA}


def test_chats_i_left_are_gone_and_the_team_chat_is_read(mirror: Mirror) -> None:
    assert set(mirror.chats) == {TEAM_CHAT}  # I left the lunch chat
    assert LUNCH_CHAT in fold_until(clock("14:41")).chats
    team = mirror.chats[TEAM_CHAT]
    assert team.member == {ME, ANNA}  # Ben left
    last_message, _ = team.ordered()[-1]
    assert team.user[ME].message_read == last_message
    assert all(participant.typing is None for participant in team.user.values())
    assert sum(message.type == "text" for message in team.message.values()) >= 10


def test_calls_hung_up_with_their_digits(mirror: Mirror) -> None:
    assert set(mirror.calls) == set(CALLS.values())
    for call in mirror.calls.values():
        assert call.status == "hangup"
        assert call.bridge is None and call.current_control is None
    assert [d.digit for d in mirror.calls[CALLS["inbound"]].dtmf] == ["2", "1"]
    assert [d.digit for d in mirror.calls[CALLS["late"]].dtmf] == ["#"]


def test_sensors_reported_all_day_and_one_action_was_replaced(mirror: Mirror) -> None:
    assert set(mirror.sensors) == {CLIMATE, SERVER_ROOM}
    for sensor in mirror.sensors.values():
        points = sensor.points()
        assert len(points) >= 30
        assert [millis for millis, _ in points] == sorted(sensor.data)
    assert sorted(mirror.sensors[CLIMATE].action_status.values()) == ["ok", "replaced"]


def test_user_phone_and_dialplan_are_stale_and_one_invitation_is_open(mirror: Mirror) -> None:
    assert set(mirror.stale) == {"user", "phone", "dialplan"}
    assert [(i.owner, i.user) for i in mirror.invitations.values()] == [(GUSTAV, ME)]
