"""The MkDocs plugin, used by a small MkDocs site the way a service would use it."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from plugin_helpers import Built, build_mkdocs, write_host

PLUGIN = """\
site_name: Our service
theme: mkdocs
plugins:
  - search
  - icbt:
      programme: programmes/mini
      path_prefix: therapy/mini
"""

WELCOME = "therapy/mini/start/welcome/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The host site built once with the plugin; the tests only read it."""
    result = build_mkdocs(write_host(tmp_path_factory.mktemp("host")), PLUGIN)
    assert result.returncode == 0, result.output
    return result


def _programme_part(html: str) -> str:
    start = html.index('<div class="icbt" data-icbt-root')
    return html[start:]


def _script_data(html: str, name: str) -> dict:
    """The JSON of ``<script type="application/json" data-icbt-<name>>`` in the programme part."""
    found = re.search(
        rf'<script type="application/json" data-icbt-{name}>(.*?)</script>',
        _programme_part(html),
        re.DOTALL,
    )
    assert found is not None, name
    return json.loads(found.group(1))


def test_exercises_are_real_forms_saved_under_the_programme(built: Built) -> None:
    html = built.html(WELCOME)
    assert (
        '<form class="exercise-form" data-exercise="mood-now" data-icbt-exercise="mood-now" '
        'data-storage-key="icbt/v1/mini/exercise/mood-now" method="dialog" novalidate>'
    ) in html
    assert 'name="rating"' in html
    root = re.search(r"<div class=\"icbt\" data-icbt-root[^>]*>", html)
    assert root is not None
    assert 'lang="en-GB" dir="ltr"' in root.group(0)
    data = _script_data(html, "page")
    assert data["programme"]["id"] == "mini"
    assert data["page"] == "start/welcome"
    assert data["storage"]["exercise"] == "icbt/v1/mini/exercise/"
    assert _script_data(html, "messages")["saved"] == "Saved on this device."


def test_every_page_of_the_programme_is_published(built: Built) -> None:
    for path in [
        "therapy/mini/index.html",
        "therapy/mini/start/index.html",
        WELCOME,
        "therapy/mini/start/check-in/index.html",
        "therapy/mini/practice/index.html",
        "therapy/mini/practice/try-it/index.html",
        "therapy/mini/check-in/index.html",
        "therapy/mini/crisis/index.html",
        "therapy/mini/answers/index.html",
        "therapy/mini/media/cycle.svg",
    ]:
        assert (built.site / path).is_file(), path
    assert "<title>Welcome - Our service</title>" in built.html(WELCOME)
    assert "Samaritans" in built.html("therapy/mini/crisis/index.html")
    assert 'id="export-answers"' in built.html("therapy/mini/answers/index.html")
    check_in = built.html("therapy/mini/start/check-in/index.html")
    assert '<form class="questionnaire" id="q-phq9-form" data-measure="phq9"' in check_in
    assert '<script type="application/json" data-icbt-measure="phq9">' in check_in


def test_every_page_offers_help_and_says_where_answers_are(built: Built) -> None:
    pages = sorted((built.site / "therapy/mini").rglob("index.html"))
    assert len(pages) == 9  # with the weekly check-in
    for page in pages:
        part = _programme_part(page.read_text(encoding="utf-8"))
        assert '<p class="icbt-help"><a class="help-now" href="' in part, page
        assert "Your answers are saved only on this device." in part, page


def test_scripts_load_in_order_and_styles_are_scoped(built: Built) -> None:
    html = built.html(WELCOME)
    scripts = re.findall(r'<script src="[./]*assets/icbt/([^"]+)"[^>]*>', html)
    assert scripts == ["icbt.js"]
    assert re.search(r'<script src="[./]*assets/icbt/icbt.js" type="module">', html)
    for name in ("scoring.js", "storage.js", "questionnaire.js"):
        assert (built.site / "assets/icbt" / name).is_file(), name
    assert re.search(r'<link href="[./]*assets/icbt/site.css" rel="stylesheet">', html)
    css = (built.site / "assets/icbt/site.css").read_text(encoding="utf-8")
    rules = [line for line in css.splitlines() if line.endswith("{") or "{" in line]
    selectors = [s.strip() for rule in rules for s in rule.split("{")[0].split(",")]
    unscoped = [s for s in selectors if s and not s.startswith((".icbt", "@"))]
    assert not unscoped
    own = (built.site / "assets/icbt/icbt.js").read_bytes()
    source = Path(__file__).parents[2] / "src/icbt_content/render/static/icbt.js"
    assert own == source.read_bytes()


def test_links_between_pages_and_to_media_resolve(built: Built) -> None:
    checked = 0
    for page in (built.site / "therapy/mini").rglob("index.html"):
        part = _programme_part(page.read_text(encoding="utf-8"))
        here = page.relative_to(built.site).parent.as_posix()
        for ref in re.findall(r'(?:href|src)="([^"]+)"', part):
            if ref.startswith(("tel:", "https:", "mailto:", "#")):
                continue
            path, _, anchor = ref.partition("#")
            target = built.site / posixpath.normpath(posixpath.join(here, path))
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page}: {ref}"
            if anchor:
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{page}: {ref}"
            checked += 1
    assert checked > 20


