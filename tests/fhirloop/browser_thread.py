"""Chromium for the guidance-loop tests, driven by Playwright on a thread of its own."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from playwright.sync_api import Browser, Playwright, sync_playwright

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserThread:
    """Debian's chromium, driven by Playwright on a thread of its own.

    Playwright's sync API allows one instance per thread, and ``tests/browser`` keeps one open on
    the main thread for the whole session; so every call to this browser runs on its own thread,
    through ``run``.
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._thread.submit(self._start).result()

    def _start(self) -> None:
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )

    def run(self, scenario: Callable[[Browser], T]) -> T:
        """Run ``scenario(browser)`` on the browser's thread; return what it returns."""
        assert self._browser is not None
        return self._thread.submit(scenario, self._browser).result()

    def close(self) -> None:
        """Close the browser and Playwright, then the thread."""

        def stop() -> None:
            if self._browser:
                self._browser.close()
            if self._playwright:
                self._playwright.stop()

        self._thread.submit(stop).result()
        self._thread.shutdown()
