"""Fax reducers (docs/design.md: ``page_count`` present = converted, absent = failed; ``fax_report``
merges reports by report UUID)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import Mirror
from reducers.fax import Fax
from tests.reference import reference_examples
from tests.support import ME, Stream

FAX = "94f1bb1a-5931-11e0-8db5-0024e8f90cc0"
OTHER_FAX = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
R1 = "7b149600-5921-11e0-b85f-0024e8f90cc0"
R2 = "0f3441b4-1141-11e1-8829-0024e8f90cc0"
#: Every field of a report, as the reference's example has them.
FULL_REPORT: dict[str, Any] = reference_examples()["fax_report"]["report"][R1]


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def report_form(mirror: Mirror, fax: str = FAX) -> dict[str, Any]:
    """The fax's reports in the mirror's JSON form, keyed by report UUID."""
    reports: dict[str, Any] = msgspec.json.decode(reducers.dumps(mirror))["faxes"][fax]["report"]
    return reports


def test_fax_convert_with_a_page_count_marks_the_fax_converted() -> None:
    stream = Stream()
    stream.add("fax_convert", fax=FAX, page_count=12)
    mirror = stream.fold()
    assert mirror.faxes[FAX] == Fax(converted=True, page_count=12)
    assert reducers.to_json(mirror)["faxes"][FAX] == {
        "converted": True,
        "page_count": 12,
        "report": {},
    }
    assert_round_trips(mirror)


def test_fax_convert_with_zero_pages_is_still_a_conversion() -> None:
    stream = Stream()
    stream.add("fax_convert", fax=FAX, page_count=0)
    assert stream.fold().faxes[FAX] == Fax(converted=True, page_count=0)


def test_fax_convert_without_a_page_count_marks_the_conversion_failed() -> None:
    stream = Stream()
    stream.add("fax_convert", fax=FAX)
    mirror = stream.fold()
    assert mirror.faxes[FAX] == Fax(converted=False, page_count=None)
    assert reducers.to_json(mirror)["faxes"][FAX]["converted"] is False
    assert_round_trips(mirror)


def test_a_later_conversion_replaces_the_earlier_result_and_keeps_the_reports() -> None:
    stream = Stream()
    stream.add("fax_report", fax=FAX, report={R1: FULL_REPORT})
    stream.add("fax_convert", fax=FAX, page_count=3)
    stream.add("fax_convert", fax=FAX)
    fax = stream.fold().faxes[FAX]
    assert (fax.converted, fax.page_count) == (False, None)
    assert set(fax.report) == {R1}
    stream.add("fax_convert", fax=FAX, page_count=4)
    assert stream.fold().faxes[FAX].page_count == 4


def test_an_unconverted_fax_with_a_report_has_no_conversion_result() -> None:
    stream = Stream()
    stream.add("fax_report", fax=FAX, report={R1: FULL_REPORT})
    mirror = stream.fold()
    assert (mirror.faxes[FAX].converted, mirror.faxes[FAX].page_count) == (None, None)
    assert report_form(mirror) == {R1: FULL_REPORT}
    assert reducers.to_json(mirror)["faxes"][FAX]["report"][R1].keys() == FULL_REPORT.keys()
    assert_round_trips(mirror)


@pytest.mark.parametrize("field", sorted(FULL_REPORT))
def test_a_report_missing_an_optional_field_keeps_it_absent(field: str) -> None:
    partial = {key: value for key, value in FULL_REPORT.items() if key != field}
    stream = Stream()
    stream.add("fax_report", fax=FAX, report={R1: partial})
    mirror = stream.fold()
    assert report_form(mirror) == {R1: partial}
    assert_round_trips(mirror)


def test_an_empty_report_is_kept_as_an_empty_record() -> None:
    stream = Stream()
    stream.add("fax_report", fax=FAX, report={R1: {}})
    assert report_form(stream.fold()) == {R1: {}}


def test_reports_merge_by_report_uuid_the_latest_replacing_the_same_uuid() -> None:
    stream = Stream()
    stream.add("fax_report", fax=FAX, report={R1: {"status": "sending", "to": "+4922"}})
    stream.add("fax_report", fax=FAX, report={R2: {"status": "ok", "incoming": True}})
    stream.add("fax_report", fax=FAX, report={R1: FULL_REPORT})
    stream.add("fax_report", fax=OTHER_FAX, report={R1: {"status": "busy"}})
    mirror = stream.fold()
    assert report_form(mirror) == {R1: FULL_REPORT, R2: {"status": "ok", "incoming": True}}
    assert report_form(mirror, OTHER_FAX) == {R1: {"status": "busy"}}
    assert_round_trips(mirror)


@pytest.mark.parametrize("removal", ["object_unshare", "object_delete"])
def test_removing_the_fax_object_removes_its_fax_state(removal: str) -> None:
    stream = Stream()
    stream.add("object_new", object=FAX, type="fax", owner=ME, tag=[])
    stream.add("fax_convert", fax=FAX, page_count=2)
    stream.add("fax_report", fax=FAX, report={R1: FULL_REPORT})
    stream.add("fax_convert", fax=OTHER_FAX, page_count=1)
    purge = {"purge": True} if removal == "object_delete" else {}
    stream.add(removal, object=FAX, type="fax", owner=ME, **purge)
    assert set(stream.fold().faxes) == {OTHER_FAX}


reports = st.fixed_dictionaries(
    {},
    optional={
        "incoming": st.booleans(),
        "from": st.text(max_size=5),
        "status": st.sampled_from(["ok", "busy", "sending"]),
        "sip_status_code": st.integers(min_value=100, max_value=699),
        "time_start": st.integers(min_value=0, max_value=2**40),
    },
)
report_events = st.dictionaries(st.sampled_from([R1, R2, OTHER_FAX]), reports, max_size=3)


@given(st.lists(st.one_of(report_events, st.none() | st.integers(0, 99)), max_size=12))
def test_reports_follow_dict_update_and_conversion_follows_the_last_convert(
    steps: list[dict[str, dict[str, Any]] | int | None],
) -> None:
    # A dict is a fax_report; an int or None a fax_convert with or without page_count.
    stream = Stream()
    merged: dict[str, dict[str, Any]] = {}
    last_convert: tuple[bool, int | None] | None = None
    for step in steps:
        if isinstance(step, dict):
            stream.add("fax_report", fax=FAX, report=step)
            merged.update(step)
        else:
            stream.add("fax_convert", fax=FAX, **({} if step is None else {"page_count": step}))
            last_convert = (step is not None, step)
    mirror = stream.fold()
    if not steps:
        assert FAX not in mirror.faxes
        return
    assert report_form(mirror) == merged
    fax = mirror.faxes[FAX]
    assert (fax.converted, fax.page_count) == (last_convert or (None, None))
    assert_round_trips(mirror)
