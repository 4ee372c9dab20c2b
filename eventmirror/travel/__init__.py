"""The time-travel commands: ``eventmirror log``, ``diff``, ``blame`` and ``bisect``
(docs/time-travel.md). Each module adds its command with ``add_command``; the work is done by
the reducers' time-travel library (:mod:`reducers.timeline`, :mod:`reducers.blame`, ...)."""
