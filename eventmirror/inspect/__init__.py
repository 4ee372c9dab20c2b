"""``eventmirror inspect REC``: a recording in the browser, served on loopback.

The layers inside, from the bottom up: :mod:`.source` says what the inspector needs from a
recording (a :class:`~.source.Timeline`) and opens one; :mod:`.queries` answers the page's
questions (a page of the timeline, one step, a blame) as JSON-ready values, or says why a
question is bad; :mod:`.app` serves them and the page (``static/``, plain HTML, CSS and
JavaScript shipped with the package: nothing to build, nothing fetched from elsewhere);
:mod:`.main` is the command. docs/inspect.md describes the page and the endpoints.
"""
