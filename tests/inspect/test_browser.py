"""The page in a real headless browser: Debian's chromium driven by Playwright, against
``eventmirror inspect`` itself started on a small recording (port 0, no browser of its own).
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from eventmirror.inspect.app import make_app
from reducers.timeline import Timeline
from tests.support import CHROMIUM, needs_chromium

from .conftest import CONTACT, DESCRIPTION, FAX, LINES, ME

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def url(recording: Path) -> Iterator[str]:
    command = [sys.executable, "-m", "eventmirror", "inspect", str(recording)]
    server = subprocess.Popen(
        [*command, "--port", "0", "--no-open", "--me", ME, "--every", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        found = re.fullmatch(r"eventmirror inspect: (http://127\.0\.0\.1:\d+/)\n", banner)
        if not found:
            server.kill()
            pytest.fail(f"no address from eventmirror inspect: {banner!r} {server.communicate()}")
        _wait_until_read(found.group(1))
        yield found.group(1)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_read(url: str) -> None:
    """The tests below look at the whole recording: wait for the server to have read it."""
    for _ in range(600):
        with urllib.request.urlopen(url + "api/summary") as answer:
            if json.load(answer)["reading"]["done"]:
                return
        time.sleep(0.05)  # polling, not an assertion: the loop fails below if never done
    pytest.fail("the server never finished reading the recording")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, url: str) -> Iterator[Page]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    yield page
    page.close()
    assert not errors, errors


def entry(page: Page, index: int) -> str:
    return f'[data-testid=timeline-entry][data-index="{index}"]'


def node(page: Page, pointer: str) -> Locator:
    return page.locator(f'[data-testid=tree-node][data-pointer="{pointer}"]')


def indexes(page: Page) -> list[int]:
    items = page.get_by_test_id("timeline-entry")
    return [int(value) for value in items.evaluate_all("es => es.map(e => e.dataset.index)")]


def test_the_timeline_marks_gaps_resets_rejected_lines_and_unknown_events(page: Page) -> None:
    assert indexes(page) == list(range(10))
    expected = {4: "rejected", 5: "gap", 6: "unknown-type", 7: "duplicate", 8: "reset"}
    for index, mark in expected.items():
        item = page.locator(entry(page, index))
        expect(item).to_have_class(re.compile(rf"\bmark-{mark}\b"))
        expect(item.locator(f".badge.mark-{mark}")).to_have_text(mark.replace("-", " "))
    expect(page.locator(f"{entry(page, 3)} .badge")).to_have_count(0)
    legend = page.get_by_test_id("legend")
    for mark in ("gap", "reset", "duplicate", "rejected", "unknown-type", "anomaly"):
        expect(legend.locator(f".badge.mark-{mark}")).to_be_visible()
    expect(page.get_by_test_id("counts")).to_contain_text("1 gap · 1 reset")


def test_filtering_by_type_entity_and_path(page: Page) -> None:
    page.get_by_test_id("filter-type").fill("tag_*")
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_test_id("timeline-entry")).to_have_count(2)
    assert indexes(page) == [0, 8]
    page.get_by_test_id("filter-type").fill("object_modify")
    page.get_by_test_id("filter-entity").fill(FAX)
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_test_id("timeline-entry")).to_have_count(3)
    assert indexes(page) == [5, 7, 9]
    page.get_by_test_id("filter-clear").click()
    page.get_by_test_id("filter-path").fill(DESCRIPTION)
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_test_id("timeline-entry")).to_have_count(2)
    assert indexes(page) == [1, 3]
    page.get_by_test_id("filter-path").fill("no pointer")
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_test_id("error")).to_contain_text(
        "pointer: 'no pointer' is not a JSON Pointer"
    )


def test_clicking_an_event_shows_the_mirror_with_its_change_highlighted(page: Page) -> None:
    page.locator(entry(page, 3)).click()
    expect(page.get_by_test_id("step-title")).to_have_text("#3 object_modify · id 3")
    changed = node(page, DESCRIPTION)
    expect(changed).to_have_class(re.compile(r"\bchanged\b"))
    expect(changed.get_by_test_id("tree-value")).to_have_text('"Hans Mustermann"')
    expect(page.locator("[data-testid=tree-node].changed")).to_have_count(1)
    expect(page.get_by_test_id("change")).to_have_attribute("data-pointer", DESCRIPTION)
    # Up and down move through the timeline.
    page.keyboard.press("ArrowDown")
    expect(page.get_by_test_id("step-title")).to_have_text("#4 (not an event)")
    expect(page.get_by_test_id("step-facts")).to_contain_text("rejected · line 5: not JSON")
    expect(page.locator(entry(page, 4))).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_test_id("step-title")).to_have_text("#2 object_new · id 2")


def test_clicking_a_value_shows_its_blame_and_the_blamed_event_opens(page: Page) -> None:
    page.locator(entry(page, 9)).click()
    expect(page.get_by_test_id("step-title")).to_have_text("#9 object_modify · id 1")
    # The change (the fax's description) opened the way to it, and only that way.
    objects = node(page, "/objects")
    expect(objects).to_have_attribute("data-open", "true")
    expect(node(page, f"/objects/{FAX}")).to_have_attribute("data-open", "true")
    expect(node(page, f"/objects/{CONTACT}")).to_have_count(0)
    more = objects.locator("> ul > li > [data-testid=tree-more]")
    expect(more).to_have_text("all 2 keys")
    more.click()
    contact = node(page, f"/objects/{CONTACT}")
    expect(contact).to_have_attribute("data-open", "false")
    contact.locator("> [data-testid=tree-toggle]").click()
    node(page, DESCRIPTION).get_by_test_id("tree-value").click()
    blamed = page.get_by_test_id("blame-event")
    expect(blamed).to_have_attribute("data-index", "3")
    expect(page.get_by_test_id("blame-pointer")).to_have_text(DESCRIPTION)
    blamed.click()
    expect(page.get_by_test_id("step-title")).to_have_text("#3 object_modify · id 3")
    expect(page.locator(entry(page, 3))).to_have_class(re.compile(r"\bselected\b"))


@contextmanager
def serving(timeline: Timeline) -> Iterator[str]:
    """``timeline`` served from a thread of this process (so the test can feed it)."""
    from aiohttp import web

    loop = asyncio.new_event_loop()
    started: list[str] = []
    stop = asyncio.Event()

    async def serve() -> None:
        runner = web.AppRunner(make_app(timeline, "marks.jsonl"), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        started.append(f"http://127.0.0.1:{runner.addresses[0][1]}/")
        await stop.wait()
        await runner.cleanup()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    for _ in range(600):
        if started:
            break
        time.sleep(0.01)  # waiting for the port, not an assertion
    try:
        yield started[0]
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)


def test_the_page_shows_how_far_reading_is_and_fills_in(browser: Browser, recording: Path) -> None:
    growing = Timeline.reading(recording, every=3, me=ME)
    growing.feed(4)  # three entries ready of ten
    with serving(growing) as url:
        page = browser.new_page()
        page.goto(url)
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        expect(page.get_by_test_id("reading")).to_be_visible()
        expect(page.get_by_test_id("reading")).to_contain_text("reading the recording…")
        expect(page.get_by_test_id("counts")).to_contain_text("3 entries")
        assert indexes(page) == [0, 1, 2]
        while growing.feed(3):
            pass
        expect(page.get_by_test_id("counts")).to_contain_text(f"{len(LINES)} entries")
        expect(page.get_by_test_id("timeline-entry")).to_have_count(len(LINES))
        expect(page.get_by_test_id("reading")).to_be_hidden()
        page.close()
