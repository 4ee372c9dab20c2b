"""``eventmirror serve``: the simulator behind a real HTTP server (docs/serve.md).

:mod:`.world` holds the served world (sessions, waiting long-polls, each session's oracle),
:mod:`.app` the aiohttp application (the platform's surface and the ``/_eventmirror/`` control
API), :mod:`.openapi` the control API's OpenAPI document, and :mod:`.main` the subcommand.
"""
