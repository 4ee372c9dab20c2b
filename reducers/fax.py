"""Faxes: conversion result (page count) and send/receive reports merged by report UUID."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import FaxConvert, FaxReportEvent
from eventmirror.events.fax import FaxReport

from ._slice import Slice
from ._state import EMPTY, Changes, Entity, Map, replace, set_all

if TYPE_CHECKING:
    from .mirror import Mirror


class Fax(Entity, frozen=True, gc=False):
    """A fax's conversion state and reports. ``converted`` is None until a conversion ends,
    then True with ``page_count``, or False when it failed."""

    converted: bool | None = None
    page_count: int | None = None
    report: Map[str, FaxReport] = EMPTY


SLICE = Slice("faxes", Fax, of_object=True)


@SLICE.reducer(FaxConvert)
def fax_convert(mirror: Mirror, event: FaxConvert) -> Changes:
    fax = mirror.faxes.get(event.fax) or Fax()
    fax = replace(fax, converted=event.page_count is not None, page_count=event.page_count)
    return {"faxes": mirror.faxes.set(event.fax, fax)}


@SLICE.reducer(FaxReportEvent)
def fax_report(mirror: Mirror, event: FaxReportEvent) -> Changes:
    fax = mirror.faxes.get(event.fax) or Fax()
    reports = set_all(fax.report, event.report)
    return {"faxes": mirror.faxes.set(event.fax, replace(fax, report=reports))}
