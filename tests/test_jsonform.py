"""The mirror's JSON form: its top-level shape, determinism, and loading back."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror import strategies
from reducers import MirrorFormatError
from reducers._slice import check_declarations
from tests.reference import reference_event, reference_examples
from tests.support import ME, OTHER, Stream

TOP_LEVEL = [
    "stream", "stale", "invitations", "tags", "objects", "user_metadata", "faxes",
    "announcements", "conferences", "volumes", "boxes", "callreverse", "sip",
    "presentations", "chats", "calls", "sensors",
]  # fmt: skip


def reference_mirror() -> reducers.Mirror:
    lines = [
        msgspec.json.encode(reference_event(name, id=i, time=1_700_000_000 + i))
        for i, name in enumerate(sorted(reference_examples()))
    ]
    return reducers.fold(lines, me="1de7257a-4f34-11e0-ab6e-0024e8f90cc1")


def test_top_level_keys() -> None:
    assert sorted(reducers.to_json(reducers.empty())) == sorted(TOP_LEVEL)


def test_entities_are_keyed_by_uuid_with_reference_field_names() -> None:
    document = reducers.to_json(reference_mirror())
    tag = document["tags"]["7b3785b8-974f-11e0-a900-0024e8f90cc0"]
    assert set(tag) == {"owner", "label", "foreign_use", "policy"}
    fax = document["faxes"]["94f1bb1a-5931-11e0-8db5-0024e8f90cc0"]
    assert fax["report"]["7b149600-5921-11e0-b85f-0024e8f90cc0"]["from"] == "+492216689711"
    assert "joe_01@cospace.de" in document["sip"]
    sensor = document["sensors"]["ce19884c-8fed-11e2-93fe-0024e8f90cc0"]
    assert sensor["action_status"] == {"97a1f558-9167-11e2-892a-0024e8f90cc0": "ok"}


def test_dumps_is_deterministic_and_sorted() -> None:
    data = reducers.dumps(reference_mirror())
    assert data == reducers.dumps(reference_mirror())
    document = msgspec.json.decode(data)
    assert list(document) == sorted(document)
    assert reducers.dumps(reducers.from_json(document)) == data


def test_dumps_is_the_same_under_any_hash_seed() -> None:
    script = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.test_jsonform import reference_mirror; import reducers;"
        "sys.stdout.buffer.write(reducers.dumps(reference_mirror()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


def test_loads_gives_back_an_equal_mirror() -> None:
    mirror = reference_mirror()
    assert reducers.loads(reducers.dumps(mirror)) == mirror
    assert reducers.loads(reducers.dumps(mirror, indent=2)) == mirror


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"nope", "not JSON"),
        (b"[]", "expected an object with a 'stream' object"),
        (b'{"stream": {"last_id": "x"}}', "stream.last_id"),
        (b'{"stream": {}, "tags": {"t": {"owner": 5}}}', "tags"),
    ],
)
def test_loading_something_else_is_a_clear_error(document: bytes, message: str) -> None:
    with pytest.raises(MirrorFormatError, match=message.replace(".", r"\.")):
        reducers.loads(document)


def _document() -> dict[str, Any]:
    return reducers.to_json(reference_mirror())


def test_derived_indexes_are_rebuilt_on_load() -> None:
    mirror = reference_mirror()
    loaded = reducers.from_json(_document())
    assert loaded.objects.by_tag == mirror.objects.by_tag
    assert loaded.timers == mirror.timers
    assert loaded.volumes == mirror.volumes


# --- every slice is declared once, and is a read-only mapping ---------------------------------


def full_mirror() -> reducers.Mirror:
    """The reference's examples, then the ones whose later events emptied their slice."""
    mirror = reference_mirror()
    for name in ("announcement_convert", "conference_start", "dialplan_callreverse_start"):
        mirror = reducers.apply(
            mirror, reference_event(name, id=mirror.applied, time=1_800_000_000)
        )
    return mirror


def test_the_declared_slices_are_the_mirror_s_slice_fields() -> None:
    assert sorted(reducers.DECLARED) == sorted(reducers.SLICES)
    assert all(reducers.DECLARED[name].name == name for name in reducers.SLICES)
    with pytest.raises(
        RuntimeError, match=r"not declared \['extra'\], not a Mirror field \['tags'\]"
    ):
        check_declarations([*(n for n in reducers.SLICES if n != "tags"), "extra"])


def test_every_reducer_is_registered_on_a_declared_slice() -> None:
    on_slices = {t: f for s in reducers.DECLARED.values() for t, f in s.reducers.items()}
    assert on_slices == reducers.REDUCERS


@pytest.mark.parametrize("name", list(reducers.DECLARED))
def test_every_slice_is_a_read_only_mapping_keyed_as_in_the_json_form(name: str) -> None:
    mirror = full_mirror()
    value = getattr(mirror, name)
    assert isinstance(value, Mapping) and len(value) > 0
    keys = list(value)
    assert list(value.keys()) == keys and len(value) == len(keys)
    assert list(value.items()) == [(key, value[key]) for key in keys]
    assert list(value.values()) == [value[key] for key in keys]
    assert all(key in value and value.get(key) is value[key] for key in keys)
    assert "absent key" not in value and value.get("absent key") is None
    with pytest.raises(KeyError):
        value["absent key"]
    assert not hasattr(value, "__setitem__") and not hasattr(value, "__delitem__")
    assert sorted(map(str, keys)) == sorted(reducers.to_json(mirror)[name])


# --- one rule for absent optionals ---------------------------------------------------------------

