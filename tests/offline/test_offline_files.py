"""The offline files the build writes: worker, cache list, version, manifest, icons, headers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.pipeline.headers import (
    CSP,
    FILE_CSP,
    WORKER_CSP,
    headers_file,
    headers_for,
    worker_reachable,
)
from icbt_content.render.offline.icons import ICONS, THEME_COLOUR, icon_png
from icbt_content.render.offline.precache import is_worker, precache_urls

TEMPLATES = Path(__file__).parents[2] / "src/icbt_content/render/templates"


def _offline(site: Path, scope: str = "demo/en-GB/") -> dict[str, object]:
    script = (site / scope / "sw.js").read_text(encoding="utf-8")
    return dict(json.loads(script.split("const OFFLINE = ", 1)[1].split(";\n", 1)[0]))


def test_each_locale_has_a_worker_listing_its_pages_and_assets(basic_project: Path) -> None:
    report = build_site(basic_project)
    assert report.ok, [d.format() for d in report.diagnostics]
    site = basic_project / "site"
    offline = _offline(site)
    files = offline["files"]
    assert isinstance(files, list) and files == sorted(files)
    assert {"./", "start/", "start/welcome/", "answers/", "crisis/"} <= set(files)
    assert {"manifest.webmanifest", "../media/cycle.svg", "../../assets/site.css"} <= set(files)
    assert "../../assets/icons/icon-512.png" in files
    assert not [f for f in files if f.startswith("therapist/") or f == "sw.js"]
    for file in files:  # every listed file exists in the site
        path = (site / "demo/en-GB" / file).resolve()
        assert (path / "index.html" if file.endswith("/") else path).is_file(), file


def test_the_version_follows_the_content(basic_project: Path) -> None:
    site = basic_project / "site"
    assert build_site(basic_project).ok
    first = (site / "demo/en-GB/sw.js").read_bytes()
    icons = {i.name: (site / i.path).read_bytes() for i in ICONS}
    assert build_site(basic_project).ok
    assert (site / "demo/en-GB/sw.js").read_bytes() == first, "the same build, the same worker"
    assert {i.name: (site / i.path).read_bytes() for i in ICONS} == icons
    page = basic_project / "programmes/demo/modules/start/01-welcome.md"
    page.write_text(page.read_text().replace("short pages", "brief pages"))
    assert build_site(basic_project).ok
    assert (
        _offline(site)["version"]
        != json.loads(first.decode().split("const OFFLINE = ", 1)[1].split(";\n", 1)[0])["version"]
    )


def test_neutral_titles_reach_the_manifest(basic_project: Path) -> None:
    manifest = basic_project / "programmes/demo/programme.yaml"
    manifest.write_text(manifest.read_text() + "sensitive: true\nneutral_titles: true\n")
    assert build_site(basic_project).ok
    app = json.loads((basic_project / "site/demo/en-GB/manifest.webmanifest").read_text())
    assert app["name"] == "Online course" and "description" not in app


@pytest.mark.parametrize("icon", ICONS, ids=lambda i: i.name)
def test_icons_are_pngs_of_their_size(icon: object) -> None:
    from icbt_content.render.offline.icons import Icon

    assert isinstance(icon, Icon)
    png = icon_png(icon)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == int.from_bytes(png[20:24], "big") == icon.size


def test_the_theme_colour_is_the_one_in_the_pages() -> None:
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert f'<meta name="theme-color" content="{THEME_COLOUR}">' in base


@pytest.mark.parametrize(
    ("path", "worker"),
    [
        ("demo/en-GB/sw.js", True),
        ("/demo/ar/sw.js", True),
        ("demo/media/sw.js", False),
        ("assets/sw.js", False),
        ("demo/en-GB/start/sw.js", False),
        ("demo/en-GB/sw.json", False),
    ],
)
def test_what_is_a_worker(path: str, worker: bool) -> None:
    assert is_worker(path) is worker


def test_precache_urls_name_pages_by_their_folder() -> None:
    paths = ["demo/en-GB/index.html", "demo/en-GB/a/index.html", "assets/x.js", "demo/media/m.png"]
    assert precache_urls("demo/en-GB/", paths) == [
        "../../assets/x.js",
        "../media/m.png",
        "./",
        "a/",
    ]


def test_workers_get_their_own_policy() -> None:
    assert headers_for("/demo/en-GB/sw.js")[0] == ("Content-Security-Policy", WORKER_CSP)
    assert headers_for("/assets/offline.js")[0] == ("Content-Security-Policy", FILE_CSP)
    text = headers_file(["demo/en-GB/index.html", "demo/en-GB/sw.js", "demo/en-GB/x.json"])
    assert f"/demo/en-GB/sw.js\n  Content-Security-Policy: {WORKER_CSP}\n" in text
    assert f"/demo/en-GB/x.json\n  Content-Security-Policy: {FILE_CSP}\n" in text
    # Joined with /* (Cloudflare Pages), the worker may still fetch the site's own files.
    assert "connect-src 'self'" in worker_reachable(CSP)
    assert "connect-src 'none'" in CSP, "the pages' own <meta> policy is unchanged"
    assert worker_reachable("default-src 'none'") == "default-src 'none'; connect-src 'self'"
    assert "connect-src 'self' https://fhir.example" in worker_reachable(
        "connect-src https://fhir.example"
    )


def test_the_preview_serves_no_worker(basic_project: Path) -> None:
    import threading
    import urllib.error
    import urllib.request
    from http.server import ThreadingHTTPServer

    from icbt_content.serve import PreviewState, _handler, allowed_hosts

    site = basic_project / "site"
    assert build_site(basic_project).ok
    assert (site / "demo/en-GB/sw.js").is_file()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, PreviewState(), set()))
    port = server.server_address[1]
    server.RequestHandlerClass = _handler(site, PreviewState(), allowed_hosts("127.0.0.1", port))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{port}/demo/en-GB/"
        with urllib.request.urlopen(base + "manifest.webmanifest") as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "sw.js")
        assert refused.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
