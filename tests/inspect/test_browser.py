"""The page in a real headless browser: Debian's chromium driven by Playwright, against
``eventmirror inspect`` itself started on a small recording (port 0, no browser of its own).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.support import CHROMIUM, needs_chromium

from .conftest import CONTACT, DESCRIPTION, FAX, ME

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
        yield found.group(1)
    finally:
        server.terminate()
        server.wait(timeout=10)


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