def test_automatic_navigation_follows_the_programme_order(built: Built) -> None:
    def theme_next(path: str) -> str:
        match = re.search(r'<a rel="next" href="([^"]+)" class="nav-link">', built.html(path))
        assert match is not None, path
        return posixpath.normpath(posixpath.join(posixpath.dirname(path), match.group(1)))

    assert theme_next("therapy/mini/index.html") == "therapy/mini/start"
    assert theme_next("therapy/mini/start/index.html") == "therapy/mini/start/welcome"
    assert theme_next(WELCOME) == "therapy/mini/start/check-in"
    assert theme_next("therapy/mini/start/check-in/index.html") == "therapy/mini/practice"
    assert theme_next("therapy/mini/practice/try-it/index.html") == "therapy/mini/check-in"
    assert theme_next("therapy/mini/check-in/index.html") == "therapy/mini/crisis"
    assert ">Mini programme<" in built.html("index.html")


def test_table_of_contents_comes_from_the_programme_headings(built: Built) -> None:
    html = built.html(WELCOME)
    assert 'href="#how-it-works"' in html
    assert 'href="#ex-mood-now-title"' in html


def test_works_without_directory_urls(build_host: Callable[[str], Built]) -> None:
    result = build_host(PLUGIN + "use_directory_urls: false\n")
    assert result.returncode == 0, result.output
    html = result.html(WELCOME)
    assert 'href="../../practice/try-it/index.html#before-you-start"' in html
    assert 'src="../../media/cycle.svg"' in html


def test_two_programmes_share_the_assets(build_host: Callable[[str], Built]) -> None:
    again = "  - icbt:\n      programme: programmes/mini\n      path_prefix: again\n"
    result = build_host(PLUGIN + again)
    assert result.returncode == 0, result.output
    assert (result.site / "again/start/welcome/index.html").is_file()
    html = result.html(WELCOME)
    assert len(re.findall(r"assets/icbt/icbt\.js", html)) == 1


def test_default_prefix_is_the_programme_id(build_host: Callable[[str], Built]) -> None:
    result = build_host(PLUGIN.replace("      path_prefix: therapy/mini\n", ""))
    assert result.returncode == 0, result.output
    assert (result.site / "mini/start/welcome/index.html").is_file()


def test_content_errors_stop_the_build(build_host: Callable[[str], Built], host: Path) -> None:
    page = host / "programmes/mini/modules/start/01-welcome.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("exercise rating", "exercise ratin"),
        encoding="utf-8",
    )
    result = build_host(PLUGIN)
    assert result.returncode != 0
    assert "programmes/mini/modules/start/01-welcome.md:" in result.output
    assert "[ICBT301]" in result.output
    assert "did you mean 'rating'?" in result.output


def test_warnings_fail_a_strict_build(build_host: Callable[[str], Built], host: Path) -> None:
    page = host / "programmes/mini/modules/practice/01-try-it.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("title: Try it out\n", "title: Try it out\ndistressing: true\n")
    text = text.replace("::: help\n", "::: note\n").replace("(../../crisis.md)", "(01-try-it.md)")
    page.write_text(text, encoding="utf-8")
    result = build_host(PLUGIN)
    assert result.returncode != 0
    assert "[ICBT306]" in result.output


def test_a_locale_the_programme_is_not_published_in(build_host: Callable[[str], Built]) -> None:
    result = build_host(PLUGIN + "      locale: fr\n")
    assert result.returncode != 0
    assert "programme 'mini' is not published in 'fr' (published: en-GB)" in result.output


def test_pages_of_the_site_are_never_overwritten(
    build_host: Callable[[str], Built], host: Path
) -> None:
    (host / "docs/therapy/mini").mkdir(parents=True)
    (host / "docs/therapy/mini/index.md").write_text("# Ours\n", encoding="utf-8")
    result = build_host(PLUGIN)
    assert result.returncode != 0
    assert "the site already has therapy/mini/index.md" in result.output


def test_a_missing_programme_folder(build_host: Callable[[str], Built]) -> None:
    result = build_host(PLUGIN.replace("programmes/mini", "programmes/nothing"))
    assert result.returncode != 0
    assert "nothing" in result.output


# -- in a browser ------------------------------------------------------------------------------


@pytest.fixture
def served(built: Built, serve: Callable[[Path], str]) -> str:
    return serve(built.site)


@pytest.mark.browser
def test_an_exercise_saves_answers_in_the_mkdocs_site(served: str, browser: Browser) -> None:
    url = served + WELCOME.removesuffix("index.html")
    page = browser.new_page()
    try:
        page.goto(url)
        page.get_by_label("How low do you feel right now?").fill("42")
        page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
        expect(page.locator("form[data-exercise='mood-now'] .save-status")).to_have_text(
            "Saved on this device."
        )
        programme = page.evaluate(
            "JSON.parse(document.querySelector('script[data-icbt-page]').textContent).programme.id"
        )
        stored = page.evaluate("localStorage.getItem('icbt/v1/mini/exercise/mood-now')")
        page.reload()
        expect(page.get_by_label("How low do you feel right now?")).to_have_value("42")
    finally:
        page.context.close()
    assert programme == "mini"
    assert json.loads(stored)["fields"]["rating"] == "42"
