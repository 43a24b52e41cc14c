"""Notices the scripts add after a page is drawn move nothing (CLS below 0.1, issue 13), on a
phone-sized window, for a new client and for one with saved results."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

#: Sums the layout shifts of the page not caused by the client (the CLS of the whole visit).
OBSERVE_SHIFTS = """
window.icbtShifts = 0;
new PerformanceObserver((list) => {
  for (const s of list.getEntries()) if (!s.hadRecentInput) window.icbtShifts += s.value;
}).observe({type: "layout-shift", buffered: true});
"""

#: A long page of a module a new client has not reached (its notice shows), the home page
#: (locked modules tagged in the list) and a questionnaire page (results drawn after load).
PAGES = [
    "sad/en-GB/attention-training/practising/",
    "sad/en-GB/your-model/",
    "sad/en-GB/",
    "sad/en-GB/check-in/",
    "sad/ar/check-in/",
]

RESULTS = {
    "results": [
        {"date": f"2026-11-{day:02d}T10:00:00.000Z", "answers": {}, "total": total, "band": None}
        for day, total in ((4, 14), (11, 12), (18, 9), (25, 7))
    ]
}


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size({"width": 360, "height": 740})
    page.add_init_script(OBSERVE_SHIFTS)
    return page


def shifts(page: Page) -> float:
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    return float(page.evaluate("window.icbtShifts"))


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("state", ["new", "with results"])
def test_no_layout_shift_after_load(
    phone: Page, sample_site: Path, serve: Callable[[Path], str], path: str, state: str
) -> None:
    url = serve(sample_site) + path
    if state == "with results":
        phone.goto(url)
        for measure in ("phq9", "gad7"):
            key = f"icbt/v1/sad/measure/{measure}"
            phone.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(RESULTS)])
    phone.goto(url)
    assert shifts(phone) < 0.1


def test_the_locked_notice_leaves_the_end_of_the_page_reachable(
    phone: Page, sample_site: Path, serve: Callable[[Path], str]
) -> None:
    phone.goto(serve(sample_site) + PAGES[0])
    notice = phone.locator("#locked-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("This module opens when you have finished")
    phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    footer = phone.locator(".site-footer .release").bounding_box()
    box = notice.bounding_box()
    assert footer is not None and box is not None
    assert footer["y"] + footer["height"] <= box["y"] + 1
