"""The benchmark harness: its recording generator, its hand-written client, and a quick run.

Nothing here times anything: these tests check that what the benchmarks measure is right (a
valid, deterministic, bounded recording; a baseline client that sees the same world as the
mirror), and that the harness runs end to end.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

import reducers
from benchmarks import generate
from benchmarks._counts import counts, mirror_counts
from benchmarks._whole import run as run_whole
from benchmarks.generate import DEVICES_MIX, ME, MIXES, SMALL, STEADY_MIX, TOUR, flat_cost_lines
from benchmarks.handwritten import Client
from benchmarks.lean import HANDLED, LeanClient
from benchmarks.run import verdict
from eventmirror.events import EVENT_TYPES
from eventmirror.strategies import UUID_POOL, wire_streams

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 3_000


@cache
def small_recording(events: int = EVENTS, seed: int = 1, mix: str = "office") -> tuple[bytes, ...]:
    return tuple(generate.lines(events, seed, SMALL, mix))


def parsed(lines: Iterable[bytes]) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in lines]


def test_a_seed_always_gives_the_same_bytes() -> None:
    assert tuple(generate.lines(EVENTS, 1, SMALL)) == small_recording()
    assert tuple(generate.lines(EVENTS, 2, SMALL)) != small_recording()


def test_the_recording_does_not_depend_on_string_hashing(tmp_path: Path) -> None:
    # Set iteration order follows PYTHONHASHSEED; a generator that iterated a set would
    # write different bytes in another process.
    digests = set()
    for hash_seed in ("1", "2"):
        out = tmp_path / f"recording-{hash_seed}.jsonl"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        command = [
            sys.executable,
            "-m",
            "benchmarks.generate",
            "1500",
            "--small",
            "--out",
            str(out),
        ]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    expected = hashlib.sha256(b"".join(line + b"\n" for line in small_recording(1500))).digest()
    assert digests == {expected.hex()}


def test_a_shorter_recording_is_a_prefix_of_a_longer_one() -> None:
    # The constant-memory section relies on this: N/10 events are the start of the N events.
    assert tuple(generate.lines(700, 1, SMALL)) == small_recording()[:700]


def test_every_event_type_occurs_and_the_tour_and_mix_name_them_all() -> None:
    seen = Counter(event["event"] for event in parsed(small_recording()))
    assert set(seen) == set(EVENT_TYPES)
    assert set(TOUR) == set(STEADY_MIX) == set(EVENT_TYPES)


def test_ids_are_contiguous_and_time_never_goes_backwards() -> None:
    events = parsed(small_recording())
    assert [event["id"] for event in events] == list(range(len(events)))
    assert all(a["time"] <= b["time"] for a, b in pairwise(events))
    assert events[-1]["time"] > events[0]["time"]


def test_the_recording_folds_strictly_without_anomalies() -> None:
    mirror = reducers.fold(small_recording(), strict=True, me=ME)
    health = mirror.health
    assert mirror.applied == EVENTS
    assert (health.anomaly_count, health.unknown, health.duplicates, health.missing) == (0, 0, 0, 0)


def test_the_steady_mix_is_dominated_by_the_busy_types_at_about_260_bytes_a_line() -> None:
    lines = small_recording(6_000)[1_500:]  # past the build-up of the working set
    busy = {"object_modify", "comment_new", "comment_modify", "comment_delete", "object_metadata",
            "file_new", "file_modify", "file_delete", "chat_message", "chat_user",
            "conference_update", "sensor_data", "call_update"}  # fmt: skip
    assert sum(event["event"] in busy for event in parsed(lines)) > 0.85 * len(lines)
    assert 230 < sum(map(len, lines)) / len(lines) < 290


def test_the_working_set_stays_bounded_as_the_recording_grows() -> None:
    short = mirror_counts(reducers.fold(small_recording(), me=ME))
    long = mirror_counts(reducers.fold(generate.lines(15_000, 1, SMALL), me=ME))
    bounds = {
        "objects": SMALL.objects, "tags": SMALL.tags, "comments": SMALL.comments,
        "files": SMALL.files, "conference_members": SMALL.members,
        "sensor_points": SMALL.sensor_points, "chats": SMALL.chats, "calls": SMALL.calls,
    }  # fmt: skip
    for name, bound in bounds.items():
        assert 0 < short[name] <= bound, name
        assert 0 < long[name] <= bound, name
    # Chats come and go, so their messages stay bounded too (only DTMF digits pile up).
    assert long["chat_messages"] < 3 * max(short["chat_messages"], 100)


def test_the_hand_written_client_handles_every_event_type() -> None:
    assert set(Client(ME).handlers) == set(EVENT_TYPES)


def test_the_hand_written_client_and_eventmirror_see_the_same_world() -> None:
    client = Client(ME).replay(small_recording())
    mirror = reducers.fold(small_recording(), me=ME)
    seen = counts(client)
    assert seen == mirror_counts(mirror)
    assert sum(value > 0 for value in seen.values()) >= len(seen) - 3
    assert (client.gaps, client.duplicates, client.unknown, client.inconsistent) == (0, 0, 0, 0)


def test_the_hand_written_client_checks_ids_like_the_mirror() -> None:
    # 1 again: duplicate; 0 after 1: reset; 0 after 0: duplicate; 3 after 0: gap; 1: duplicate.
    ids = [0, 1, 1, 0, 0, 3, 1]
    lines = [
        orjson.dumps({"id": event_id, "event": "user_modify", "time": 100 + n})
        for n, event_id in enumerate(ids)
    ]
    client = Client(ME).replay(lines)
    mirror = reducers.fold(lines, me=ME)
    assert (client.duplicates, client.gaps, client.resets) == (3, 1, 1)
    assert (mirror.health.duplicates, len(mirror.health.gaps), mirror.health.reset_count) == (
        3,
        1,
        1,
    )
    assert (client.last_id, client.now) == (mirror.last_id, mirror.now) == (3, 105)


@given(wire_streams(max_size=40), st.sampled_from(UUID_POOL))
def test_the_hand_written_client_follows_the_rulings_on_any_stream(
    stream: list[dict[str, Any]], me: str
) -> None:
    lines = [orjson.dumps(event) for event in stream]
    mirror = reducers.fold(lines, me=me)
    assert counts(Client(me).replay(lines)) == mirror_counts(mirror)


def test_flat_cost_events_build_the_objects_then_only_modify_and_comment() -> None:
    build, work = flat_cost_lines(300, 200, seed=3)
    built, timed = parsed(build), parsed(work)
    assert Counter(e["event"] for e in built)["object_new"] == 300
    assert {e["event"] for e in timed} == {"object_modify", "comment_new", "comment_modify"}
    assert [e["id"] for e in built + timed] == list(range(len(build) + len(work)))
    mirror = reducers.fold(build + work, strict=True, me=ME)
    assert len(mirror.objects) == 300


def test_verdicts_name_the_ratio_the_target_and_whether_it_is_met() -> None:
    assert verdict(1.25, ">= 1.0") == "1.25x (target >= 1.0x: met)"
    assert verdict(2.5, "<= 2.0") == "2.50x (target <= 2.0x: MISSED)"
    assert verdict(None, "<= 1.5") == "n/a"


def test_the_corpus_section_runs_every_engine_on_a_tiny_corpus(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    command = [sys.executable, "-m", "benchmarks", "--quick", "--only", "corpus",
               "--recordings", "3", "--recording-events", "300", "--cache", str(tmp_path),
               "--json", str(out)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Corpus: 3 recordings of 300 events (900 in all)" in done.stdout
    assert "2 jobs vs 1: " in done.stdout and "dask vs the local pool" in done.stdout
    corpus = json.loads(out.read_text())["corpus"]
    assert corpus["same_output"] is True
    assert set(corpus["runs"]) == {"1 job", "2 jobs", "dask, 2 workers"}
    assert corpus["scaling_2_jobs"] > 0 and corpus["dask_vs_pool"] > 0
    (cached,) = tmp_path.glob("corpus-*")
    recordings = sorted(cached.glob("*.jsonl"))
    assert len(recordings) == 3
    assert all(len(path.read_bytes().splitlines()) == 300 for path in recordings)


def test_the_harness_runs_end_to_end_in_quick_mode(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    replaying = "replay,command,flat,snapshots,constant,simulator,travel"  # serve, corpus: own
    command = [sys.executable, "-m", "benchmarks", "--quick", "--cache", str(tmp_path),
               "--json", str(out), "--only", replaying]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for heading in ("Replay of", "The command and", "Where the time goes", "Flat cost",
                    "Time travel", "Constant memory"):  # fmt: skip
        assert heading in done.stdout
    figures = json.loads(out.read_text())
    replay = figures["replay"]
    assert replay["agree"] is True
    assert set(replay["stream_problems"].values()) == {0}
    for pipeline in ("floor", "handwritten", "eventmirror"):
        assert replay[pipeline]["events_per_s"] > 0
    assert replay["ratios"]["vs_handwritten"] > 0
    assert all(value > 0 for value in figures["flat"]["eventmirror"]["us_per_event"])
    assert figures["snapshots"]["keep_us_per_event"] > 0
    travel = figures["travel"]
    assert travel["fold_s"] > 0 and travel["blame_changes"] >= 1
    assert travel["log_s"] > 0 and travel["trace_s"] > 0 and travel["text_s"] > 0
    assert "log --changes (text, discarded)" in done.stdout
    assert figures["constant"]["events"] == [300, 3_000]
    for mix in ("office", "devices"):
        command = figures["command"][mix]
        assert command["events"] == 3_000
        assert all(ratio > 0 for ratio in command["ratios"].values())
        assert command["whole"]["command"]["peak_mb"] > command["whole"]["python"]["peak_mb"] > 0
        assert {"sensor_data", "call_update"} <= set(command["costs"]["fold"]["by_type"])
    assert len(list(tmp_path.glob("*.jsonl"))) == 2  # the recordings of both mixes, cached


def test_the_devices_mix_is_sensor_call_and_chat_heavy_without_scanning_deletes() -> None:
    lines = small_recording(6_000, mix="devices")
    steady = Counter(event["event"] for event in parsed(lines[2_000:]))
    heavy = steady["sensor_data"] + steady["call_update"] + steady["chat_message"]
    assert heavy + steady["chat_user"] > 0.6 * sum(steady.values())
    scanning = {"file_delete", "tag_delete", "trash_purge", "file_new", "object_new", "tag_new"}
    assert not scanning & set(DEVICES_MIX) and not scanning & set(steady)
    assert set(MIXES) == {"office", "devices"} and MIXES["office"] is STEADY_MIX
    assert small_recording(2_000, mix="devices") == lines[:2_000]  # a prefix, as for office
    assert lines[:500] == small_recording(500)  # the same working set first


def test_the_devices_mix_folds_strictly_and_both_full_clients_agree() -> None:
    lines = small_recording(mix="devices")
    mirror = reducers.fold(lines, strict=True, me=ME)
    assert mirror.applied == EVENTS and mirror.health.anomaly_count == 0
    assert counts(Client(ME).replay(lines)) == mirror_counts(mirror)


def test_the_lean_client_keeps_the_state_it_handles_with_no_checks() -> None:
    client = LeanClient(ME)
    assert set(client.handlers) == set(HANDLED) < set(EVENT_TYPES)
    lines = small_recording(mix="devices")
    client.replay(lines)
    seen = mirror_counts(reducers.fold(lines, me=ME))
    # Where the devices mix needs no ruling a lean client skips, both see the same world.
    assert (len(client.objects), len(client.tags), len(client.calls)) == (
        seen["objects"],
        seen["tags"],
        seen["calls"],
    )
    assert sum(map(len, client.conferences.values())) == seen["conference_members"]
    # It checks nothing: a duplicate is applied again, an unknown type is skipped.
    again = LeanClient(ME).replay([*lines[:10], lines[5], b'{"id":10,"event":"x","time":1}'])
    assert len(again.objects) == len(LeanClient(ME).replay(lines[:10]).objects)


def test_a_whole_process_run_reports_its_cpu_wall_time_and_own_peak(tmp_path: Path) -> None:
    path = tmp_path / "devices.jsonl"
    path.write_bytes(b"".join(line + b"\n" for line in small_recording(500, mix="devices")))
    python, command = run_whole("python", path), run_whole("command", path)
    for figures in (python, command):
        assert figures["seconds"] > 0 and figures["cpu"] > 0
    # Its own high-water mark: the replay's, above Python's own, yet far below the harness's.
    assert 0 < python["peak"] < command["peak"] < 200e6


def test_the_serve_section_runs_against_both_servers_with_a_few_sessions(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    command = [sys.executable, "-m", "benchmarks", "--only", "serve", "--sessions", "20",
               "--rounds", "1", "--cache", str(tmp_path), "--json", str(out)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Serve: 20 long-polling sessions" in done.stdout
    assert "eventmirror" in done.stdout and "floor" in done.stdout
    serve = json.loads(out.read_text())["serve"]
    for server in ("eventmirror", "floor"):
        figures = serve[server]
        assert 0 < figures["p50_ms"] <= figures["p99_ms"]
        assert figures["immediate_per_s"] > 0 and figures["idle_rss"] > 0
    assert not list(tmp_path.glob("*.jsonl"))  # no recording generated for serve alone