#: Where the JSON form holds JSON values as the platform sent them: a null there is a value.
PAYLOADS = [
    ("stream", "unknown_events"),
    ("user_metadata", "*"),
    ("objects", "*", "metadata"),
    ("sensors", "*", "data"),
    ("sensors", "*", "action"),
]


def _within(path: tuple[str, ...], payload: tuple[str, ...]) -> bool:
    head = path[: len(payload)]
    return len(head) == len(payload) and all(
        p in ("*", k) for p, k in zip(payload, head, strict=True)
    )


def nulls(value: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths of the nulls in a JSON form, except inside the platform's own JSON values."""
    if any(_within(path, payload) for payload in PAYLOADS):
        return []
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [n for key, inner in value.items() for n in nulls(inner, (*path, key))]
    if isinstance(value, list):
        return [n for index, inner in enumerate(value) for n in nulls(inner, (*path, str(index)))]
    return []


def test_an_absent_optional_is_left_out_and_a_null_the_platform_sent_stays() -> None:
    document = reducers.to_json(full_mirror())
    assert nulls(document) == []
    sensor = document["sensors"]["ce19884c-8fed-11e2-93fe-0024e8f90cc0"]
    assert sensor["action"] == {"1363623253000": [1, None]}  # the reference's own null
    empty = reducers.to_json(reducers.empty())["stream"]
    assert not {"me", "last_id", "now"} & set(empty)  # not known yet: left out


@given(strategies.wire_streams(max_size=40), st.sampled_from([None, ME]))
def test_no_json_form_writes_an_absent_optional_as_null(
    stream: list[dict[str, Any]], me: str | None
) -> None:
    mirror = reducers.fold([msgspec.json.encode(e) for e in stream], me=me)
    assert nulls(reducers.to_json(mirror)) == []
    assert reducers.loads(reducers.dumps(mirror)) == mirror


# --- order: sensor data and actions by timestamp, chat messages by time ----------------------

SENSOR = "ce19884c-8fed-11e2-93fe-0024e8f90cc0"
CHAT = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"


def _in_order(document: Any, path: tuple[str, ...] = ()) -> bool:
    """Every object's keys are sorted, but those with an order of their own."""
    if isinstance(document, list):
        return all(_in_order(inner, path) for inner in document)
    if not isinstance(document, dict):
        return True
    keys = list(document)
    if path[:1] == ("sensors",) and path[2:] in (("data",), ("action",)):
        in_order = keys == sorted(keys, key=int)
    elif path[:1] == ("chats",) and path[2:] == ("message",):
        times = [(document[k]["time"], k) for k in keys]
        in_order = times == sorted(times)
    else:
        in_order = keys == sorted(keys)
    return in_order and all(_in_order(v, (*path, k)) for k, v in document.items())


@given(
    st.lists(st.integers(0, 10**13), min_size=1, max_size=8, unique=True),
    st.lists(
        st.tuples(st.uuids().map(str), st.integers(0, 5)), max_size=6, unique_by=lambda m: m[0]
    ),
    st.randoms(use_true_random=False),
)
def test_mirrors_built_in_different_orders_give_the_same_bytes_in_the_reference_s_order(
    stamps: list[int], messages: list[tuple[str, int]], rng: Any
) -> None:
    def built(shuffle: bool) -> reducers.Mirror:
        stream = Stream()
        points, said = list(stamps), list(messages)
        if shuffle:
            rng.shuffle(points)
            rng.shuffle(said)
        for millis in points:
            stream.add("sensor_data", sensor=SENSOR, data={str(millis): [millis % 7]})
            action: dict[str, Any] = {"action": {str(millis): [1, None]}, "action-uuid": OTHER}
            stream.add("sensor_action", sensor=SENSOR, status="ok", **action)
        for uuid, time in said:
            text = {"user": ME, "time": time, "type": "text", "text": "hi"}
            stream.add("chat_message", chat=CHAT, message={uuid: text})
        return stream.fold()

    data = reducers.dumps(built(shuffle=False))
    assert reducers.dumps(built(shuffle=True)) == data
    document = msgspec.json.decode(data)
    assert _in_order(document)
    assert list(document["sensors"][SENSOR]["data"]) == [str(m) for m in sorted(stamps)]


def test_sensor_data_reads_in_timestamp_order_not_string_order() -> None:
    stream = Stream()
    stream.add("sensor_data", sensor=SENSOR, data={"100": [1], "99": [2], "1000": [3]})
    for data in (reducers.dumps(stream.fold()), reducers.dumps(stream.fold(), indent=2)):
        assert data.index(b'"99"') < data.index(b'"100"') < data.index(b'"1000"')


def _subclasses(cls: type[msgspec.Struct]) -> set[type[msgspec.Struct]]:
    found = {cls}
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


def test_only_absent_values_are_left_out_of_nested_structs() -> None:
    """msgspec leaves out whatever equals a field's default (``omit_defaults``): in a nested
    struct every default must be None, or a false or empty value would be left out too.
    (The slices' own entities are written by jsonform, which leaves out only None.)"""
    entities = {declared.entity for declared in reducers.DECLARED.values()}
    entities.add(reducers.Change)  # not in a mirror: a diff's change (its absent side UNSET)
    omitting = {
        cls
        for cls in _subclasses(msgspec.Struct)
        if cls.__struct_config__.omit_defaults
        and cls.__module__.startswith(("reducers", "eventmirror"))
    }
    assert omitting  # the nested structs of events and entities
    offending = {
        (cls.__name__, field.name)
        for cls in omitting - entities
        for field in msgspec.structs.fields(cls)
        if not field.required and field.default is not None
    }
    assert offending == set()
