"""Offline in chromium: once visited, the programme works without a connection, and a new
build replaces the old copy cleanly. The site is served with its ``_headers`` as Cloudflare Pages
serves them (every matching rule, values joined): the strictest host the worker must work on."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route, expect

from icbt_content import build_site

pytestmark = pytest.mark.browser

HOME = "demo/en-GB/"
WELCOME = "demo/en-GB/start/welcome/"
REFLECT = "demo/en-GB/start/reflect/"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a context of its own: these tests take the context offline and route it."""
    context = browser.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


class _JoinedHeaders(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        joined: dict[str, list[str]] = {}
        pattern = ""
        for line in (Path(self.directory) / "_headers").read_text().splitlines():
            if not line or line.startswith("#"):
                continue
            if not line.startswith(" "):
                pattern = line
                continue
            star = pattern.endswith("*")
            if path.startswith(pattern[:-1]) if star else path == pattern:
                name, _, value = line.strip().partition(": ")
                joined.setdefault(name, []).append(value)
        for name, values in joined.items():
            self.send_header(name, ", ".join(values))
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


@pytest.fixture
def hosted(basic_project: Path) -> Iterator[Callable[[], str]]:
    """Build the basic project (again on each call) and serve it; returns the site's URL."""
    out = basic_project / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_JoinedHeaders, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)

    def build() -> str:
        report = build_site(basic_project, out)
        assert report.ok, [d.format() for d in report.diagnostics]
        if not thread.is_alive():
            thread.start()
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield build
    server.shutdown()
    server.server_close()


def _caches_when(page: Page, wanted: Callable[[list[str]], bool]) -> list[str]:
    """The names of the site's caches, once ``wanted`` holds of them (within 45 s on a loaded
    machine; polled with evaluate: the site's CSP refuses wait_for_function's eval)."""
    for _ in range(450):
        names: list[str] = sorted(page.evaluate("caches.keys()"))
        controlled = page.evaluate("!!navigator.serviceWorker.controller")
        if controlled and wanted(names):
            return names
        page.wait_for_timeout(100)
    raise AssertionError(f"caches still {names}")


def _offline_ready(page: Page) -> list[str]:
    """Wait until the worker is active and controls the page; the names of its caches."""
    return _caches_when(page, bool)


def test_a_visited_programme_works_offline(page: Page, hosted: Callable[[], str]) -> None:
    site = hosted()
    page.goto(site + HOME)
    caches = _offline_ready(page)
    assert len(caches) == 1 and caches[0].startswith("icbt-offline:demo/en-GB/:")
    page.context.set_offline(True)
    page.get_by_role("link", name="Getting started").first.click()
    expect(page.locator("h1")).to_have_text("Getting started")
    page.goto(site + REFLECT)
    field = page.get_by_label("What went well?")
    field.fill("I went for a walk")
    page.locator("form[data-exercise='week-review'] button[type=submit]").click()
    expect(page.locator("form[data-exercise='week-review'] .save-status")).to_have_text(
        "Saved on this device."
    )
    page.reload()
    expect(page.get_by_label("What went well?")).to_have_value("I went for a walk")
    # The stylesheet and scripts came from the cache too: the page is styled and scripted.
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position")
    page.goto(site + WELCOME + "index.html")
    expect(page.locator("h1")).to_be_visible()
    # A page not visited and not in the programme (another locale, a query) is not served.
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(site + "index.html")


def test_the_worker_keeps_only_the_listed_files(page: Page, hosted: Callable[[], str]) -> None:
    site = hosted()
    page.goto(site + HOME + "?code=from-a-sign-in")
    (name,) = _offline_ready(page)
    page.goto(site + WELCOME + "?state=x")
    kept = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)", name
    )
    script = page.request.get(site + HOME + "sw.js").text()
    listed = json.loads(script.split("const OFFLINE = ", 1)[1].split(";\n", 1)[0])
    expected = {urljoin(site + HOME, f) for f in listed["files"]}
    assert set(kept) == expected, "nothing but the listed files is ever stored"
    assert not any("?" in url for url in kept)
    assert site + "demo/en-GB/therapist/" not in kept, "the therapist guide is not kept"
    assert site + "demo/en-GB/start/welcome/" in kept


