"""Fax events (reference: "Fax events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Count, Event, Int, Nested, Timestamp, Uuid


class FaxReport(Nested, frozen=True, rename={"from_": "from"}):
    """One send/receive status report of a fax (GET /api/fax/(uuid)); every field optional."""

    incoming: bool | None = None
    from_: str | None = None
    to: str | None = None
    time_start: Timestamp | None = None
    time_end: Timestamp | None = None
    status: str | None = None
    sip_status_code: Int | None = None
    fax_error_code: Int | None = None


@attrs.frozen(kw_only=True)
class FaxConvert(Event):
    """A fax's contents were converted; no ``page_count`` means the conversion failed."""

    fax: Uuid
    page_count: Count | None = None
    event: Literal["fax_convert"] = "fax_convert"


@attrs.frozen(kw_only=True)
class FaxReportEvent(Event):
    """A fax's send/receive reports changed; ``report`` is keyed by report UUID."""

    fax: Uuid
    report: dict[Uuid, FaxReport]
    event: Literal["fax_report"] = "fax_report"
