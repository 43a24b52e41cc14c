"""Issue 17 item 1 in the browser: a heading named like the questionnaire ('## Measure phq9')
once took the questionnaire's id, so the PHQ-9 form never wired up and its self-harm alert
never appeared. The alert must appear as soon as item 9 is answered above 0."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser

PAGE = "programmes/demo/modules/start/02-reflect.md"


@pytest.fixture
def check_in_url(basic_project: Path, serve: Callable[[Path], str]) -> str:
    manifest = basic_project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "measures:\n  - phq9\n", "utf-8")
    (basic_project / PAGE).write_text(
        "---\ntitle: Check in\n---\n\n## Measure phq9\n\nHow have the last two weeks been?\n\n"
        "::: questionnaire phq9\n:::\n",
        "utf-8",
    )
    report = build_site(basic_project, basic_project / "site")
    assert report.ok, [d.format() for d in report.diagnostics]
    return serve(basic_project / "site") + "demo/en-GB/start/reflect/"


def test_phq9_alert_appears_under_a_heading_named_like_it(page: Page, check_in_url: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(check_in_url)
    expect(page.get_by_role("heading", name="Measure phq9")).to_be_visible()
    alert = page.get_by_role("alert").filter(has_text="Thank you for answering honestly.")
    expect(alert).to_be_hidden()
    page.get_by_role("radio", name="Several days").last.check()  # item 9 is the last item
    expect(alert).to_be_visible()
    expect(alert.get_by_role("link", name="Get help now")).to_be_visible()
    assert errors == []
