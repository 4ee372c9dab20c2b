"""Commands declare themselves: the declarations, what is derived from them, and the rules the
declarations share (sessions by object or id, errors that name what they are about)."""

from __future__ import annotations

import inspect
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scenarios
from scenarios.commands import COMMANDS
from simulator import Session, SimulatorError, World
from simulator.commands import DOCS_BEGIN, DOCS_END, catalogue, command, markdown_table
from simulator.driver import commands as driver_commands
from simulator.driver import user_name

DOCS = Path(__file__).parents[2] / "docs" / "simulator.md"
LIBRARY = Path(scenarios.__file__).parent / "library"


def documented_table(text: str) -> str:
    return text.split(DOCS_BEGIN, 1)[1].split(DOCS_END, 1)[0].strip()


def test_the_command_list_in_the_docs_is_the_declarations() -> None:
    assert documented_table(DOCS.read_text()) == markdown_table(), (
        f"docs/simulator.md disagrees with the @command declarations: put this between "
        f"its markers:\n{markdown_table()}"
    )


def test_a_docs_list_that_drifted_from_the_declarations_is_caught() -> None:
    drifted = DOCS.read_text().replace("`tags.create(actor, label,", "`tags.create(owner, label,")
    assert documented_table(drifted) != markdown_table()


def test_the_scenario_table_is_the_catalogue() -> None:
    assert COMMANDS is catalogue()
    assert "tags.create" in COMMANDS and "conference.subscribe" not in COMMANDS


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_command_is_declared_as_its_method_reads(name: str) -> None:
    found = catalogue()[name]
    method = getattr(type(getattr(World(seed=0), found.domain)), found.method)
    parameters = list(inspect.signature(method).parameters)[1:]
    # The acting user first, named actor; the platform's commands have none.
    assert (parameters[:1] == ["actor"]) == (found.actor is not None)
    listed = [a.name for a in found.arguments] + [found.open_ended] * bool(found.open_ended)
    assert listed == [p for p in parameters if p != "actor"]
    assert found.summary and "\n" not in found.summary


def test_every_command_is_exercised_by_a_library_scenario() -> None:
    used = {
        name
        for path in LIBRARY.glob("*.scenario.yaml")
        for name in re.findall(r"do: ([a-z_]+\.[a-z_]+)", path.read_text())
    }
    assert set(catalogue()) - used == set()


# -- the decorator's rules ----------------------------------------------------------------


def declare(function: Callable[..., Any], **options: Any) -> None:
    command(**options)(function) if options else command(function)


def test_a_command_without_a_docstring_is_refused() -> None:
    def undocumented(self: Any, actor: str) -> None:
        pass

    with pytest.raises(TypeError, match="has no docstring"):
        declare(undocumented)


def test_the_acting_user_comes_first_and_is_named_actor() -> None:
    def late(self: Any, tag: str, actor: str) -> None:
        """Late."""

    def other(self: Any, owner: str) -> None:
        """Other."""

    for function in (late, other):
        with pytest.raises(TypeError, match="the acting user comes first, named 'actor'"):
            declare(function)
    with pytest.raises(TypeError, match="named 'actor', not 'owner'"):
        declare(other, actor="owner")


def test_a_platform_command_has_no_actor_and_an_actor_has_no_default() -> None:
    def platform(self: Any, actor: str) -> None:
        """Platform."""

    def defaulted(self: Any, actor: str | None = None) -> None:
        """Defaulted."""

    with pytest.raises(TypeError, match="done by the platform but has 'actor'"):
        declare(platform, actor=None)
    with pytest.raises(TypeError, match="has no default"):
        declare(defaulted)


def test_an_actor_that_may_be_none_is_a_user_or_the_platform() -> None:
    assert catalogue()["conference.join"].by == "user or platform"
    assert catalogue()["presentation.stop"].by == "user or platform"
    assert catalogue()["tags.create"].by == "user"
    assert catalogue()["box.online"].by == "platform"


# -- sessions by object or id -------------------------------------------------------------


@pytest.fixture
def world() -> World:
    world = World(seed=5)
    world.add_user("anna")
    world.add_user("ben")
    return world


def test_a_session_is_taken_as_itself_or_its_id(world: World) -> None:
    session = world.open_session("anna")
    room = world.objects.create("anna", "conference", "Weekly")
    world.conference.subscribe(session, room)
    world.call.enable(session.id)
    assert world.session(session) is world.session(session.id) is session
    assert session.subscriptions == {("conference", room), ("call", "")}


