"""The language links point at the same page in the other language when it has that page, else at
its home (issue 13: switching language keeps the client on the same page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from icbt_content.authoring.loader import read_programme, relative
from icbt_content.i18n.localise import localise
from icbt_content.render.environment import make_environment
from icbt_content.render.site import Language, ProgrammeRenderer, content_paths
from icbt_content.sitemap import SiteMap
from icbt_content.validate import validate_programme


@pytest.fixture
def renderer(basic_project: Path) -> ProgrammeRenderer:
    loaded = read_programme(basic_project / "programmes" / "demo", basic_project)
    loaded.diagnostics.extend(validate_programme(loaded))
    assert loaded.programme is not None and not loaded.diagnostics.errors
    localised, problems = localise(basic_project, loaded)
    loaded.diagnostics.extend(problems)
    lp = localised[0]
    own = Language(
        lp.locale.code, lp.locale.name, lp.locale.direction, pages=content_paths(lp.programme)
    )
    # A language with the first module only: its pages and no other.
    partial = Language(
        "fr",
        "Français",
        "ltr",
        pages=frozenset(p for p in own.pages if p.startswith("start/")),
    )
    return ProgrammeRenderer(
        make_environment(basic_project),
        lp.programme,
        lp.locale,
        SiteMap(loaded.programme, relative(loaded.root, basic_project)),
        [own, partial],
    )


def links(renderer: ProgrammeRenderer, here: str) -> dict[str, str]:
    return {lang.code: lang.url for lang in renderer.language_links(here)}


def test_content_paths_are_the_module_and_page_folders(renderer: ProgrammeRenderer) -> None:
    assert content_paths(renderer.programme) == {
        "start/",
        "start/welcome/",
        "start/reflect/",
        "practice/",
        "practice/try-it/",
    }


@pytest.mark.parametrize(
    ("here", "expected"),
    [
        ("demo/en-GB/start/reflect/", {"en-GB": "./", "fr": "../../../fr/start/reflect/"}),
        ("demo/en-GB/start/", {"en-GB": "./", "fr": "../../fr/start/"}),
        # The other language does not have this page: its home.
        ("demo/en-GB/practice/try-it/", {"en-GB": "./", "fr": "../../../fr/"}),
        ("demo/en-GB/practice/", {"en-GB": "./", "fr": "../../fr/"}),
        # Pages every language has.
        ("demo/en-GB/crisis/", {"en-GB": "./", "fr": "../../fr/crisis/"}),
        ("demo/en-GB/", {"en-GB": "./", "fr": "../fr/"}),
    ],
)
def test_language_links(renderer: ProgrammeRenderer, here: str, expected: dict[str, str]) -> None:
    assert links(renderer, here) == expected


def test_built_pages_link_the_same_page(renderer: ProgrammeRenderer) -> None:
    module = renderer.programme.modules[0]
    html = renderer.content_page(module, 0, module.pages[1], 1).content.decode("utf-8")
    assert re.search(r'<a href="\.\./\.\./\.\./fr/start/reflect/" lang="fr"', html)
