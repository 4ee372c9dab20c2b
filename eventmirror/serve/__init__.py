"""``eventmirror serve``: the simulator behind a real HTTP server (docs/serve.md).

:mod:`.world` holds the served world (sessions, waiting long-polls, each session's oracle);
:mod:`.app` the aiohttp application with the platform's surface and the route table;
:mod:`.control` the ``/_eventmirror/`` control API; :mod:`.answers` how requests are read and
errors answered; :mod:`.openapi` the OpenAPI document; :mod:`.main` the subcommand.
"""