def test_a_session_of_another_world_is_refused(world: World) -> None:
    stranger = Session("s1", world.user_id("anna"), 0)
    world.open_session("anna")
    with pytest.raises(SimulatorError, match="no session 's1' in this world"):
        world.session(stranger)


# -- errors name what they are about ------------------------------------------------------


def refusal(action: Callable[[], object]) -> str:
    with pytest.raises(SimulatorError) as raised:
        action()
    return str(raised.value)


def test_errors_name_objects_tags_and_users(world: World) -> None:
    tag = world.tags.create("anna", "Projects", policy={"ben": 1})
    hans = world.objects.create("anna", "contact", "Hans Mustermann", tags=[tag])
    assert refusal(lambda: world.objects.modify("ben", hans, description="x")) == (
        f"ben may not change object 'Hans Mustermann' ({hans})"
    )
    assert refusal(lambda: world.tags.modify("ben", tag, label="x")) == (
        f"ben may not change tag 'Projects' ({tag})"
    )
    assert refusal(lambda: world.tags.delete("ben", tag)) == (
        f"only the owner may delete tag 'Projects' ({tag})"
    )
    assert refusal(lambda: world.objects.modify("anna", hans, description="Hans Mustermann")) == (
        f"that change to object 'Hans Mustermann' ({hans}) would change nothing"
    )
    world.add_user("carl")
    assert refusal(lambda: world.comments.add(world.user_id("carl"), hans, "hi")) == (
        f"carl cannot read object 'Hans Mustermann' ({hans})"
    )


def test_errors_name_an_unknown_uuid_as_given(world: World) -> None:
    assert refusal(lambda: world.tags.delete("anna", "nope")) == "no tag 'nope'"
    assert refusal(lambda: world.objects.delete("anna", "nope")) == "no object 'nope'"
    assert refusal(lambda: world.chat.message("anna", "nope", "x")) == "no chat 'nope'"


def test_errors_name_chats_comments_files_and_states(world: World) -> None:
    lunch = world.chat.create("anna", "Lunch")
    assert refusal(lambda: world.chat.message("ben", lunch, "x")) == (
        f"ben is not in chat 'Lunch' ({lunch})"
    )
    note = world.objects.create("anna", "note", "Minutes")
    comment = world.comments.add("anna", note, "A rather long comment about the minutes of it")
    assert refusal(lambda: world.comments.edit("ben", comment, "x")) == (
        f"only the author may edit comment 'A rather long comment about the...' ({comment})"
    )
    volume = world.objects.create("anna", "volume", "Photos")
    cover = world.files.create("anna", volume, "cover.jpg")
    assert refusal(lambda: world.files.rename("anna", cover, "cover.jpg")) == (
        f"file 'cover.jpg' ({cover}) has that name already"
    )
    room = world.objects.create("anna", "conference", "Weekly")
    assert refusal(lambda: world.conference.stop(room)) == f"object 'Weekly' ({room}) is not live"


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def labelled(world: World) -> dict[str, str]:
    """The entities a message must name by their description or name, by UUID."""
    labels = {uuid: tag.label for uuid, tag in world.tags.tags.items()}
    labels |= {u: o.description for u, o in world.objects.objects.items() if o.description}
    labels |= {u: c.description for u, c in world.chat.chats.items() if c.description}
    files = world.files
    labels |= {u: files.volumes[v].nodes[u]["name"][0] for u, v in files.volume_of.items()}
    return labels


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_every_refusal_names_known_entities_and_users_by_name(seed: int) -> None:
    # Not the world's own seed: the mix would mint call UUIDs equal to the world's.
    rng = random.Random(seed + 1)
    world = World(seed)
    for index in range(3):
        world.add_user(user_name(index))
        world.open_session(user_name(index))
    draw = driver_commands(rng, world)
    for _ in range(300):
        world.advance(rng.randint(0, 60))
        name, attempt = next(draw)
        try:
            attempt()
        except SimulatorError as error:
            message, labels = str(error), labelled(world)
            for uuid in UUID.findall(message):
                assert uuid not in world.names, f"{name}: a user by UUID: {message}"
                if uuid in labels:
                    assert f"{labels[uuid]!r} ({uuid})" in message, f"{name}: {message}"
