"""The simulator: a deterministic in-process model of the platform.

>>> from simulator import World
>>> world = World(seed=7)
>>> anna, ben = world.add_user("anna"), world.add_user("ben")
>>> session = world.open_session("ben")
>>> tag = world.tags.create("anna", "Projects", policy={"ben": 1})
>>> world.objects.create("anna", "contact", "Hans Mustermann", tags=[tag])
>>> session.poll()          # tag_new, object_new: what GET /api/event would return

Commands are grouped by domain, with the same names as in ``reducers`` (``world.tags``,
``world.objects``, ...); each takes the acting user first (``actor``), then the entity, then
its arguments, and declares itself with ``@command`` (``simulator.commands``, which lists them
all). An invalid command raises :class:`SimulatorError`, naming what it is about, and changes
nothing. ``world.view(session)`` is what that session can see, built from the server's own
state as the mirror's JSON form (plain data); folding the session's events gives the same form
(docs/simulator.md).
"""

from ._core import Domain, Session, SimulatorError
from .world import DEFAULT_START, World

__all__ = ["DEFAULT_START", "Domain", "Session", "SimulatorError", "World"]