def test_a_new_build_replaces_the_old_copy(
    page: Page, hosted: Callable[[], str], basic_project: Path
) -> None:
    site = hosted()
    page.goto(site + WELCOME)
    (old,) = _offline_ready(page)
    welcome = basic_project / "programmes/demo/modules/start/01-welcome.md"
    welcome.write_text(welcome.read_text().replace("Welcome to the", "Updated: welcome to the"))
    hosted()
    page.reload()  # the browser checks the worker on navigation and installs the new one
    (new,) = _caches_when(page, lambda names: len(names) == 1 and names[0] != old)
    assert new.rsplit(":", 1)[0] == old.rsplit(":", 1)[0], "the same scope, a new version"
    page.reload()
    expect(page.locator("main")).to_contain_text("Updated: welcome")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("main")).to_contain_text("Updated: welcome")


def _png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and content[12:16] == b"IHDR"
    return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")


def test_the_programme_is_installable(page: Page, hosted: Callable[[], str]) -> None:
    site = hosted()
    page.goto(site + WELCOME)
    _offline_ready(page)
    cdp = page.context.new_cdp_session(page)
    found = cdp.send("Page.getAppManifest")
    assert found["url"] == site + HOME + "manifest.webmanifest"
    assert found["errors"] == [], found["errors"]
    manifest = json.loads(found["data"])
    assert manifest["name"] == "Demo programme" and manifest["lang"] == "en-GB"
    assert manifest["display"] == "standalone" and manifest["dir"] == "ltr"
    assert urljoin(found["url"], manifest["start_url"]) == site + HOME
    assert urljoin(found["url"], manifest["scope"]) == site + HOME
    purposes = set()
    for icon in manifest["icons"]:
        response = page.request.get(urljoin(found["url"], icon["src"]))
        assert response.ok and response.headers["content-type"] == "image/png"
        width, height = _png_size(response.body())
        assert icon["sizes"] == f"{width}x{height}"
        purposes.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= purposes
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito ones, where nothing installs; nothing else is missing.
    assert [e["errorId"] for e in errors] == ["in-incognito"], errors
    expect(page.locator('meta[name="theme-color"]')).to_have_attribute(
        "content", manifest["theme_color"]
    )
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


CONNECTED = """\
connection: fhir
fhir:
  base_url: https://fhir.example.org/r4
  authorization_server: https://login.example.org/oauth2
  client_id: icbt-site
  console_client_id: icbt-console
service:
  name: Example Talking Therapies
  contact: "0300 000 0000"
  risk_response: one working day
  risk_response_hours: 24
"""


def test_a_connected_site_never_keeps_fhir_responses(
    page: Page, hosted: Callable[[], str], basic_project: Path
) -> None:
    (basic_project / "deploy.yaml").write_text(CONNECTED, encoding="utf-8")
    site = hosted()
    served: list[str] = []

    def fhir(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(status=200, content_type="application/fhir+json", body='{"id": "1"}')

    page.context.route("https://fhir.example.org/**", fhir)
    page.goto(site + HOME)
    (name,) = _offline_ready(page)
    fetch = "async (url) => (await fetch(url)).status"
    assert page.evaluate(fetch, "https://fhir.example.org/r4/Patient/1") == 200
    assert served, "the request went to the server, past the worker"
    kept = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)", name
    )
    assert kept and all(url.startswith(site) for url in kept), "only the site's own files"
    assert site + "assets/loop/connect.js" in kept, "the connected site's scripts are kept"
    page.context.unroute("https://fhir.example.org/**")
    page.context.set_offline(True)
    with pytest.raises(Exception, match="Failed to fetch"):
        page.evaluate(fetch, "https://fhir.example.org/r4/Patient/1")
