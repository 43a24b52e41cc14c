"""`icbt serve` in chromium: an edit reloads the open page; a failed rebuild is shown on it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def preview(basic_project: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    (tmp_path / "tmp").mkdir()
    command = ["serve", "--project", str(basic_project), "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "icbt_content", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(tmp_path / "tmp")},
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "__icbt_status", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def _csp_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            errors.append(message.text)

    page.on("console", seen)
    return errors


def test_an_edit_reloads_the_open_page(page: Page, preview: str, basic_project: Path) -> None:
    errors = _csp_errors(page)
    page.goto(preview + "demo/en-GB/start/welcome/")
    expect(page.locator("main")).to_contain_text("Welcome to the programme.")
    page.wait_for_timeout(1500)  # the reload script has asked for the version at least once
    source = basic_project / "programmes/demo/modules/start/01-welcome.md"
    source.write_text(source.read_text().replace("Welcome to the programme.", "Hello again."))
    expect(page.locator("main")).to_contain_text("Hello again.", timeout=60_000)
    assert errors == [], "the version poll is allowed by the preview's policy"


def test_a_failed_rebuild_is_shown_on_the_open_page(
    page: Page, preview: str, basic_project: Path
) -> None:
    page.goto(preview + "demo/en-GB/start/welcome/")
    page.wait_for_timeout(1500)
    source = basic_project / "programmes/demo/modules/start/01-welcome.md"
    good = source.read_text()
    source.write_text(good.replace("title: Welcome", "titel: Welcome"))
    problems = page.get_by_role("alert").filter(has_text="could not be built")
    expect(problems).to_contain_text("[ICBT102]", timeout=60_000)
    expect(page.locator("main")).to_contain_text("Welcome to the programme.")
    source.write_text(good.replace("Welcome to the programme.", "Fixed and rebuilt."))
    expect(page.locator("main")).to_contain_text("Fixed and rebuilt.", timeout=60_000)
    expect(problems).to_have_count(0)
