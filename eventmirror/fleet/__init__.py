"""Replaying a corpus of recordings at once, on this machine's cores or on a Dask cluster
(``eventmirror replay PATH...``; docs/fleet.md).

:mod:`.corpus` finds the recordings, :mod:`.worker` replays one of them into a
:class:`~.report.RecordingReport`, :mod:`.engines` maps that over the corpus,
:mod:`.report` adds the reports up (:class:`~.report.Totals`, a monoid), :mod:`.render`
prints them and :mod:`.command` is the command.
"""
